from django.apps import AppConfig


class ViolationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "violations"
    verbose_name = "Vi phạm và kiến nghị"

    def ready(self) -> None:
        from monitoring.signals import deadlines_changed
        from violations import receivers

        deadlines_changed.connect(
            receivers.follow_deadlines, dispatch_uid="violations.follow_deadlines"
        )
