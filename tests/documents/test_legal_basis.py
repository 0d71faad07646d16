"""The legal-basis lines follow the law in force on the document's date:
the 2019 Law on Execution up to 30/06/2026, Luật 127/2025/QH15 from
01/07/2026 with no invented article, and a note on the review page that the
article is not checked."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as Docx

from documents import services
from documents.catalogue import FORMS, LawOnExecution
from documents.context import initial_fields, render_context
from documents.models import Document
from documents.rendering import render_docx

pytestmark = pytest.mark.django_db

LAST_DAY_2019 = dt.date(2026, 6, 30)
FIRST_DAY_2025 = dt.date(2026, 7, 1)


@pytest.fixture
def case(make_case, unit_a):
    return make_case(unit_a)


def _printed(code, case, day) -> str:
    spec = FORMS[code]
    fields = initial_fields(spec, case, None, day)
    template = services.active_template(code)
    docx = render_docx(bytes(template.content), render_context(spec, fields))
    return "\n".join(p.text for p in Docx(io.BytesIO(docx)).paragraphs)


def test_up_to_30_06_2026_the_2019_law_and_its_articles_are_cited(case):
    text = _printed("09TH", case, LAST_DAY_2019)

    assert "Căn cứ Điều 21, Điều 22 Luật Thi hành án hình sự năm 2019;" in text
    assert "127/2025/QH15" not in text


def test_from_01_07_2026_the_2025_law_is_cited_without_an_article(case):
    text = _printed("09TH", case, FIRST_DAY_2025)

    assert "Căn cứ Luật Thi hành án hình sự số 127/2025/QH15;" in text
    assert "năm 2019" not in text
    assert "Điều 21" not in text
    # The Criminal Procedure Code's article is not the Law on Execution's.
    assert "Căn cứ Điều 364 Bộ luật Tố tụng hình sự năm 2015;" in text


@pytest.mark.parametrize(
    "code",
    [
        code
        for code, spec in FORMS.items()
        if any(isinstance(b, LawOnExecution) for b in spec.bases)
    ],
)
def test_no_form_dated_after_the_change_cites_the_2019_law(code, case):
    bases = initial_fields(FORMS[code], case, None, dt.date(2026, 12, 5))["bases"]

    assert "năm 2019" not in bases
    assert "Căn cứ Luật Thi hành án hình sự số 127/2025/QH15" in bases


def test_the_procuracy_law_is_cited_with_its_year_and_amendment(case):
    before = initial_fields(FORMS["09TH"], case, None, dt.date(2025, 6, 30))
    after = initial_fields(FORMS["09TH"], case, None, dt.date(2025, 7, 1))

    assert before["bases"].splitlines()[0] == (
        "Căn cứ Luật Tổ chức Viện kiểm sát nhân dân năm 2014"
    )
    assert after["bases"].splitlines()[0] == (
        "Căn cứ Luật Tổ chức Viện kiểm sát nhân dân năm 2014, được sửa đổi, bổ "
        "sung bởi Luật số 82/2025/QH15"
    )


def _on(monkeypatch, day):
    monkeypatch.setattr("documents.views.timezone.localdate", lambda: day)


def test_the_review_page_says_the_2025_article_is_not_checked(
    client_for, prosecutor_a, case, monkeypatch
):
    _on(monkeypatch, dt.date(2026, 12, 5))

    page = client_for(prosecutor_a).get(
        reverse("documents:new", args=[case.pk, "09TH"])
    )

    html = page.content.decode()
    assert "Căn cứ chưa đối chiếu" in html
    assert (
        "điều, khoản của Luật Thi hành án hình sự số 127/2025/QH15 tương ứng với "
        "Điều 21, Điều 22 Luật Thi hành án hình sự năm 2019 chưa được đối chiếu" in html
    )
    assert "Căn cứ Luật Thi hành án hình sự số 127/2025/QH15" in html


def test_the_note_stays_until_the_prosecutor_adds_the_article(
    client_for, prosecutor_a, case, monkeypatch
):
    _on(monkeypatch, dt.date(2026, 12, 5))
    client = client_for(prosecutor_a)
    fields = initial_fields(FORMS["09TH"], case, prosecutor_a, dt.date(2026, 12, 5))
    data = {k: v for k, v in fields.items() if k in FORMS["09TH"].fields}
    data["bases"] = data["bases"].replace(
        "Căn cứ Luật Thi hành án hình sự số 127/2025/QH15",
        "Căn cứ Điều 16 Luật Thi hành án hình sự số 127/2025/QH15",
    )
    response = client.post(reverse("documents:new", args=[case.pk, "09TH"]), data)

    detail = client.get(response.url).content.decode()
    assert "Căn cứ chưa đối chiếu" not in detail
    assert "Căn cứ Điều 16 Luật Thi hành án hình sự số 127/2025/QH15;" in detail


def test_before_the_change_the_review_page_has_no_such_note(
    client_for, prosecutor_a, case, monkeypatch
):
    _on(monkeypatch, dt.date(2026, 2, 5))

    html = (
        client_for(prosecutor_a)
        .get(reverse("documents:new", args=[case.pk, "09TH"]))
        .content.decode()
    )

    assert "chưa đối chiếu" not in html


def test_a_date_moved_past_the_change_flags_the_2019_line(
    client_for, prosecutor_a, case, monkeypatch
):
    _on(monkeypatch, dt.date(2026, 6, 25))
    client = client_for(prosecutor_a)
    fields = initial_fields(FORMS["09TH"], case, prosecutor_a, dt.date(2026, 6, 25))
    data = {k: v for k, v in fields.items() if k in FORMS["09TH"].fields}
    data["doc_date"] = "02/07/2026"
    response = client.post(reverse("documents:new", args=[case.pk, "09TH"]), data)

    detail = client.get(response.url).content.decode()
    assert (
        "Luật Thi hành án hình sự năm 2019 đã được thay thế bởi Luật Thi hành án "
        "hình sự số 127/2025/QH15 từ ngày 01/07/2026" in detail
    )


UNCHECKED_WARNING = "Kiểm sát viên bổ sung điều, khoản trước khi trình ký."


def _draft_after_the_change(client, case, monkeypatch, *, article: bool = False):
    """A 09/TH drafted on 05/12/2026 through the review form, its basis line
    naming the 2025 law alone unless ``article``."""
    _on(monkeypatch, dt.date(2026, 12, 5))
    fields = initial_fields(FORMS["09TH"], case, None, dt.date(2026, 12, 5))
    data = {k: v for k, v in fields.items() if k in FORMS["09TH"].fields}
    if article:
        data["bases"] = data["bases"].replace(
            "Căn cứ Luật Thi hành án hình sự số 127/2025/QH15",
            "Căn cứ Điều 16 Luật Thi hành án hình sự số 127/2025/QH15",
        )
    response = client.post(reverse("documents:new", args=[case.pk, "09TH"]), data)
    return Document.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def _messages(html: str) -> str:
    start = html.index('<ul class="messages">')
    return html[start : html.index("</ul>", start)]


def test_a_draft_without_the_2025_article_is_not_submitted(
    client_for, prosecutor_a, case, monkeypatch
):
    client = client_for(prosecutor_a)
    document = _draft_after_the_change(client, case, monkeypatch)
    bases = document.fields["bases"]

    response = client.post(reverse("documents:submit", args=[document.pk]), follow=True)

    shown = _messages(response.content.decode())
    assert "msg-error" in shown
    assert "Chưa trình ký." in shown
    assert UNCHECKED_WARNING in shown
    assert "Đã trình ký" not in shown
    document.refresh_from_db()
    assert document.state == Document.State.DRAFT
    assert document.fields["bases"] == bases
    assert list(document.steps.values_list("action", flat=True)) == ["created"]


def test_a_draft_with_the_article_added_is_submitted(
    client_for, prosecutor_a, case, monkeypatch
):
    client = client_for(prosecutor_a)
    document = _draft_after_the_change(client, case, monkeypatch, article=True)

    response = client.post(reverse("documents:submit", args=[document.pk]), follow=True)

    assert "Đã trình ký." in _messages(response.content.decode())
    document.refresh_from_db()
    assert document.state == Document.State.SUBMITTED


def test_a_submitted_document_without_the_article_is_not_approved(
    client_for, prosecutor_a, leader_a, case, monkeypatch
):
    """A document submitted before the check, or by a caller without it,
    stays submitted: the leader is told why and returns it."""
    document = _draft_after_the_change(client_for(prosecutor_a), case, monkeypatch)
    services.submit_document(document, prosecutor_a)

    response = client_for(leader_a).post(
        reverse("documents:approve", args=[document.pk]), follow=True
    )

    shown = _messages(response.content.decode())
    assert "Chưa duyệt ký" in shown
    assert UNCHECKED_WARNING in shown
    document.refresh_from_db()
    assert document.state == Document.State.SUBMITTED
    assert document.signer is None


def test_the_services_refuse_the_unchecked_basis_when_asked(
    prosecutor_a, leader_a, case
):
    fields = initial_fields(FORMS["09TH"], case, prosecutor_a, dt.date(2026, 12, 5))
    document = services.create_document(case, "09TH", fields, prosecutor_a)

    with pytest.raises(services.WrongState, match="trước khi trình ký"):
        services.submit_document(document, prosecutor_a, check_basis=True)

    services.submit_document(document, prosecutor_a)
    with pytest.raises(services.WrongState, match="trước khi trình ký"):
        services.approve_document(document, leader_a, check_basis=True)
