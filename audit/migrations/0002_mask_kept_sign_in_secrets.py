"""Mask the passwords and one-time codes django-axes kept in the clear.

Before AXES_PASSWORD_FORM_FIELD and AXES_SENSITIVE_PARAMETERS named the
two-factor sign-in's fields, each failed attempt's form data was stored
with the typed password ("auth-password=…"). New attempts are masked by
django-axes itself; this masks the ones already kept.
"""

from django.conf import settings
from django.db import migrations

MASK = "********************"


def _masked(text: str) -> str:
    sensitive = {"password", settings.AXES_PASSWORD_FORM_FIELD}
    sensitive.update(settings.AXES_SENSITIVE_PARAMETERS)
    lines = []
    for line in (text or "").split("\n"):
        key, sep, _value = line.partition("=")
        lines.append(f"{key}={MASK}" if sep and key in sensitive else line)
    return "\n".join(lines)


def mask(apps, schema_editor):
    AccessAttempt = apps.get_model("axes", "AccessAttempt")
    for attempt in AccessAttempt.objects.all().iterator():
        post_data, get_data = _masked(attempt.post_data), _masked(attempt.get_data)
        if (post_data, get_data) != (attempt.post_data, attempt.get_data):
            attempt.post_data, attempt.get_data = post_data, get_data
            attempt.save(update_fields=["post_data", "get_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]
