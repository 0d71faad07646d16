import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from monitoring.digest import send_digests


class Command(BaseCommand):
    help = (
        "Gửi thư tổng hợp cảnh báo mới cho từng người dùng (mỗi người tối đa một "
        "thư một ngày)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="Ngày của thư, dạng YYYY-MM-DD.")

    def handle(self, *args, **options):
        day = None
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError as error:
                raise CommandError("Ngày --day phải có dạng YYYY-MM-DD.") from error
        outcome = send_digests(day)
        self.stdout.write(
            f"Thư tổng hợp: {outcome.sent} đã gửi, {outcome.skipped} không cần gửi, "
            f"{outcome.failed} lỗi."
        )
