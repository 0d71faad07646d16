"""Crimes of the Penal Code (BLHS 2015, amended 2017) met in practice.

Editable afterwards in the admin; the list is a starting point, not the
whole code.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "crimes.json"


def load(apps, schema_editor):
    Crime = apps.get_model("cases", "Crime")
    for article, name in json.loads(DATA.read_text(encoding="utf-8")):
        Crime.objects.get_or_create(article=article, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
