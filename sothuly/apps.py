"""Vietnamese names, in the admin, for the sign-in apps we install.

django-axes translates its strings (locale/vi supplies them); django-otp's
model and field names are plain English literals, so they are renamed here
(the admins themselves: ``sothuly.signin_admin``).
"""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as OTPStaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OTPTOTPConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Khóa đăng nhập sai nhiều lần"

    def ready(self):
        super().ready()
        from sothuly.signin_admin import attempt_title

        # Axes titles a record "Attempted Access: <UTC time>" (list, delete
        # confirmation, messages): Vietnamese and local time instead.
        self.get_model("AccessAttempt").__str__ = attempt_title


class StaticDeviceConfig(OTPStaticConfig):
    verbose_name = "Xác thực hai bước: mã dự phòng"

    def ready(self):
        super().ready()
        from sothuly.signin_admin import device_title, rename_fields

        meta = self.get_model("StaticDevice")._meta
        meta.verbose_name = "bộ mã dự phòng"
        meta.verbose_name_plural = "bộ mã dự phòng"
        rename_fields(self.get_model("StaticDevice"))
        self.get_model("StaticDevice").__str__ = device_title
        rename_fields(self.get_model("StaticToken"))


class TOTPDeviceConfig(OTPTOTPConfig):
    verbose_name = "Xác thực hai bước: ứng dụng xác thực"

    def ready(self):
        super().ready()
        from sothuly.signin_admin import device_title, rename_fields

        meta = self.get_model("TOTPDevice")._meta
        meta.verbose_name = "ứng dụng xác thực (TOTP)"
        meta.verbose_name_plural = "ứng dụng xác thực (TOTP)"
        rename_fields(self.get_model("TOTPDevice"))
        self.get_model("TOTPDevice").__str__ = device_title
