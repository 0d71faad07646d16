"""A first history row for the rule sets, rules and calendar days that the
migrations created.

Migrations write with historical models, which keep no history: the first
edit of a shipped rule (A7: 3 → 5 days) then had nothing to compare with,
and its history page did not show the value it replaced. New
installations get the rows from the migrations that load the defaults
(they run before this one); an installation whose rows were already
edited gets a baseline from their present values, which is the best
there is.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Giá trị ban đầu (bộ quy tắc, lịch làm việc mặc định)"


def baseline(apps, schema_editor):
    now = timezone.now()
    for name in ("RuleSet", "Rule", "CalendarOverride"):
        model = apps.get_model("monitoring", name)
        historical = apps.get_model("monitoring", f"Historical{name}")
        recorded = set(historical.objects.values_list("id", flat=True).distinct())
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if not field.primary_key
        ]
        rows = [
            historical(
                id=row.pk,
                **{attname: getattr(row, attname) for attname in fields},
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for row in model.objects.exclude(pk__in=recorded)
        ]
        historical.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0012_alert_of_an_action")]
    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
