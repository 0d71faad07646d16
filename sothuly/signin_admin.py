"""Vietnamese admin for the sign-in packages' models.

django-otp writes its admin labels, fieldset titles, help texts and search
help as English literals (not translatable), and django-axes titles its
records with the raw UTC time: the admins registered in ``cases.admin``
take these Vietnamese versions instead. Field names are renamed in
``sothuly.apps`` (a runtime ``verbose_name`` leaves the migrations alone; a
help text would not, so help texts are given to the form here).
"""

from axes.admin import AccessAttemptAdmin
from django.contrib import admin
from django.utils import formats, timezone

# Field names of the devices (django_otp.models and the TOTP/static plugins).
DEVICE_FIELD_NAMES = {
    "user": "người dùng",
    "name": "tên thiết bị",
    "confirmed": "đã xác nhận",
    "throttling_failure_timestamp": "lần nhập sai gần nhất",
    "throttling_failure_count": "số lần nhập sai liên tiếp",
    "created_at": "tạo lúc",
    "last_used_at": "dùng lần cuối lúc",
    "key": "khóa bí mật",
    "step": "chu kỳ mã (giây)",
    "t0": "mốc bắt đầu tính chu kỳ",
    "digits": "số chữ số",
    "tolerance": "số chu kỳ lệch cho phép",
    "drift": "độ lệch đồng hồ (chu kỳ)",
    "last_t": "chu kỳ của mã dùng gần nhất",
    "device": "thiết bị",
    "token": "mã",
}

DEVICE_HELP_TEXTS = {
    "user": "Người dùng sở hữu thiết bị này.",
    "name": "Tên để nhận biết thiết bị.",
    "confirmed": "Thiết bị đã sẵn sàng để dùng.",
    "throttling_failure_timestamp": "Thời điểm nhập sai gần nhất; trống nếu "
    "lần gần nhất nhập đúng.",
    "throttling_failure_count": "Số lần nhập sai liên tiếp.",
    "key": "Khóa bí mật dạng hex, tối đa 40 byte.",
    "step": "Độ dài một chu kỳ mã, tính bằng giây.",
    "t0": "Thời điểm (Unix) bắt đầu tính chu kỳ.",
    "digits": "Số chữ số của mã.",
    "tolerance": "Số chu kỳ trước hoặc sau vẫn chấp nhận mã.",
    "drift": "Số chu kỳ đồng hồ của thiết bị lệch so với máy chủ.",
    "last_t": "Chu kỳ của mã đúng gần nhất; mã sau phải thuộc chu kỳ muộn hơn.",
}

FIELDSET_TITLES = {
    "Identity": "Thông tin thiết bị",
    "Timestamps": "Thời điểm",
    "Configuration": "Cấu hình",
    "State": "Trạng thái",
    "Throttling": "Hạn chế nhập sai",
}

# The name two-factor gives the device set up at sign-in.
DEVICE_NAMES = {"default": "mặc định", "backup": "dự phòng"}


def rename_fields(model) -> None:
    for field in model._meta.get_fields():
        if field.name in DEVICE_FIELD_NAMES and hasattr(field, "verbose_name"):
            field.verbose_name = DEVICE_FIELD_NAMES[field.name]


def device_title(device) -> str:
    """A device's title (breadcrumbs, messages): its name, in Vietnamese."""
    name = DEVICE_NAMES.get(device.name, device.name)
    return f"{name} ({device.user})" if device.user_id else name


# Read-only timestamps would show the model's English help text: shown
# through these instead.
TIMESTAMPS = {"created_at": "tạo lúc", "last_used_at": "dùng lần cuối lúc"}


def _timestamp(field: str):
    def display(self, device):
        value = getattr(device, field)
        if value is None:
            return "—"
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")

    display.__name__ = f"{field}_shown"
    return admin.display(description=TIMESTAMPS[field])(display)


class DeviceAdminVietnamese:
    """For a django-otp device admin: Vietnamese titles, help and names."""

    search_help_text = "Tìm theo tên đăng nhập hoặc địa chỉ thư điện tử của người dùng"

    def get_list_display(self, request):
        return [
            "device_name" if name == "name" else name
            for name in super().get_list_display(request)
        ]

    @admin.display(description="tên thiết bị", ordering="name")
    def device_name(self, device):
        return DEVICE_NAMES.get(device.name, device.name)

    created_at_shown = _timestamp("created_at")
    last_used_at_shown = _timestamp("last_used_at")

    def get_readonly_fields(self, request, obj=None):
        return [
            f"{name}_shown" if name in TIMESTAMPS else name
            for name in super().get_readonly_fields(request, obj)
        ]

    def get_fieldsets(self, request, obj=None):
        return [
            (
                FIELDSET_TITLES.get(title, title),
                {
                    **options,
                    "fields": [
                        f"{name}_shown" if name in TIMESTAMPS else name
                        for name in options["fields"]
                    ],
                },
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["help_texts"] = {**DEVICE_HELP_TEXTS, **kwargs.get("help_texts", {})}
        return super().get_form(request, obj, **kwargs)


def attempt_title(attempt) -> str:
    """An AccessAttempt's title: who, and when in local time."""
    at = formats.date_format(timezone.localtime(attempt.attempt_time), "d/m/Y H:i:s")
    return f"{attempt.username} lúc {at}"


class AccessAttemptAdminVietnamese(AccessAttemptAdmin):
    @admin.display(description="trạng thái")
    def status(self, obj):
        return super().status(obj)

    @admin.display(description="hết hiệu lực lúc")
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.action(description="Xóa các lần đăng nhập sai đã hết hiệu lực")
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"Đã xóa {count} lần đăng nhập sai hết hiệu lực.")
