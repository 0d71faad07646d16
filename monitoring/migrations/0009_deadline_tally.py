"""The tally of closed deadlines behind the dashboards' period figures
(``monitoring.tally``), filled from the stored deadlines; and, on
PostgreSQL, two covering indexes for what the dashboards still read live
(docs/performance.md, "Dashboards"):

- the open deadlines' partial index carries the agency and its kind too,
  so that the period's deadlines not yet met are grouped by agency from
  the index alone, in the same scan as the "now" figures;
- the cases' (unit, prosecutor), cancelled ones left out, carries what the
  dashboard counts per prosecutor and what the open deadlines are joined
  on, so neither reads the wide case rows.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = [
    (
        "monitoring_deadline_open_cover",
        "ON monitoring_deadline (unit_id, rule, due) INCLUDE (warn_from, case_id, "
        "agency_id, responsible_kind) WHERE done IS NULL AND lapsed_on IS NULL",
    ),
    (
        "cases_executioncase_live_dash",
        "ON cases_executioncase (unit_id, prosecutor_id) INCLUDE (id, status, problems) "
        "WHERE cancelled_on IS NULL",
    ),
]
# Replaced by the first above (migration 0007).
OLD_OPEN = (
    "monitoring_deadline_open_dash",
    "ON monitoring_deadline (unit_id, rule, due) INCLUDE (warn_from, case_id) "
    "WHERE done IS NULL AND lapsed_on IS NULL",
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_OPEN[0]}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_OPEN[0]} {OLD_OPEN[1]}")
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def fill(apps, schema_editor):
    from monitoring import tally

    tally.rebuild(
        models=(
            apps.get_model("monitoring", "Deadline"),
            apps.get_model("monitoring", "DeadlineTally"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_user_receives_digest"),
        ("monitoring", "0008_deadline_explained_on_read"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeadlineTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("month", models.DateField(verbose_name="tháng đến hạn")),
                (
                    "prosecutor_key",
                    models.IntegerField(default=0, verbose_name="kiểm sát viên"),
                ),
                ("agency_key", models.IntegerField(default=0, verbose_name="cơ quan")),
                ("responsible_kind", models.CharField(max_length=24)),
                ("met", models.IntegerField(default=0, verbose_name="đúng hạn")),
                ("met_late", models.IntegerField(default=0, verbose_name="trễ hạn")),
                (
                    "lapsed",
                    models.IntegerField(
                        default=0, verbose_name="không còn phải thực hiện"
                    ),
                ),
                (
                    "late_days",
                    models.BigIntegerField(default=0, verbose_name="tổng số ngày trễ"),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="cases.unit",
                        verbose_name="đơn vị",
                    ),
                ),
            ],
            options={
                "verbose_name": "tổng hợp thời hạn",
                "verbose_name_plural": "tổng hợp thời hạn",
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "unit",
                            "month",
                            "prosecutor_key",
                            "agency_key",
                            "responsible_kind",
                        ),
                        name="uniq_deadline_tally",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
