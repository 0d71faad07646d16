from monitoring.models import Alert


def alerts(request):
    """The number of unread alerts beside the menu link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_alerts": Alert.objects.filter(user=user, read_at__isnull=True).count()
    }
