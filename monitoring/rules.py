"""The rule sets an installation uses: database rows, read as engine data."""

from __future__ import annotations

import dataclasses
import time

from monitoring import rulebook
from monitoring.rulebook import RuleDef, RuleSetDef

_RULE_FIELDS = [
    field.name
    for field in dataclasses.fields(RuleDef)
    if field.name not in {"code", "title"}
]
_LIST_FIELDS = {
    "start_events",
    "stop_events",
    "fallback_stop_events",
    "lapse_events",
    "kinds",
    "instances",
}
_SET_FIELDS = [
    "exclude_start_day",
    "roll_forward",
    "lateness_in_working_days",
    "legal_effect_window_days",
]


def load_defaults(rule_set_model, rule_model) -> None:
    """Create the default rule sets where missing (migrations call this with
    their historical models); existing rows, maybe edited, stay as they are."""
    for definition in rulebook.default_rule_sets():
        rule_set, _ = rule_set_model.objects.get_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "valid_from": definition.valid_from,
                "valid_to": definition.valid_to,
                "basis_checked": definition.basis_checked,
                "note": definition.note,
                **{name: getattr(definition, name) for name in _SET_FIELDS},
            },
        )
        for order, rule in enumerate(definition.rules):
            values = {
                name: list(getattr(rule, name))
                if name in _LIST_FIELDS
                else getattr(rule, name)
                for name in _RULE_FIELDS
            }
            rule_model.objects.get_or_create(
                rule_set=rule_set,
                code=rule.code,
                defaults={"title": rule.title, "order": order, **values},
            )


def _definition(row) -> RuleDef:
    values = {
        name: tuple(getattr(row, name) or ())
        if name in _LIST_FIELDS
        else getattr(row, name)
        for name in _RULE_FIELDS
    }
    values["start_details"] = dict(row.start_details or {})
    values["stop_details"] = dict(row.stop_details or {})
    return RuleDef(code=row.code, title=row.title, **values)


def read_rule_sets() -> list[RuleSetDef]:
    from monitoring.models import Rule, RuleSet

    rules_by_set: dict[int, list[RuleDef]] = {}
    for row in Rule.objects.filter(enabled=True).order_by("order", "code"):
        rules_by_set.setdefault(row.rule_set_id, []).append(_definition(row))
    return [
        RuleSetDef(
            code=rule_set.code,
            name=rule_set.name,
            valid_from=rule_set.valid_from,
            valid_to=rule_set.valid_to,
            basis_checked=rule_set.basis_checked,
            rules=tuple(rules_by_set.get(rule_set.pk, ())),
            note=rule_set.note,
            **{name: getattr(rule_set, name) for name in _SET_FIELDS},
        )
        for rule_set in RuleSet.objects.order_by("valid_from")
    ]


# Each process keeps the rules; an edit saved through another process
# reaches this one within the time below.
_MAX_AGE_SECONDS = 60
_cached: list[RuleSetDef] | None = None
_read_at = 0.0


def get_rule_sets() -> list[RuleSetDef]:
    global _cached, _read_at
    if _cached is None or time.monotonic() - _read_at > _MAX_AGE_SECONDS:
        _cached = read_rule_sets() or rulebook.default_rule_sets()
        _read_at = time.monotonic()
    return _cached


def invalidate() -> None:
    global _cached
    _cached = None
