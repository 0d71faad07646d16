"""The Celery app; without REDIS_URL tasks run in-process (see settings)."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sothuly.settings")

app = Celery("sothuly")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@worker_process_init.connect
def _fail_closed(**kwargs):
    """A worker sees no tenant rows until a task names its scope with
    sothuly.rls.system_scope() or units_scope() (the pool's processes are
    marked too, whatever their start method)."""
    from sothuly import rls

    rls.mark_fail_closed()
