"""The Celery app; without REDIS_URL tasks run in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sothuly.settings")

app = Celery("sothuly")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
