"""The register's screens: sign-in, scope, entry flow, case page, dashboard."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import (
    AdminAccessLog,
    Agency,
    Event,
    EventKind,
    ExecutionCase,
)
from cases.services import add_event

pytestmark = pytest.mark.django_db


def _entry_data(court, **overrides):
    """A complete entry-form submission for one convict."""
    data = {
        "number": "03/2024/HS-ST",
        "court": str(court.pk),
        "instance": "first",
        "pronounced_on": "20/12/2024",
        "effective_on": "",
        "register_date": "02/01/2025",
        "first_instance_number": "",
        "first_instance_court": "",
        "first_instance_pronounced_on": "",
        "convict-TOTAL_FORMS": "1",
        "convict-INITIAL_FORMS": "0",
        "convict-MIN_NUM_FORMS": "1",
        "convict-MAX_NUM_FORMS": "20",
        "convict-0-full_name": "Nguyễn Thị Hạnh",
        "convict-0-sex": "female",
        "convict-0-birth_date": "14/03/1991",
        "convict-0-birth_year": "",
        "convict-0-id_number": "031191001201",
        "convict-0-residence": "Thôn Đông, xã An Lão, thành phố Hải Phòng",
        "convict-0-custody": "at_liberty",
        "convict-0-crimes": "174 khoản 1",
        "convict-0-sentence_kind": "prison",
        "convict-0-term_years": "1",
        "convict-0-term_months": "6",
        "convict-0-term_days": "",
        "convict-0-probation_years": "",
        "convict-0-probation_months": "",
        "convict-0-fine_amount": "",
        "convict-0-prosecutor": "",
        "convict-0-qdtha_number": "",
        "convict-0-qdtha_date": "",
        "convict-0-qdtha_received_on": "",
        "save": "1",
    }
    data.update(overrides)
    return data


def _deadlines(case):
    return {d.rule: d for d in case.deadlines.all()}


# Sign-in -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/ho-so/", "/ho-so/moi/", "/ho-so/1/", "/ho-so/1/su-kien/1/"],
)
def test_it_sends_a_signed_out_visitor_to_the_sign_in_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/?next=")


def test_it_signs_in_with_a_username_and_password(client, prosecutor_a):
    from tests.conftest import PASSWORD

    response = client.post(
        "/dang-nhap/",
        {
            "login_view-current_step": "auth",
            "auth-username": "ksv.a",
            "auth-password": PASSWORD,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Tổng quan" in response.content.decode()


def test_a_wrong_password_gets_a_vietnamese_message(client, prosecutor_a):
    response = client.post(
        "/dang-nhap/",
        {
            "login_view-current_step": "auth",
            "auth-username": "ksv.a",
            "auth-password": "sai",
        },
    )

    assert "mật khẩu không đúng" in response.content.decode()


# Entry flow ----------------------------------------------------------------


def test_entering_a_judgment_gives_the_worked_example_dates(
    client_for, prosecutor_a, court_a
):
    """legal-rules.md worked examples, through the screens.

    Pronounced 20/12/2024, no appeal: the superior procuracy's window ends
    Sun 19/01/2025 → Mon 20/01, effect Tue 21/01/2025; A5 = +7 days = 28/01,
    a Tết day off → Mon 03/02/2025. A QĐTHA issued Fri 24/01/2025: A7 = 3
    working days, 27/01-31/01 are Tết days off → Wed 05/02/2025. Served on
    the convict Fri 24/01/2025: A10 = +7 days = 31/01, a Tết day off → Mon
    03/02/2025.
    """
    client = client_for(prosecutor_a)

    response = client.post(
        "/ho-so/moi/",
        _entry_data(
            court_a,
            **{
                "convict-0-qdtha_number": "07/2025/QĐ-CA",
                "convict-0-qdtha_date": "24/01/2025",
                "convict-0-prosecutor": str(prosecutor_a.pk),
            },
        ),
    )
    case = ExecutionCase.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])

    client.post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "execution_decision_served", "date": "24/01/2025"},
    )
    deadlines = _deadlines(case)
    assert deadlines["A5"].due == dt.date(2025, 2, 3)
    assert deadlines["A5"].done == dt.date(2025, 1, 24)
    assert deadlines["A7"].due == dt.date(2025, 2, 5)
    assert deadlines["A10"].due == dt.date(2025, 2, 3)

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "03/02/2025" in page
    assert "05/02/2025" in page
    assert "Tết" in page  # the explanation names the Tết days skipped


def test_register_numbers_run_per_procuracy_year_without_gaps(
    client_for, prosecutor_a, court_a
):
    """The procuracy year runs 1 December - 30 November: an entry of
    30/11/2025 is the last of 2025, one of 01/12/2025 the first of 2026."""
    client = client_for(prosecutor_a)
    for index, register_date in enumerate(("28/11/2025", "30/11/2025", "01/12/2025")):
        client.post(
            "/ho-so/moi/",
            _entry_data(
                court_a,
                number=f"1{index}/2025/HS-ST",
                pronounced_on="01/10/2025",
                register_date=register_date,
            ),
        )

    numbers = list(
        ExecutionCase.objects.order_by("register_date").values_list(
            "register_number", flat=True
        )
    )
    assert numbers == ["1/2025", "2/2025", "1/2026"]


def test_a_cancelled_entry_keeps_its_number_and_the_next_one_moves_on(
    client_for, prosecutor_a, court_a
):
    client = client_for(prosecutor_a)
    client.post("/ho-so/moi/", _entry_data(court_a))
    first = ExecutionCase.objects.get()

    client.post(reverse("cases:cancel", args=[first.pk]), {"reason": "Vào sổ nhầm"})
    client.post("/ho-so/moi/", _entry_data(court_a, number="04/2024/HS-ST"))

    first.refresh_from_db()
    assert first.is_cancelled
    assert first.register_number == "1/2025"
    second = ExecutionCase.objects.exclude(pk=first.pk).get()
    assert second.register_number == "2/2025"


def test_one_judgment_with_two_convicts_makes_two_register_entries(
    client_for, prosecutor_a, court_a
):
    data = _entry_data(court_a)
    data["convict-TOTAL_FORMS"] = "2"
    for key, value in list(data.items()):
        if key.startswith("convict-0-"):
            data[key.replace("convict-0-", "convict-1-")] = value
    data["convict-1-full_name"] = "Trần Quốc Việt"
    data["convict-1-sex"] = "male"
    data["convict-1-id_number"] = ""

    response = client_for(prosecutor_a).post("/ho-so/moi/", data)

    assert response.status_code == 302
    cases = ExecutionCase.objects.order_by("register_seq")
    assert [c.person.full_name for c in cases] == ["Nguyễn Thị Hạnh", "Trần Quốc Việt"]
    assert cases[0].judgment_id == cases[1].judgment_id


def test_adding_a_convict_block_keeps_what_was_typed(client_for, prosecutor_a, court_a):
    data = _entry_data(court_a)
    data.pop("save")
    data["add_convict"] = "1"

    response = client_for(prosecutor_a).post("/ho-so/moi/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Người bị kết án 2" in page
    assert 'value="Nguyễn Thị Hạnh"' in page
    assert 'value="03/2024/HS-ST"' in page
    assert ExecutionCase.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"convict-0-term_years": "0", "convict-0-term_months": "0"},
            "Mức án phải lớn hơn 0",
        ),
        ({"convict-0-crimes": "999"}, "Điều 999 chưa có trong danh mục"),
        ({"convict-0-qdtha_date": "01/12/2024"}, "không được trước ngày tuyên án"),
        ({"pronounced_on": "31/02/2024"}, "Tháng 02/2024 chỉ có 29 ngày."),
        ({"pronounced_on": "2024/13/45"}, "Ngày không hợp lệ"),
        ({"register_date": "01/12/2024"}, "Ngày thụ lý không được trước ngày tuyên án"),
        (
            {
                "convict-0-sentence_kind": "suspended",
                "convict-0-term_years": "4",
                "convict-0-probation_years": "5",
            },
            "không quá 03 năm",
        ),
        (
            {"convict-0-sentence_kind": "suspended", "convict-0-probation_years": "6"},
            "từ 01 năm đến 05 năm",
        ),
        (
            {
                "convict-0-sentence_kind": "non_custodial_reform",
                "convict-0-term_years": "4",
            },
            "từ 06 tháng đến 03 năm",
        ),
        ({"pronounced_on": "01/01/2099"}, "không được sau ngày hôm nay"),
        ({"convict-0-full_name": "An"}, "Nhập đủ họ và tên"),
    ],
)
def test_a_bad_entry_is_refused_with_a_message_and_keeps_what_was_typed(
    client_for, prosecutor_a, court_a, overrides, message
):
    response = client_for(prosecutor_a).post(
        "/ho-so/moi/", _entry_data(court_a, **overrides)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="03/2024/HS-ST"' in page
    assert ExecutionCase.objects.count() == 0


def test_an_appeal_needs_the_first_instance_court(client_for, prosecutor_a, court_a):
    response = client_for(prosecutor_a).post(
        "/ho-so/moi/", _entry_data(court_a, instance="appeal")
    )

    assert "chọn Tòa án đã xét xử sơ thẩm" in response.content.decode()


def test_a_court_is_refused_outside_its_validity_dates(client_for, prosecutor_a):
    old_court = Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng",
        valid_to=dt.date(2025, 6, 30),
    )

    response = client_for(prosecutor_a).post(
        "/ho-so/moi/",
        _entry_data(old_court, pronounced_on="15/08/2025", register_date="20/09/2025"),
    )

    assert "không còn (hoặc chưa) hoạt động" in response.content.decode()


# Events --------------------------------------------------------------------


def test_recording_a_late_receipt_makes_a7_met_late(
    client_for, prosecutor_a, make_case, court_a
):
    """A7 (LTHAHS Art. 22(2)): QĐTHA issued Mon 28/04/2025; 3 working days
    skip 30/04, 01/05 and the swapped day off 02/05 → Tue 06/05/2025. The
    procuracy received it Thu 08/05: met 2 days late, judged by receipt."""
    case = make_case(prosecutor_a.unit)
    client = client_for(prosecutor_a)
    url = reverse("cases:event_add", args=[case.pk])

    client.post(
        url,
        {
            "kind": "execution_decision_issued",
            "date": "28/04/2025",
            "number": "52/2025/QĐ-CA",
        },
    )
    client.post(url, {"kind": "execution_decision_received", "date": "08/05/2025"})

    a7 = _deadlines(case)["A7"]
    assert a7.due == dt.date(2025, 5, 6)
    assert a7.done == dt.date(2025, 5, 8)
    assert a7.status(dt.date(2026, 1, 1)).code == "met_late"
    assert a7.status(dt.date(2026, 1, 1)).late_days == 2


def test_correcting_an_event_recomputes_its_deadline(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)
    event = add_event(
        case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 5, 20)
    )
    assert _deadlines(case)["A5"].done == dt.date(2025, 5, 20)

    client_for(prosecutor_a).post(
        reverse("cases:event_edit", args=[case.pk, event.pk]),
        {"kind": "execution_decision_issued", "date": "27/04/2025"},
    )

    a5 = _deadlines(case)["A5"]
    assert a5.done == dt.date(2025, 4, 27)
    # Effect 22/04/2025 + 7 days = Tue 29/04/2025, a working day.
    assert a5.due == dt.date(2025, 4, 29)
    assert a5.status(dt.date(2026, 1, 1)).code == "met"


def test_an_event_before_the_judgment_is_refused_next_to_the_field(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)

    response = client_for(prosecutor_a).post(
        reverse("cases:event_add", args=[case.pk]),
        {
            "kind": "execution_decision_issued",
            "date": "01/01/2025",
            "number": "01/2025",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "không được trước ngày tuyên án" in page
    assert 'value="01/2025"' in page
    assert not Event.objects.exists()


def test_a_receipt_before_any_qdtha_is_refused(client_for, prosecutor_a, make_case):
    case = make_case(prosecutor_a.unit)

    response = client_for(prosecutor_a).post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "execution_decision_received", "date": "05/05/2025"},
    )

    assert "Chưa có QĐTHA" in response.content.decode()


def test_a_postponement_needs_its_last_day(client_for, prosecutor_a, make_case):
    case = make_case(prosecutor_a.unit)

    response = client_for(prosecutor_a).post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "postponement_granted", "date": "05/05/2025"},
    )

    assert "Nhập ngày hết thời hạn hoãn" in response.content.decode()


def test_a_last_day_centuries_ahead_is_refused_as_a_mistyped_year(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)

    response = client_for(prosecutor_a).post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "postponement_granted", "date": "05/05/2025", "until": "31/12/9999"},
    )

    assert "kiểm tra lại năm" in response.content.decode()
    assert not case.events.filter(kind="postponement_granted").exists()


# Scope ---------------------------------------------------------------------


def _case_urls(case, event):
    return [
        ("get", reverse("cases:detail", args=[case.pk])),
        ("get", reverse("cases:event_edit", args=[case.pk, event.pk])),
        ("post", reverse("cases:event_edit", args=[case.pk, event.pk])),
        ("post", reverse("cases:event_add", args=[case.pk])),
        ("post", reverse("cases:event_delete", args=[case.pk, event.pk])),
        ("post", reverse("cases:cancel", args=[case.pk])),
    ]


def test_a_user_of_another_unit_gets_404_on_every_case_url(
    client_for, prosecutor_a, prosecutor_b, make_case
):
    case = make_case(prosecutor_a.unit, full_name="Lê Văn Bí Mật")
    event = add_event(
        case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 25)
    )
    outsider = client_for(prosecutor_b)

    for method, url in _case_urls(case, event):
        response = getattr(outsider, method)(
            url, {"kind": "death", "date": "01/05/2025", "reason": "x"}
        )
        assert response.status_code == 404, url
        assert "Bí Mật" not in response.content.decode()

    case.refresh_from_db()
    assert not case.is_cancelled
    assert case.events.count() == 1


def test_lists_and_dashboard_show_nothing_of_another_unit(
    client_for, prosecutor_a, prosecutor_b, make_case
):
    make_case(prosecutor_a.unit, full_name="Lê Văn Bí Mật")
    outsider = client_for(prosecutor_b)

    for url in ("/", "/ho-so/", "/ho-so/?q=Bí", "/?mine=0"):
        assert "Bí Mật" not in outsider.get(url).content.decode()
    assert outsider.get(f"/ho-so/?unit={prosecutor_a.unit_id}").status_code == 404
    assert outsider.get(f"/?unit={prosecutor_a.unit_id}").status_code == 404


def test_a_provincial_leader_reads_child_units_but_cannot_change_them(
    client_for, prosecutor_a, province_leader, make_case
):
    case = make_case(prosecutor_a.unit, full_name="Lê Văn Bí Mật")
    event = add_event(
        case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 25)
    )
    client = client_for(province_leader)

    assert "Bí Mật" in client.get("/ho-so/").content.decode()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    for method, url in _case_urls(case, event)[1:]:
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 403, url
    assert client.get("/ho-so/moi/").status_code == 200  # their own unit


def test_a_regional_leader_reads_only_their_unit(
    client_for, leader_a, prosecutor_b, make_case
):
    other = make_case(prosecutor_b.unit, full_name="Lê Văn Bí Mật")

    client = client_for(leader_a)

    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 404
    assert "Bí Mật" not in client.get("/ho-so/").content.decode()


def test_a_clerk_reads_and_changes_their_units_cases(client_for, clerk_a, make_case):
    case = make_case(clerk_a.unit)

    response = client_for(clerk_a).post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "execution_decision_issued", "date": "25/04/2025"},
    )

    assert response.status_code == 302
    assert case.events.count() == 1


def test_an_administrators_read_of_a_units_case_is_recorded(
    client_for, administrator, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)
    client = client_for(administrator)

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert (
        client.post(
            reverse("cases:cancel", args=[case.pk]), {"reason": "x"}
        ).status_code
        == 403
    )

    log = AdminAccessLog.objects.filter(user=administrator, case=case)
    assert log.count() == 1
    assert log.get().unit == prosecutor_a.unit


# Lists ---------------------------------------------------------------------


def test_the_case_list_sorts_people_the_vietnamese_way(
    client_for, prosecutor_a, make_case
):
    """By given name, then middle and family name, in the Vietnamese
    alphabet: An < Ánh < Ân < Bình < Dũng < Đông < Ê."""
    for name in [
        "Phạm Đức Đông",
        "Nguyễn Thị Ê",
        "Bùi Thị Ân",
        "Trần Thị Ánh",
        "Lý Văn Bình",
        "Nguyễn Văn An",
        "Hoàng Văn Dũng",
    ]:
        make_case(prosecutor_a.unit, full_name=name)

    page = client_for(prosecutor_a).get("/ho-so/").content.decode()

    order = [
        "Nguyễn Văn An",
        "Trần Thị Ánh",
        "Bùi Thị Ân",
        "Lý Văn Bình",
        "Hoàng Văn Dũng",
        "Phạm Đức Đông",
        "Nguyễn Thị Ê",
    ]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)


def test_the_case_list_filters_by_status_kind_and_prosecutor(
    client_for, prosecutor_a, leader_a, make_case
):
    make_case(prosecutor_a.unit, full_name="Đỗ Văn Tù", prosecutor=prosecutor_a)
    make_case(
        prosecutor_a.unit,
        full_name="Vũ Thị Treo",
        sentence_kind="suspended",
        term_years=1,
        probation_years=2,
        prosecutor=leader_a,
    )
    client = client_for(prosecutor_a)

    by_kind = client.get("/ho-so/?kind=suspended").content.decode()
    by_prosecutor = client.get(f"/ho-so/?prosecutor={prosecutor_a.pk}").content.decode()
    by_status = client.get("/ho-so/?status=completed").content.decode()

    assert "Vũ Thị Treo" in by_kind and "Đỗ Văn Tù" not in by_kind
    assert "Đỗ Văn Tù" in by_prosecutor and "Vũ Thị Treo" not in by_prosecutor
    assert "Không có hồ sơ nào" in by_status


def test_the_dashboard_lists_an_overdue_a5(client_for, prosecutor_a, make_case):
    """A5: effect 22/04/2025 + 7 days = Tue 29/04/2025, no QĐTHA: overdue."""
    make_case(prosecutor_a.unit, full_name="Đinh Văn Chậm", prosecutor=prosecutor_a)

    page = client_for(prosecutor_a).get("/").content.decode()

    assert "Đinh Văn Chậm" in page
    assert "29/04/2025" in page
    assert "Quá hạn" in page


def test_every_page_renders_for_every_role(
    client_for,
    prosecutor_a,
    clerk_a,
    leader_a,
    province_leader,
    administrator,
    make_case,
):
    case = make_case(prosecutor_a.unit)
    event = add_event(
        case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 25)
    )
    urls = ["/", "/ho-so/", reverse("cases:detail", args=[case.pk])]
    for user in (prosecutor_a, clerk_a, leader_a, province_leader, administrator):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.username, url)
    for user in (prosecutor_a, clerk_a, leader_a):
        client = client_for(user)
        assert client.get("/ho-so/moi/").status_code == 200
        assert (
            client.get(
                reverse("cases:event_edit", args=[case.pk, event.pk])
            ).status_code
            == 200
        )
    assert client_for(administrator).get("/ho-so/moi/").status_code == 403


# Found by a first user -------------------------------------------------------


def test_search_ignores_case_diacritics_and_spacing(
    client_for, prosecutor_a, make_case
):
    make_case(prosecutor_a.unit, full_name="Nguyễn Văn Đức")
    client = client_for(prosecutor_a)

    for query in ("nguyen van duc", "NGUYỄN", "đức", "Nguyễn  Văn"):
        assert "Nguyễn Văn Đức" in client.get("/ho-so/", {"q": query}).content.decode()


def test_a_name_typed_in_decomposed_unicode_is_stored_composed(prosecutor_a, make_case):
    decomposed = "To\u0302\u0309 Ho\u031b\u0323p"
    case = make_case(prosecutor_a.unit, full_name=decomposed)

    assert case.person.full_name == "Tổ Hợp"


def test_the_same_convict_of_the_same_judgment_is_not_entered_twice(
    client_for, prosecutor_a, court_a
):
    client = client_for(prosecutor_a)
    client.post("/ho-so/moi/", _entry_data(court_a))

    response = client.post("/ho-so/moi/", _entry_data(court_a))

    assert "đã có trong sổ thụ lý theo bản án này (số thụ lý 1/2025)" in (
        response.content.decode()
    )
    assert ExecutionCase.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("khoản 1 Điều 173", [("173", "1")]),
        ("điểm a khoản 2 Điều 173 BLHS", [("173", "2")]),
        ("173 khoản 1 và 174", [("173", "1"), ("174", "")]),
        ("173.2, 251", [("173", "2"), ("251", "")]),
    ],
)
def test_crimes_are_read_as_prosecutors_cite_them(typed, expected, db):
    from cases.forms import parse_crimes

    assert [(c.article, c.clause) for c in parse_crimes(typed)] == expected


def test_a_clause_that_no_article_has_is_refused(client_for, prosecutor_a, court_a):
    response = client_for(prosecutor_a).post(
        "/ho-so/moi/", _entry_data(court_a, **{"convict-0-crimes": "173 khoản 99"})
    )

    assert "Khoản 99 không có trong điều luật" in response.content.decode()


def test_a_fine_may_be_typed_with_dots_and_an_absurd_one_is_refused(
    client_for, prosecutor_a, court_a
):
    client = client_for(prosecutor_a)
    fine = {"convict-0-sentence_kind": "fine", "convict-0-term_years": ""}
    fine["convict-0-term_months"] = ""

    huge = client.post(
        "/ho-so/moi/",
        _entry_data(court_a, **fine, **{"convict-0-fine_amount": "9" * 30}),
    )
    assert "không quá 1.000 tỷ đồng" in huge.content.decode()

    client.post(
        "/ho-so/moi/",
        _entry_data(court_a, **fine, **{"convict-0-fine_amount": "5.000.000"}),
    )
    assert ExecutionCase.objects.get().sentence.fine_amount == 5_000_000


def test_a_convict_under_14_on_the_judgment_day_is_refused(
    client_for, prosecutor_a, court_a
):
    response = client_for(prosecutor_a).post(
        "/ho-so/moi/",
        _entry_data(
            court_a, **{"convict-0-birth_date": "", "convict-0-birth_year": "2030"}
        ),
    )

    assert "chưa đủ 14 tuổi" in response.content.decode()


def test_detention_typed_at_entry_is_credited(client_for, prosecutor_a, court_a):
    """C7 (BLHS 63): a 1-year-6-month term, 20 days of detention from 02/05 to
    21/05/2024 (both days count), reported to serve on 03/02/2025: one third
    = 180 days, less 20 = 160 days = 5 months 10 days → 13/07/2025."""
    client = client_for(prosecutor_a)
    client.post(
        "/ho-so/moi/",
        _entry_data(
            court_a,
            **{
                "convict-0-detention_from": "02/05/2024",
                "convict-0-detention_to": "21/05/2024",
                "convict-0-qdtha_date": "24/01/2025",
            },
        ),
    )
    case = ExecutionCase.objects.get()
    add_event(case, kind=EventKind.REPORTED_TO_SERVE, date=dt.date(2025, 2, 3))

    assert case.eligibility_dates.get(rule="C7").date == dt.date(2025, 7, 13)


def test_a_cancelled_entry_takes_no_more_events(client_for, prosecutor_a, make_case):
    case = make_case(prosecutor_a.unit)
    client = client_for(prosecutor_a)
    client.post(reverse("cases:cancel", args=[case.pk]), {"reason": "Vào sổ nhầm"})

    response = client.post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "execution_decision_issued", "date": "25/04/2025"},
        follow=True,
    )

    assert "đã hủy: không ghi thêm" in response.content.decode()
    assert not case.events.exists()


def test_a_cancelled_entry_breaches_nothing_and_takes_no_override_or_assignment(
    client_for, prosecutor_a, leader_a, make_case
):
    """Effect 22/04/2025, no QĐTHA: A5 is overdue and a violation of the
    court. Cancelling the entry (vào sổ nhầm) withdraws that violation in
    the same step; its deadlines can no longer be overridden, nor the case
    assigned."""
    from violations.models import Violation
    from violations.sync import sync_cases

    case = make_case(prosecutor_a.unit)
    sync_cases([case.pk], as_of=dt.date(2025, 6, 1))
    assert Violation.objects.filter(case=case, rule="A5").exists()
    a5 = case.deadlines.get(rule="A5")
    client = client_for(prosecutor_a)

    client.post(reverse("cases:cancel", args=[case.pk]), {"reason": "Vào sổ nhầm"})
    override = client.post(
        reverse("monitoring:override", args=[case.pk, a5.pk]),
        {"due": "06/05/2025", "reason": "court_papers", "note": "Theo giấy"},
    )
    assign = client_for(leader_a).post(
        reverse("cases:assign", args=[case.pk]),
        {"prosecutor": prosecutor_a.pk},
        follow=True,
    )

    assert not Violation.objects.filter(case=case, state=Violation.State.FOUND).exists()
    assert override.status_code == 403
    assert case.deadlines.get(rule="A5").computed_due is None
    assert "đã hủy: không phân công" in assign.content.decode()


def test_an_event_agency_must_exist_on_the_events_date(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)
    abolished = Agency.objects.create(
        kind=Agency.Kind.EXECUTION_AGENCY,
        name="Cơ quan THAHS Công an quận Lê Chân",
        valid_to=dt.date(2025, 2, 28),
    )

    response = client_for(prosecutor_a).post(
        reverse("cases:event_add", args=[case.pk]),
        {
            "kind": "execution_decision_issued",
            "date": "25/04/2025",
            "agency": str(abolished.pk),
        },
    )

    assert "không hoạt động vào ngày 25/04/2025" in response.content.decode()


def test_one_bad_filter_value_keeps_the_other_filters(
    client_for, prosecutor_a, make_case
):
    make_case(prosecutor_a.unit, full_name="Đỗ Văn Tù")
    make_case(
        prosecutor_a.unit,
        full_name="Vũ Thị Treo",
        sentence_kind="suspended",
        term_years=1,
        probation_years=2,
    )

    page = client_for(prosecutor_a).get("/ho-so/?kind=suspended&prosecutor=999999")

    text = page.content.decode()
    assert "Vũ Thị Treo" in text
    assert "Đỗ Văn Tù" not in text


def test_an_administrators_list_read_is_one_log_row(client_for, administrator, unit_a):
    client_for(administrator).get("/ho-so/")

    assert AdminAccessLog.objects.filter(user=administrator).count() == 1


def test_the_deadline_list_shows_every_overdue_deadline_of_the_scope_only(
    client_for, prosecutor_a, prosecutor_b, make_case
):
    """A5: effect 22/04/2025 + 7 days = Tue 29/04/2025; none issued."""
    for index in range(3):
        make_case(prosecutor_a.unit, full_name=f"Lê Văn Chậm {chr(65 + index)}")
    make_case(prosecutor_b.unit, full_name="Lê Văn Bí Mật")

    mine = client_for(prosecutor_a).get("/thoi-han/?status=overdue&rule=A5")
    theirs = client_for(prosecutor_b).get(
        f"/thoi-han/?status=overdue&unit={prosecutor_a.unit_id}"
    )

    text = mine.content.decode()
    assert text.count("29/04/2025") == 3
    assert "Bí Mật" not in text
    assert theirs.status_code == 404


def test_a_stale_form_gets_a_vietnamese_page(prosecutor_a, court_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(prosecutor_a)

    response = client.post("/ho-so/moi/", _entry_data(court_a))

    assert response.status_code == 403
    assert "Trang này đã cũ" in response.content.decode()


def test_a_convict_known_by_birth_year_only_reads_as_year_of_birth(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit, prosecutor=prosecutor_a)

    page = client_for(prosecutor_a).get(f"/ho-so/{case.pk}/").content.decode()

    assert "<dt>Năm sinh</dt><dd>1990</dd>" in page


def test_an_appeal_judgment_says_when_it_took_effect_and_what_starts_a5(
    client_for, prosecutor_a, make_case
):
    """An appeal judgment takes effect when pronounced; its QĐTHA (A5,
    BLTTHS Điều 364 k1) counts from the first-instance court's receipt of
    it, which the page asks the prosecutor to record."""
    from cases.models import Instance

    case = make_case(
        prosecutor_a.unit,
        prosecutor=prosecutor_a,
        instance=Instance.APPEAL,
        number="88/2026/HS-PT",
        pronounced_on=dt.date(2026, 11, 20),
        effective_on=None,
    )

    page = client_for(prosecutor_a).get(f"/ho-so/{case.pk}/").content.decode()

    assert "<dt>Hiệu lực pháp luật</dt><dd>20/11/2026" in page
    assert "bản án phúc thẩm có hiệu lực kể từ ngày tuyên" in page


def test_the_prosecutor_records_the_property_obligations_with_history(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("cases:obligations", args=[case.pk]),
        {
            "obligations": "partly",
            "obligations_on": "12/11/2026",
            "obligations_note": "Còn 3.000.000 đồng tiền phạt",
        },
        follow=True,
    )

    case.refresh_from_db()
    page = response.content.decode()
    assert (case.obligations, case.obligations_on) == ("partly", dt.date(2026, 11, 12))
    assert "Đã thi hành một phần" in page
    assert "theo thông tin ngày 12/11/2026" in page
    assert "Còn 3.000.000 đồng tiền phạt" in page
    assert case.history.first().obligations == "partly"


def test_obligations_without_a_date_are_refused_keeping_what_was_typed(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)

    response = client_for(prosecutor_a).post(
        reverse("cases:obligations", args=[case.pk]),
        {
            "obligations": "outstanding",
            "obligations_on": "",
            "obligations_note": "CV 7",
        },
    )

    page = response.content.decode()
    case.refresh_from_db()
    assert response.status_code == 200
    assert "Ghi ngày của thông tin" in page
    assert 'value="CV 7"' in page
    assert case.obligations == ""


def test_another_unit_cannot_record_obligations_and_a_province_leader_only_reads(
    client_for, prosecutor_a, prosecutor_b, province_leader, make_case
):
    case = make_case(prosecutor_a.unit)
    data = {"obligations": "settled", "obligations_on": "01/12/2026"}

    foreign = client_for(prosecutor_b).post(
        reverse("cases:obligations", args=[case.pk]), data
    )
    above = client_for(province_leader).post(
        reverse("cases:obligations", args=[case.pk]), data
    )

    case.refresh_from_db()
    assert foreign.status_code == 404
    assert above.status_code == 403
    assert case.obligations == ""


def test_a_postponements_end_shows_as_a_date_when_corrected(
    client_for, prosecutor_a, make_case
):
    """A postponement of 02/05/2025 until 15/12/2025, opened for correction:
    its end reads 15/12/2025 as typed, not the stored 2025-12-15."""
    case = make_case(prosecutor_a.unit)
    event = add_event(
        case,
        kind=EventKind.POSTPONEMENT_GRANTED,
        date=dt.date(2025, 5, 2),
        details={"until": "2025-12-15"},
    )

    page = client_for(prosecutor_a).get(
        reverse("cases:event_edit", args=[case.pk, event.pk])
    )

    assert 'value="15/12/2025"' in page.content.decode()
    assert "2025-12-15" not in page.content.decode()
