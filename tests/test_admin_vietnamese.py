"""The administrator's pages are in Vietnamese, the installed packages' too.

Django 5.2's admin, django-simple-history, django-otp, two-factor and
django-axes leave some strings in English (locale/vi supplies them, and
``sothuly.signin_admin`` the ones the packages do not translate).
"""

import json
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from cases.models import AdminAccessLog, Crime
from monitoring.models import Rule

# English a tester found, or the packages would show, on these pages.
ENGLISH = [
    "Please correct",
    "Show counts",
    "Hide counts",
    "Added:",
    "Changed:",
    "Deleted:",
    "Skip to main content",
    "Toggle theme",
    "Changed by",
    "Change reason",
    "Choose a date",
    "This object doesn't",
    "Attempted Access",
    "Identity",
    "Timestamps",
    "Configuration",
    "Throttling",
    "Search by",
    "Created at",
    "Last used at",
    "Confirmed",
    "Bản ghi nhớ",
    "legal-rules.md",
    "0 các lần",
]


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _assert_vietnamese(html: str, *expected: str) -> None:
    found = [word for word in ENGLISH if word in html]
    assert not found, found
    for phrase in expected:
        assert phrase in html, phrase


@pytest.fixture
def admin_client(administrator, client_for):
    return client_for(administrator)


def test_index_lists_recent_actions_in_vietnamese(admin_client):
    crime = Crime.objects.create(article="999", name="Tội thử")
    admin_client.post(
        reverse("admin:cases_crime_change", args=[crime.pk]),
        {"article": "999", "name": "Tội thử nghiệm"},
    )
    admin_client.post(reverse("admin:cases_crime_add"), {"article": "998", "name": "X"})

    html = _text(admin_client.get(reverse("admin:index")))

    _assert_vietnamese(html, "Hoạt động gần đây", "Đã sửa:", "Đã thêm:", "Đăng xuất")


def test_changelist_filters_offer_counts_in_vietnamese(admin_client, court_a):
    html = _text(admin_client.get(reverse("admin:cases_agency_changelist")))

    _assert_vietnamese(html, "Hiện số lượng", "Bộ lọc")


def test_a_form_with_an_error_asks_in_vietnamese(admin_client):
    response = admin_client.post(reverse("admin:cases_crime_add"), {})

    _assert_vietnamese(_text(response), "Đề nghị sửa các lỗi dưới đây.")


def test_history_pages_are_in_vietnamese(admin_client, unit_a):
    unit_a.name = "Viện kiểm sát nhân dân khu vực 1 (đổi tên)"
    unit_a.save()

    change = _text(
        admin_client.get(reverse("admin:cases_unit_change", args=[unit_a.pk]))
    )
    history = _text(
        admin_client.get(reverse("admin:cases_unit_history", args=[unit_a.pk]))
    )

    _assert_vietnamese(change, "Lịch sử")
    _assert_vietnamese(
        history,
        "Chọn một thời điểm",
        "Đối tượng",
        "Người thực hiện",
        "Lý do thay đổi",
        "Nội dung thay đổi",
        "Tạo mới",
        "Sửa",
        "mục",
    )
    assert not re.search(r"\d+ entr(y|ies)", history)
    assert not re.search(r">\s*None\s*<", history)


def test_the_admin_calendar_speaks_vietnamese(admin_client):
    js = _text(admin_client.get(reverse("admin:jsi18n")))

    # The catalogue is JSON, non-ASCII letters escaped.
    for phrase in ["Chọn ngày", "Hôm nay", "Bây giờ", "Thứ hai", "T2"]:
        assert json.dumps(phrase)[1:-1] in js, phrase


def test_lockouts_are_titled_in_vietnamese_and_local_time(admin_client):
    attempt = AccessAttempt.objects.create(
        username="ksv.a",
        ip_address="10.0.0.7",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/dang-nhap/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    local = timezone.localtime(attempt.attempt_time).strftime("%d/%m/%Y %H:%M")
    url = reverse("admin:axes_accessattempt_changelist")

    listing = _text(admin_client.get(url))
    confirm = _text(
        admin_client.post(
            url, {"action": "delete_selected", "_selected_action": [attempt.pk]}
        )
    )
    done = _text(
        admin_client.post(
            url,
            {
                "action": "delete_selected",
                "_selected_action": [attempt.pk],
                "post": "yes",
            },
            follow=True,
        )
    )

    _assert_vietnamese(listing, "Trạng thái", "2 lần thử còn lại")
    _assert_vietnamese(confirm, f"ksv.a lúc {local}", "Tài khoản đăng nhập sai")
    _assert_vietnamese(done, "Đã xóa")
    assert "+00:00" not in confirm


def test_two_factor_devices_are_listed_in_vietnamese(administrator, admin_client):
    listing = _text(admin_client.get(reverse("admin:otp_totp_totpdevice_changelist")))
    device = administrator.totpdevice_set.get()
    change = _text(
        admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    )

    _assert_vietnamese(
        listing,
        "Người dùng",
        "Tên thiết bị",
        "Tạo lúc",
        "Dùng lần cuối lúc",
        "Đã xác nhận",
        "mặc định",
        "Tìm theo tên đăng nhập",
    )
    _assert_vietnamese(
        change, "Thông tin thiết bị", "Hạn chế nhập sai", "Độ lệch đồng hồ"
    )
    assert ">default<" not in listing
    assert "The date and time" not in change
    assert "The most recent" not in change
    assert "mặc định (" in change


def test_backup_codes_list_in_vietnamese(administrator, admin_client):
    StaticDevice.objects.create(user=administrator, name="backup")
    html = _text(admin_client.get(reverse("admin:otp_static_staticdevice_changelist")))

    _assert_vietnamese(html, "Người dùng", "Tên thiết bị", "Tìm theo", "dự phòng")


def test_admin_access_log_is_in_vietnamese(administrator, admin_client, unit_a):
    AdminAccessLog.objects.create(user=administrator, unit=unit_a, path="/ho-so/")

    html = _text(admin_client.get(reverse("admin:cases_adminaccesslog_changelist")))

    _assert_vietnamese(
        html, "Thời điểm", "Người dùng", "Đơn vị", "Vụ việc", "Đường dẫn", "Bởi đơn vị"
    )
    assert "Bởi unit" not in html


def test_rules_show_their_codes_with_vietnamese_names(admin_client):
    rule = Rule.objects.exclude(start_events=[]).first()
    if rule is None:
        pytest.skip("No rule set is loaded by the migrations.")

    html = _text(
        admin_client.get(reverse("admin:monitoring_rule_change", args=[rule.pk]))
    )

    _assert_vietnamese(html, "Thứ tự", "Sự kiện bắt đầu (tên)", "Danh mục mã")
    assert "Order:" not in html
    from cases.models import EventKind

    assert EventKind(rule.start_events[0]).label in html


def test_the_lockout_page_names_the_admin_list_as_it_is_shown():
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.utils.text import capfirst

    page = Path(settings.BASE_DIR, "templates/registration/lockout.html").read_text()
    plural = capfirst(str(AccessAttempt._meta.verbose_name_plural))

    assert f"Quản trị › {apps.get_app_config('axes').verbose_name} › {plural}" in page


def test_a_rule_edit_the_engine_could_not_count_is_refused_in_vietnamese(
    admin_client,
):
    """A5 (07 days) edited to 9999 days, with an unknown stop event and
    a sentence kind that is not JSON: the form comes back with a Vietnamese
    reason beside each field, and the rule is unchanged (saving it would
    have recomputed every case with a period the calendar cannot hold)."""
    from django.forms.models import model_to_dict

    rule = Rule.objects.filter(code="A5").first()
    if rule is None:
        pytest.skip("No rule set is loaded by the migrations.")
    data = {
        key: json.dumps(value) if isinstance(value, list | dict) else value
        for key, value in model_to_dict(rule).items()
        if value is not None
    }
    data.update(duration="9999", stop_events='["khong_co"]', kinds="[prison")

    response = admin_client.post(
        reverse("admin:monitoring_rule_change", args=[rule.pk]), data
    )

    html = _text(response)
    assert response.status_code == 200
    assert "Thời hạn tối đa 3650 ngày: kiểm tra lại số đã nhập." in html
    assert "Mã không có trong danh mục: khong_co" in html
    assert "Nhập đúng dạng JSON" in html
    assert Rule.objects.get(pk=rule.pk).duration == rule.duration
