"""The procuracy's actions that need the leader's attention, for any page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from violations import services

register = template.Library()


@register.inclusion_tag("violations/_attention.html")
def action_attention(unit_ids, heading: bool = True):
    """Issued actions whose reply is overdue, and rejected ones."""
    if not isinstance(unit_ids, list | tuple | set):
        unit_ids = [unit_ids]
    overdue, rejected = services.attention(list(unit_ids), timezone.localdate())
    return {
        "late_replies": list(overdue[:10]),
        "rejected": list(rejected[:10]),
        "heading": heading,
    }
