import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from monitoring.jobs import AlreadyRunning, run_monitoring


class Command(BaseCommand):
    help = "Chạy giám sát hằng ngày: tạo cảnh báo của ngày (mặc định hôm nay)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="Ngày theo dõi, dạng YYYY-MM-DD.")

    def handle(self, *args, **options):
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as error:
                raise CommandError("Ngày --as-of phải có dạng YYYY-MM-DD.") from error
        try:
            run = run_monitoring(as_of)
        except AlreadyRunning as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Giám sát ngày {run.as_of:%d/%m/%Y}: {run.cases} hồ sơ cần cảnh báo, "
            f"{run.alerts_created} cảnh báo mới, {len(run.errors)} lỗi."
        )
