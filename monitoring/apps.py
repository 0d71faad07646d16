from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Giám sát thời hạn"

    def ready(self) -> None:
        # Connects the handlers that keep the deadline tally when a case's
        # prosecutor or cancellation changes.
        from monitoring import tally  # noqa: F401
