"""The documents screens: offers on the case page, review, preview, the
approval buttons, downloads, the outgoing register, templates; and the
outsider on every route."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from docx import Document as Docx

from cases.models import EventKind
from cases.services import add_event
from documents import rendering, services
from documents.build_templates import build
from documents.catalogue import FORMS
from documents.models import Document

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 5)


@pytest.fixture
def case(make_case, unit_a, court_a):
    return make_case(unit_a)


@pytest.fixture
def draft(case, prosecutor_a):
    fields = services.draft_fields("09TH", case, prosecutor_a, DAY)
    return services.create_document(case, "09TH", fields, prosecutor_a)


def _post_fields(document_or_fields):
    fields = getattr(document_or_fields, "fields", document_or_fields)
    return {
        key: value
        for key, value in fields.items()
        if isinstance(value, str) and key in FORMS["09TH"].fields
    }


def test_the_case_page_offers_09th_when_a5_is_overdue(client_for, prosecutor_a, case):
    response = client_for(prosecutor_a).get(reverse("cases:detail", args=[case.pk]))

    html = response.content.decode()
    assert 'id="van-ban"' in html
    assert reverse("documents:new", args=[case.pk, "09TH"]) in html
    assert "Thời hạn A5 (Tòa án ra QĐTHA) quá hạn" in html


def test_the_case_page_offers_11th_when_a10_is_overdue(
    client_for, prosecutor_a, case, court_a
):
    add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 25),
        number="45/2025/QĐ-CA",
        agency=court_a,
    )
    add_event(case, kind=EventKind.EXECUTION_DECISION_SERVED, date=dt.date(2025, 5, 2))
    assert case.deadlines.filter(rule="A10").exists()

    response = client_for(prosecutor_a).get(reverse("cases:detail", args=[case.pk]))

    html = response.content.decode()
    assert reverse("documents:new", args=[case.pk, "11TH"]) in html
    assert "Thời hạn A10" in html


def test_a_read_only_user_sees_the_documents_but_no_drafting_links(
    client_for, province_leader, case, draft
):
    html = (
        client_for(province_leader)
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )

    assert reverse("documents:detail", args=[draft.pk]) in html
    assert reverse("documents:new", args=[case.pk, "09TH"]) not in html


def test_the_review_form_is_prefilled_from_the_case(client_for, prosecutor_a, case):
    response = client_for(prosecutor_a).get(
        reverse("documents:new", args=[case.pk, "09TH"])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Nguyễn Văn An"' in html
    assert 'value="12/2025/HS-ST"' in html
    assert "Chánh án Tòa án nhân dân khu vực 1 - Thử Nghiệm" in html


def test_saving_the_reviewed_fields_creates_a_draft_with_the_edits(
    client_for, prosecutor_a, case
):
    client = client_for(prosecutor_a)
    initial = services.draft_fields("09TH", case, prosecutor_a, DAY)
    data = _post_fields(initial)
    data["person_residence"] = "Khu A & B <C>"

    response = client.post(reverse("documents:new", args=[case.pk, "09TH"]), data)

    document = Document.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:detail", args=[document.pk])
    assert document.fields["person_residence"] == "Khu A & B <C>"
    assert document.state == "draft"
    html = client.get(response.url).content.decode()
    assert "Khu A &amp; B &lt;C&gt;" in html  # escaped in the HTML preview
    assert "Kính gửi: Chánh án Tòa án nhân dân khu vực 1 - Thử Nghiệm" in html


def test_a_bad_date_is_refused_with_the_reason(client_for, prosecutor_a, case):
    data = _post_fields(services.draft_fields("09TH", case, prosecutor_a, DAY))
    data["doc_date"] = "31/02/2026"

    response = client_for(prosecutor_a).post(
        reverse("documents:new", args=[case.pk, "09TH"]), data
    )

    assert response.status_code == 200
    assert "Tháng 02/2026 chỉ có 28 ngày." in response.content.decode()
    assert not Document.objects.exists()


def test_the_whole_approval_runs_through_the_screens(
    client_for, prosecutor_a, leader_a, clerk_a, draft
):
    detail = reverse("documents:detail", args=[draft.pk])
    client_for(prosecutor_a).post(reverse("documents:submit", args=[draft.pk]))
    leader = client_for(leader_a)
    assert "Duyệt ký" in leader.get(detail).content.decode()
    leader.post(reverse("documents:approve", args=[draft.pk]), {"comment": "Đồng ý"})
    # Approved the day before it is issued (no issue date precedes approval).
    draft.steps.filter(action="approved").update(
        at=dt.datetime(2026, 2, 4, 9, tzinfo=dt.UTC)
    )
    clerk = client_for(clerk_a)
    assert "Vào sổ, phát hành" in clerk.get(detail).content.decode()

    response = clerk.post(
        reverse("documents:issue", args=[draft.pk]), {"issued_on": "05/02/2026"}
    )

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.state == "issued"
    assert draft.number_text == "01/YC-VKSKV1"
    register = clerk.get(reverse("documents:index") + "?so=di").content.decode()
    assert "01/YC-VKSKV1" in register
    assert "05/02/2026" in register
    # The register of numbering year 2026 (01/12/2025 – 30/11/2026), to
    # print or file as a spreadsheet, with its "Nơi nhận".
    assert "2026 (01/12/2025 – 30/11/2026)" in register
    assert "Lưu: HSKS" in register
    export = client_for(clerk_a).get(
        reverse("documents:index") + "?so=di&nam=2026&xuat=xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Số, ký hiệu")
    assert "Nơi nhận" in header and "Trích yếu" in header
    assert any(row and row[0] == "01/YC-VKSKV1" for row in rows)


def test_the_leader_returns_a_draft_with_a_comment(
    client_for, prosecutor_a, leader_a, draft
):
    services.submit_document(draft, prosecutor_a)

    client_for(leader_a).post(
        reverse("documents:return", args=[draft.pk]), {"comment": "Bổ sung số ngày."}
    )

    draft.refresh_from_db()
    assert draft.state == "returned"
    html = (
        client_for(prosecutor_a)
        .get(reverse("documents:detail", args=[draft.pk]))
        .content.decode()
    )
    assert "Bổ sung số ngày." in html
    assert reverse("documents:edit", args=[draft.pk]) in html


def test_the_wrong_role_gets_403_on_each_step(
    client_for, prosecutor_a, leader_a, clerk_a, draft
):
    assert (
        client_for(clerk_a).post(reverse("documents:submit", args=[draft.pk]))
    ).status_code == 403
    services.submit_document(draft, prosecutor_a)
    for user in (prosecutor_a, clerk_a):
        response = client_for(user).post(reverse("documents:approve", args=[draft.pk]))
        assert response.status_code == 403
    services.approve_document(draft, leader_a)
    response = client_for(leader_a).post(
        reverse("documents:issue", args=[draft.pk]), {"issued_on": "05/02/2026"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.state == "approved"


def test_the_docx_download_is_the_rendered_draft(client_for, prosecutor_a, draft):
    response = client_for(prosecutor_a).get(reverse("documents:docx", args=[draft.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Docx(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Người bị kết án: Nguyễn Văn An, sinh năm 1990." in text


def test_the_pdf_option_follows_libreoffice(client_for, prosecutor_a, draft):
    client = client_for(prosecutor_a)
    html = client.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    pdf_url = reverse("documents:pdf", args=[draft.pk])

    if rendering.pdf_available():
        assert pdf_url in html
        response = client.get(pdf_url)
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
    else:
        assert pdf_url not in html
        assert client.get(pdf_url).status_code == 404


def test_the_template_page_lists_fields_with_examples(client_for, prosecutor_a):
    html = (
        client_for(prosecutor_a)
        .get(reverse("documents:template", args=["09TH"]))
        .content.decode()
    )

    assert "person_name" in html
    assert "Nguyễn Văn An" in html
    assert "place_date" in html
    assert "Tải lên và kiểm tra" not in html  # only an administrator replaces


def test_the_template_list_shows_the_twelve_forms(client_for, prosecutor_a):
    html = client_for(prosecutor_a).get(reverse("documents:templates")).content.decode()

    for spec in FORMS.values():
        assert spec.label in html


def test_an_administrator_uploads_a_replacement_or_is_told_why_not(
    client_for, administrator
):
    client = client_for(administrator)
    url = reverse("documents:template", args=["09TH"])
    broken = build(FORMS["09TH"])
    broken.add_paragraph("{{ person_name ")
    out = io.BytesIO()
    broken.save(out)
    out.seek(0)
    out.name = "hong.docx"

    response = client.post(url, {"file": out, "note": ""}, follow=True)

    assert "Mẫu không được nhận" in response.content.decode()
    assert services.active_template("09TH").version == 1

    good = io.BytesIO()
    build(FORMS["09TH"]).save(good)
    good.seek(0)
    good.name = "tot.docx"
    response = client.post(url, {"file": good, "note": "Mẫu chính thức"}, follow=True)
    assert "Đã nhận mẫu phiên bản 2" in response.content.decode()
    # Recorded for the administrators' log; the refused one is not a change.
    from audit.models import AuditLog

    logged = AuditLog.objects.filter(action=AuditLog.Action.TEMPLATE_UPLOADED)
    assert list(logged.values_list("target", flat=True)) == ["mẫu 09TH phiên bản 2"]


def test_a_non_administrator_cannot_upload(client_for, leader_a):
    good = io.BytesIO()
    build(FORMS["09TH"]).save(good)
    good.seek(0)
    good.name = "tot.docx"

    response = client_for(leader_a).post(
        reverse("documents:template", args=["09TH"]), {"file": good}
    )

    assert response.status_code == 403


# Scope: the outsider and the read-only scope on every route ------------------


def _routes(case, document):
    pk = document.pk
    return {
        "get": [
            reverse("documents:new", args=[case.pk, "09TH"]),
            reverse("documents:detail", args=[pk]),
            reverse("documents:edit", args=[pk]),
            reverse("documents:docx", args=[pk]),
            reverse("documents:pdf", args=[pk]),
        ],
        "post": [
            reverse("documents:new", args=[case.pk, "09TH"]),
            reverse("documents:edit", args=[pk]),
            reverse("documents:submit", args=[pk]),
            reverse("documents:approve", args=[pk]),
            reverse("documents:return", args=[pk]),
            reverse("documents:issue", args=[pk]),
        ],
    }


def test_the_outsider_gets_404_on_every_route(client_for, prosecutor_b, case, draft):
    client = client_for(prosecutor_b)
    routes = _routes(case, draft)

    for url in routes["get"]:
        assert client.get(url).status_code == 404, url
    for url in routes["post"]:
        assert client.post(url, {"comment": "x"}).status_code == 404, url
    listing = client.get(reverse("documents:index")).content.decode()
    assert reverse("documents:detail", args=[draft.pk]) not in listing


def test_a_read_only_scope_reads_but_gets_403_on_changes(
    client_for, province_leader, case, draft
):
    client = client_for(province_leader)
    routes = _routes(case, draft)

    assert client.get(reverse("documents:detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("documents:docx", args=[draft.pk])).status_code == 200
    for url in routes["post"]:
        assert client.post(url, {"comment": "x"}).status_code == 403, url
    assert client.get(routes["get"][0]).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, draft):
    response = client.get(reverse("documents:detail", args=[draft.pk]))

    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/")


def test_an_issued_file_is_named_by_its_issue_date_not_the_numbering_year(
    client_for, prosecutor_a, leader_a, clerk_a, draft
):
    services.submit_document(draft, prosecutor_a)
    services.approve_document(draft, leader_a)
    # 05/12/2026 counts in the procuracy year 2027 (1 December - 30 November).
    issued = services.issue_document(draft, clerk_a, dt.date(2026, 12, 5))
    assert (issued.number_year, issued.number) == (2027, 1)

    response = client_for(clerk_a).get(reverse("documents:docx", args=[issued.pk]))

    assert response["Content-Disposition"] == (
        'attachment; filename="09TH-so-01-ngay-05-12-2026.docx"'
    )
    assert "2027" not in response["Content-Disposition"]


def test_a_file_issued_under_the_old_name_downloads_under_the_new_one(
    client_for, prosecutor_a, leader_a, clerk_a, draft
):
    services.submit_document(draft, prosecutor_a)
    services.approve_document(draft, leader_a)
    issued = services.issue_document(draft, clerk_a, dt.date(2026, 12, 5))
    Document.objects.filter(pk=issued.pk).update(filename="09TH-01-2027.docx")

    response = client_for(prosecutor_a).get(reverse("documents:docx", args=[issued.pk]))

    assert (
        'filename="09TH-so-01-ngay-05-12-2026.docx"' in response["Content-Disposition"]
    )


def test_09th_is_no_longer_offered_once_the_case_has_a_qdtha(
    client_for, prosecutor_a, case, court_a
):
    url = reverse("cases:detail", args=[case.pk])
    new_09th = reverse("documents:new", args=[case.pk, "09TH"])
    client = client_for(prosecutor_a)
    assert new_09th in client.get(url).content.decode()

    add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 6, 20),
        number="45/2025/QĐ-CA",
        agency=court_a,
    )

    html = client.get(url).content.decode()
    # Neither among the forms the case calls for nor under "Soạn mẫu khác".
    assert new_09th not in html
    assert "Mẫu số 09/TH" not in html
    assert reverse("documents:new", args=[case.pk, "11TH"]) in html


def test_09th_stays_withdrawn_while_a5_still_reads_overdue(prosecutor_a, case, court_a):
    from documents.offers import offers_for, other_forms

    add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 6, 20),
        agency=court_a,
    )
    # A deadline row not yet recomputed still says A5 is overdue.
    case.deadlines.filter(rule="A5").update(done=None)

    offers = offers_for(case, DAY)

    assert "09TH" not in {o.spec.code for o in offers}
    assert "09TH" not in {spec.code for spec in other_forms(case, offers)}


def test_the_outgoing_register_summarises_each_document(
    client_for, prosecutor_a, leader_a, clerk_a, draft
):
    services.submit_document(draft, prosecutor_a)
    services.approve_document(draft, leader_a)
    services.issue_document(draft, clerk_a, DAY)
    summary = "V/v yêu cầu ra quyết định thi hành án hình sự đối với Nguyễn Văn An"
    clerk = client_for(clerk_a)

    html = clerk.get(reverse("documents:index") + "?so=di").content.decode()
    export = clerk.get(reverse("documents:index") + "?so=di&nam=2026&xuat=xlsx")

    table = html.split("<tbody>")[1]
    assert f'<td data-label="Trích yếu">{summary}</td>' in table
    assert "Mẫu số 09/TH" not in table
    rows = list(
        openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(
            values_only=True
        )
    )
    header = next(row for row in rows if row and row[0] == "Số, ký hiệu")
    issued = next(row for row in rows if row and row[0] == "01/YC-VKSKV1")
    assert issued[header.index("Trích yếu")] == summary


@pytest.mark.parametrize(
    ("code", "fields", "summary"),
    [
        (
            "KN",
            {"person_name": "Nguyễn Văn An"},
            "V/v kiến nghị khắc phục vi phạm trong thi hành án hình sự đối với "
            "Nguyễn Văn An",
        ),
        (
            # Drafted from an action: several convicts, one period.
            "KN",
            {"period_text": " từ ngày 08/05/2025 đến ngày 12/06/2025"},
            "V/v kiến nghị khắc phục vi phạm trong thi hành án hình sự từ ngày "
            "08/05/2025 đến ngày 12/06/2025",
        ),
        (
            "KNG",
            {"person_name": "Nguyễn Văn An"},
            "V/v kháng nghị vi phạm trong thi hành án hình sự đối với Nguyễn Văn An",
        ),
        (
            "71TH",
            {
                "person_name": "Nguyễn Văn An",
                "decision_ref": "Quyết định thi hành án số 45/2025/QĐ-CA ngày "
                "05/05/2025",
            },
            "V/v kiểm sát quyết định thi hành án số 45/2025/QĐ-CA ngày 05/05/2025 "
            "đối với Nguyễn Văn An",
        ),
        (
            "QDPC",
            {},
            "V/v quyết định phân công Kiểm sát viên kiểm sát thi hành án hình sự",
        ),
    ],
)
def test_a_documents_summary_says_what_it_is_about(code, fields, summary):
    assert Document(form_code=code, fields=fields).summary == summary


BANNER = "kiểm tra các ô được đánh dấu đỏ"


def test_an_invalid_09th_draft_shows_one_banner_and_the_fields_errors(
    client_for, prosecutor_a, case
):
    fields = services.draft_fields("09TH", case, prosecutor_a, DAY)
    data = _post_fields(fields) | {"addressee": "", "doc_date": "31/02/2026"}

    response = client_for(prosecutor_a).post(
        reverse("documents:new", args=[case.pk, "09TH"]), data
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(BANNER) == 1
    assert "Chưa lưu: kiểm tra các ô được đánh dấu đỏ bên dưới." in html
    assert html.count('class="field-error"') == 2
    assert not Document.objects.filter(case=case).exists()


def test_an_invalid_edit_shows_one_banner(client_for, prosecutor_a, draft):
    data = _post_fields(draft) | {"addressee": ""}

    response = client_for(prosecutor_a).post(
        reverse("documents:edit", args=[draft.pk]), data
    )

    html = response.content.decode()
    assert html.count(BANNER) == 1
    assert html.count('class="field-error"') == 1
    draft.refresh_from_db()
    assert draft.fields["addressee"]
