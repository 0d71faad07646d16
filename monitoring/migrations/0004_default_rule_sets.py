"""The three rule sets of legal-rules.md, as a new installation starts."""

from django.db import migrations


def load(apps, schema_editor):
    from monitoring.rules import load_defaults

    load_defaults(apps.get_model("monitoring", "RuleSet"), apps.get_model("monitoring", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_ruleset_deadline_computed_due_and_more")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
