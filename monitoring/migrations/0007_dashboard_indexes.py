"""Indexes for the leaders' dashboards (monitoring/dashboard.py), PostgreSQL
only.

Covering indexes let the dashboards' aggregates read the index alone
(index-only scans), never the wide deadline rows (their explanations make a
row about 0.8 kB): measured in docs/performance.md, "Dashboards". Written as
SQL because Django's model state cannot express them portably (INCLUDE is
PostgreSQL's); the embedded SQLite demo is small and does without.
"""

from django.db import migrations

INDEXES = [
    # Open deadlines by unit and rule, in due order: "overdue now", the
    # orphan A5/A10 lists and the L1 limitation watch.
    (
        "monitoring_deadline_open_dash",
        "ON monitoring_deadline (unit_id, rule, due) INCLUDE (warn_from, case_id) "
        "WHERE done IS NULL AND lapsed_on IS NULL",
    ),
    # Every deadline of a unit by due date, with what the period figures
    # need: met, met late, still overdue, by agency, prosecutor and month.
    (
        "monitoring_deadline_due_cover",
        "ON monitoring_deadline (unit_id, due) INCLUDE (done, lapsed_on, "
        "warn_from, rule, agency_id, responsible_kind, case_id)",
    ),
    # The few cancelled cases, excluded from every figure by a subquery.
    (
        "cases_executioncase_cancelled_dash",
        "ON cases_executioncase (unit_id) WHERE cancelled_on IS NOT NULL",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("monitoring", "0006_digest_and_sweeps"),
    ]

    operations = [migrations.RunPython(create, drop)]
