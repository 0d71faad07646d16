"""Project-wide views: the Vietnamese page for a refused form token."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form sent from a stale page (signed out, or signed in again in
    another tab): say what happened and how to go on, never Django's page."""
    return render(request, "csrf_failure.html", status=403)
