"""A case's change history, read from django-simple-history's rows.

The case page shows who changed what and when on the case itself, its
convict, judgment, sentence and events, including events later deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import models

from cases.models import Event, ExecutionCase, Judgment, Person, Sentence

# Changes the system makes on its own account or that say nothing to a
# reader (register bookkeeping).
_HIDDEN = {"problems", "register_seq", "deleted_by"}
_ACTIONS = {"+": "Tạo", "~": "Sửa", "-": "Xóa hẳn"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: dt.datetime
    who: str
    what: str  # "Sửa hình phạt", "Thêm sự kiện …"
    changes: list[Change] = field(default_factory=list)


def _shown(model: type[models.Model], name: str, value) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "có" if value else "không"
    if model_field.is_relation:
        return f"#{value}"
    return str(value)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "hệ thống"
    return user.full_name or user.username


def _entries(model: type[models.Model], records) -> list[Entry]:
    """One entry per historical row, each diffed against the row before it
    of the same object."""
    label = model._meta.verbose_name
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for rows in by_object.values():
        rows.sort(key=lambda row: (row.history_date, row.history_id))
        first = rows[0]
        entries.append(
            Entry(
                first.history_date,
                _who(first),
                f"{_ACTIONS[first.history_type]} {label}{_event_name(first)}",
            )
        )
        for old, new in pairwise(rows):
            delta = new.diff_against(old)
            changes = [
                Change(
                    str(model._meta.get_field(change.field).verbose_name),
                    _shown(model, change.field, change.old),
                    _shown(model, change.field, change.new),
                )
                for change in delta.changes
                if change.field not in _HIDDEN
            ]
            what = f"{_ACTIONS[new.history_type]} {label}{_event_name(new)}"
            if model is Event and "deleted_at" in delta.changed_fields:
                what = ("Xóa " if new.deleted_at else "Khôi phục ") + (
                    f"{label}{_event_name(new)}"
                )
                changes = [c for c in changes if c.label != "xóa lúc"]
            if changes or new.history_type != "~" or model is Event:
                entries.append(Entry(new.history_date, _who(new), what, changes))
    return entries


def _event_name(record) -> str:
    if not hasattr(record, "kind") or not hasattr(record, "date"):
        return ""
    kind = dict(Event._meta.get_field("kind").flatchoices).get(record.kind, "")
    return f": {kind} ngày {record.date:%d/%m/%Y}"


def case_history(case: ExecutionCase, limit: int = 200) -> list[Entry]:
    """The newest ``limit`` changes of the case and what belongs to it."""
    sources = [
        (ExecutionCase, ExecutionCase.history.filter(id=case.pk)),
        (Person, Person.history.filter(id=case.person_id)),
        (Judgment, Judgment.history.filter(id=case.judgment_id)),
        (Sentence, Sentence.history.filter(case_id=case.pk)),
        (Event, Event.history.filter(case_id=case.pk)),
    ]
    entries = []
    for model, records in sources:
        entries += _entries(model, records.select_related("history_user"))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
