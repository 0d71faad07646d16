"""Corrections to the holidays package's calendar that were checked.

2026: the Government agreed on 25/12/2025 to swap the working Friday
02/01/2026 with Saturday 10/01/2026 so that state bodies rest from 01/01 to
04/01/2026 (reported by the national press on 25-26/12/2025; the package
does not have the swap).
"""

import datetime as dt

from django.db import migrations

SOURCE = "Chính phủ đồng ý hoán đổi ngày làm việc (thông báo của Bộ Nội vụ, 25/12/2025)"
OVERRIDES = [
    (dt.date(2026, 1, 2), "day_off", "Nghỉ Tết Dương lịch (hoán đổi với ngày 10/01/2026)"),
    (dt.date(2026, 1, 10), "working_day", "Làm bù cho ngày 02/01/2026"),
]


def load(apps, schema_editor):
    CalendarOverride = apps.get_model("monitoring", "CalendarOverride")
    for day, kind, name in OVERRIDES:
        CalendarOverride.objects.get_or_create(
            date=day, defaults={"kind": kind, "name": name, "source": SOURCE}
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
