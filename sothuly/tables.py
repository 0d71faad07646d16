"""What every list page shares: sorting from ``?sort=``, pagination, and the
.xlsx export of exactly the rows the filters select (not just the page).

A list describes its export as a :class:`Table` (columns plus a function
giving one row per object); :func:`xlsx_response` is the one renderer. An
export of personal data is written to the audit log with its row count and
filters, never with a name.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from audit.models import AuditLog
from audit.services import record_audit

PAGE_SIZE = 50
EXPORT_PARAM = "xuat"
# A spreadsheet row limit well under Excel's, so one click cannot build a
# file of millions of rows in the web process.
MAX_EXPORT_ROWS = 100_000

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 16
    # "text", "date" or "int": how a cell is written and formatted;
    # "birth": a full date where one is known, else the year as a number.
    kind: str = "text"


@dataclass
class Table:
    """An export: a title, columns, and the function turning an object of
    the list into one row of cell values."""

    title: str
    columns: Sequence[Column]
    row: Callable[[object], Sequence[object]]
    personal: bool = True


@dataclass(frozen=True)
class Sort:
    """A sort choice offered on a list: its label and the ordering."""

    label: str
    ordering: tuple[str, ...]


def wants_export(request) -> bool:
    return request.GET.get(EXPORT_PARAM) == "xlsx"


def chosen_sort(request, options: dict[str, Sort], default: str) -> str:
    """The sort key asked for in ``?sort=``; an unknown value falls back to
    the default instead of failing."""
    key = request.GET.get("sort", default)
    return key if key in options else default


def paginate(request, rows, per_page: int | None = None) -> dict:
    """The page asked for and what the shared pager template needs."""
    page: Page = Paginator(rows, per_page or PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(EXPORT_PARAM, None)
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "query": query.urlencode(),
    }


def export_query(request) -> str:
    """The current filters and sort with ``xuat=xlsx``: the link of the
    page's "Xuất Excel" button."""
    query = request.GET.copy()
    query.pop("page", None)
    query[EXPORT_PARAM] = "xlsx"
    return query.urlencode()


def _cell(value, kind: str):
    if value is None or value == "":
        return None
    if kind == "date" and isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _as_text(cell) -> None:
    """openpyxl stores a string starting with "=" as a formula: a name or
    note typed by one user would run in the spreadsheet of another."""
    if cell.data_type == "f":
        cell.data_type = "s"


def workbook_bytes(
    table: Table, objects: Iterable[object], heading: Sequence[str] = ()
) -> tuple[bytes, int]:
    """The .xlsx file of a table, and how many rows it holds.

    ``heading`` lines (what the list is, for which unit and date) go above
    the header row, which stays frozen while scrolling.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    for line in heading:
        sheet.append([line])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.font = _HEADER_FONT
        _as_text(cell)
    if heading:
        sheet.append([])
    header_row = sheet.max_row + 1 if heading else 1
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.title)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    count = 0
    for count, obj in enumerate(objects, start=1):
        if count > MAX_EXPORT_ROWS:
            count -= 1
            break
        values = table.row(obj)
        row_number = header_row + count
        for index, (column, value) in enumerate(
            zip(table.columns, values, strict=True), start=1
        ):
            cell = sheet.cell(
                row=row_number, column=index, value=_cell(value, column.kind)
            )
            _as_text(cell)
            if column.kind == "date" or (
                column.kind == "birth" and isinstance(value, dt.date)
            ):
                cell.number_format = "dd/mm/yyyy"
            elif column.kind == "birth":
                cell.number_format = "0"
            elif column.kind == "int":
                cell.number_format = "#,##0"
            else:
                cell.alignment = _WRAP
    sheet.auto_filter.ref = (
        f"A{header_row}:{get_column_letter(len(table.columns))}{header_row + count}"
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def xlsx_response(
    request,
    table: Table,
    objects: Iterable[object],
    *,
    filename: str,
    heading: Sequence[str] = (),
    target: str = "",
) -> HttpResponse:
    """Send a table as an .xlsx download and record the export."""
    content, count = workbook_bytes(table, objects, heading)
    if table.personal:
        filters = "&".join(
            f"{key}={value}"
            for key, value in request.GET.items()
            if key not in (EXPORT_PARAM, "q")
        )
        # The search box can hold a convict's name: it is left out.
        record_audit(
            AuditLog.Action.EXPORT,
            request=request,
            target=target or table.title,
            detail=f"{request.path} {count} dòng; {filters}",
        )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
