"""Signals other apps use to stay in step with the computed deadlines."""

from django.dispatch import Signal

# Sent inside the transaction that rewrote the deadlines of ``case_ids``
# (``None``: every case, e.g. the nightly run judging dates against a new
# day), with ``as_of`` and the ``reason`` of the change. Receivers must do
# their work in that transaction, so that a rollback undoes both.
deadlines_changed = Signal()
