"""The "Văn bản" card of a case page."""

from django import template
from django.utils import timezone

from cases import scoping
from documents import services
from documents.offers import offers_for, other_forms

register = template.Library()


@register.inclusion_tag("documents/_case_card.html", takes_context=True)
def documents_card(context, case):
    user = context["request"].user
    offers = offers_for(case, timezone.localdate())
    return {
        "case": case,
        "offers": offers,
        "others": other_forms(case, offers),
        "documents": case.documents.select_related("created_by").order_by(
            "-created_at"
        ),
        "can_draft": scoping.can_write(user, case.unit_id)
        and services.can_draft(user, case.unit_id)
        and not case.is_cancelled,
    }
