"""A leader assigns cases and names who covers an absent prosecutor."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Cover

pytestmark = pytest.mark.django_db


def test_a_leader_reassigns_a_case_and_the_change_is_kept(
    client_for, leader_a, prosecutor_a, clerk_a, make_case
):
    case = make_case(leader_a.unit)

    response = client_for(leader_a).post(
        reverse("cases:assign", args=[case.pk]), {"prosecutor": prosecutor_a.pk}
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert case.prosecutor == prosecutor_a
    assert case.history.first().prosecutor_id == prosecutor_a.pk
    assert case.history.count() >= 2


def test_only_a_leader_of_the_unit_assigns(
    client_for, prosecutor_a, clerk_a, province_leader, prosecutor_b, make_case
):
    case = make_case(prosecutor_a.unit)
    url = reverse("cases:assign", args=[case.pk])
    data = {"prosecutor": prosecutor_a.pk}

    assert client_for(prosecutor_a).post(url, data).status_code == 403
    assert client_for(clerk_a).post(url, data).status_code == 403
    assert client_for(province_leader).post(url, data).status_code == 403
    assert client_for(prosecutor_b).post(url, data).status_code == 404
    case.refresh_from_db()
    assert case.prosecutor is None


def test_a_case_cannot_be_assigned_to_another_units_prosecutor(
    client_for, leader_a, prosecutor_b, make_case
):
    case = make_case(leader_a.unit)

    client_for(leader_a).post(
        reverse("cases:assign", args=[case.pk]), {"prosecutor": prosecutor_b.pk}
    )

    case.refresh_from_db()
    assert case.prosecutor is None


def test_a_cover_puts_the_absent_prosecutors_cases_on_the_work_list(
    client_for, leader_a, prosecutor_a, make_case
):
    make_case(leader_a.unit, full_name="Đinh Văn Vắng Mặt", prosecutor=leader_a)
    today = timezone.localdate()

    response = client_for(leader_a).post(
        "/phan-cong-lam-thay/",
        {
            "absent": leader_a.pk,
            "cover": prosecutor_a.pk,
            "start": f"{today - dt.timedelta(days=1):%d/%m/%Y}",
            "end": f"{today + dt.timedelta(days=5):%d/%m/%Y}",
        },
    )

    assert response.status_code == 302
    assert Cover.objects.get().cover == prosecutor_a
    page = client_for(prosecutor_a).get("/viec-cua-toi/").content.decode()
    assert "Đinh Văn Vắng Mặt" in page
    end = today + dt.timedelta(days=5)
    assert f"và hồ sơ của {leader_a} (làm thay đến {end:%d/%m/%Y})" in page


def test_a_cover_needs_two_people_and_a_forward_period(client_for, leader_a):
    response = client_for(leader_a).post(
        "/phan-cong-lam-thay/",
        {
            "absent": leader_a.pk,
            "cover": leader_a.pk,
            "start": "10/12/2026",
            "end": "01/12/2026",
        },
    )

    page = response.content.decode()
    assert "Người làm thay phải là người khác." in page
    assert "Ngày kết thúc không được trước ngày bắt đầu." in page


def test_a_cover_wholly_in_the_past_is_refused(client_for, leader_a, prosecutor_a):
    """01/01/2020 to 31/12/2020: nobody's work list changes any more."""
    response = client_for(leader_a).post(
        "/phan-cong-lam-thay/",
        {
            "absent": leader_a.pk,
            "cover": prosecutor_a.pk,
            "start": "01/01/2020",
            "end": "31/12/2020",
        },
    )

    assert "Thời gian vắng mặt đã qua" in response.content.decode()
    assert not Cover.objects.exists()


def test_only_leaders_manage_covers(client_for, prosecutor_a, prosecutor_b):
    assert client_for(prosecutor_a).get("/phan-cong-lam-thay/").status_code == 403


def _cover(client, absent, cover, start, end):
    return client.post(
        "/phan-cong-lam-thay/",
        {
            "absent": absent.pk,
            "cover": cover.pk,
            "start": f"{start:%d/%m/%Y}",
            "end": f"{end:%d/%m/%Y}",
        },
    )


def test_two_prosecutors_cannot_cover_each_other_at_once(
    client_for, leader_a, prosecutor_a
):
    """Tuấn covers Liên 05–10/12 while Liên covers Tuấn 06–08/12: in the
    overlap nobody handles either's cases, so the second is refused."""
    client = client_for(leader_a)
    _cover(client, prosecutor_a, leader_a, dt.date(2026, 12, 5), dt.date(2026, 12, 10))

    response = _cover(
        client, leader_a, prosecutor_a, dt.date(2026, 12, 6), dt.date(2026, 12, 8)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"{prosecutor_a} vắng mặt từ 05/12/2026 đến 10/12/2026" in page
    assert f"{leader_a} đang làm thay {prosecutor_a}" in page
    assert Cover.objects.count() == 1


def test_a_leader_ends_a_cover_early_and_withdraws_one_not_begun(
    client_for, leader_a, prosecutor_a, make_case
):
    make_case(leader_a.unit, full_name="Đinh Văn Vắng Mặt", prosecutor=leader_a)
    today = timezone.localdate()
    client = client_for(leader_a)
    _cover(client, leader_a, prosecutor_a, today - dt.timedelta(days=3), today)
    under_way = Cover.objects.get()

    client.post(reverse("cases:cover_end", args=[under_way.pk]))

    under_way.refresh_from_db()
    assert under_way.end == today - dt.timedelta(days=1)
    page = client_for(prosecutor_a).get("/viec-cua-toi/").content.decode()
    assert "Đinh Văn Vắng Mặt" not in page
    # One that has not begun is withdrawn, and its history kept.
    _cover(
        client,
        leader_a,
        prosecutor_a,
        today + dt.timedelta(days=7),
        today + dt.timedelta(days=9),
    )
    later = Cover.objects.get(start=today + dt.timedelta(days=7))
    client.post(reverse("cases:cover_end", args=[later.pk]))
    assert not Cover.objects.filter(pk=later.pk).exists()
    assert Cover.history.filter(id=later.pk, history_type="-").exists()


def test_only_a_leader_of_the_unit_ends_a_cover(
    client_for, leader_a, prosecutor_a, prosecutor_b
):
    today = timezone.localdate()
    _cover(client_for(leader_a), leader_a, prosecutor_a, today, today)
    cover = Cover.objects.get()

    assert (
        client_for(prosecutor_a)
        .post(reverse("cases:cover_end", args=[cover.pk]))
        .status_code
        == 403
    )
    assert (
        client_for(prosecutor_b)
        .post(reverse("cases:cover_end", args=[cover.pk]))
        .status_code
        == 404
    )
    cover.refresh_from_db()
    assert cover.end == today
