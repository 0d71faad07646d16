"""Draft, submit, approve or return, issue: roles, numbering and templates."""

import datetime as dt
import io
import threading
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from docx import Document as Docx

from cases.models import Event, EventKind, User
from documents import services
from documents.build_templates import build
from documents.catalogue import FORMS
from documents.models import (
    Document,
    DocumentSequence,
    DocumentStep,
    FormTemplate,
    NumberingScheme,
)
from documents.rendering import TemplateRejected

DAY = dt.date(2026, 2, 5)


def _draft(case, user, code="09TH"):
    fields = services.draft_fields(code, case, user, DAY)
    return services.create_document(case, code, fields, user)


def _approved(case, prosecutor, leader, code="09TH"):
    document = _draft(case, prosecutor, code)
    services.submit_document(document, prosecutor)
    return services.approve_document(document, leader)


@pytest.mark.django_db
def test_a_document_goes_from_draft_to_issued_and_records_each_step(
    make_case, unit_a, court_a, prosecutor_a, leader_a, clerk_a
):
    case = make_case(unit_a)
    document = _draft(case, prosecutor_a)
    assert document.number is None

    services.submit_document(document, prosecutor_a, "Kính trình lãnh đạo.")
    services.approve_document(document, leader_a, "Đồng ý.")
    issued = services.issue_document(document, clerk_a, DAY)

    assert issued.state == Document.State.ISSUED
    assert issued.number == 1
    assert issued.number_year == 2026
    assert issued.number_text == "01/YC-VKSKV1"
    assert issued.signer == leader_a
    assert issued.issued_on == DAY
    actions = list(issued.steps.values_list("action", "actor__username"))
    assert actions == [
        ("created", "ksv.a"),
        ("submitted", "ksv.a"),
        ("approved", "lanhdao.a"),
        ("issued", "vanthu.a"),
    ]
    # The issued file carries its number, its date and the signer.
    doc = Docx(io.BytesIO(bytes(issued.content)))
    header = "\n".join(p.text for p in doc.tables[0].rows[0].cells[0].paragraphs)
    assert "Số: 01/YC-VKSKV1" in header
    signer = "\n".join(p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs)
    assert "Lê Minh Châu" in signer
    # Recorded on the case: the request starts the addressee's clock.
    event = Event.objects.get(case=case, kind=EventKind.REQUEST_ISSUED)
    assert event.number == "01/YC-VKSKV1"
    assert event.date == DAY
    assert event.agency == court_a


@pytest.mark.django_db
def test_a_returned_draft_keeps_the_comment_and_can_be_resubmitted(
    make_case, unit_a, prosecutor_a, leader_a
):
    document = _draft(make_case(unit_a), prosecutor_a)
    services.submit_document(document, prosecutor_a)

    services.return_document(document, leader_a, "Sửa lại căn cứ pháp lý.")
    assert document.state == Document.State.RETURNED
    assert document.comments == "Sửa lại căn cứ pháp lý."
    services.update_document(
        document, {**document.fields, "body": "Mới."}, prosecutor_a
    )
    services.submit_document(document, prosecutor_a)

    assert document.state == Document.State.SUBMITTED
    assert DocumentStep.objects.filter(document=document, action="returned").exists()


@pytest.mark.django_db
def test_returning_needs_a_comment(make_case, unit_a, prosecutor_a, leader_a):
    document = _draft(make_case(unit_a), prosecutor_a)
    services.submit_document(document, prosecutor_a)

    with pytest.raises(services.WrongState):
        services.return_document(document, leader_a, "  ")


@pytest.mark.django_db
def test_only_a_leader_of_the_unit_signs_and_only_its_clerk_issues(
    make_case, unit_a, unit_b, prosecutor_a, leader_a, clerk_a, province_leader
):
    leader_b = User.objects.create_user("lanhdao.b", unit=unit_b, role=User.Role.LEADER)
    document = _draft(make_case(unit_a), prosecutor_a)
    services.submit_document(document, prosecutor_a)

    for user in (prosecutor_a, clerk_a, leader_b, province_leader):
        with pytest.raises(PermissionDenied):
            services.approve_document(document, user)
    services.approve_document(document, leader_a)
    for user in (prosecutor_a, leader_a):
        with pytest.raises(PermissionDenied):
            services.issue_document(document, user, DAY)
    with pytest.raises(PermissionDenied):
        services.create_document(document.case, "09TH", {}, clerk_a)


@pytest.mark.django_db
def test_only_approved_documents_are_issued_and_only_once(
    make_case, unit_a, prosecutor_a, leader_a, clerk_a
):
    case = make_case(unit_a)
    draft = _draft(case, prosecutor_a)
    with pytest.raises(services.WrongState):
        services.issue_document(draft, clerk_a, DAY)

    document = _approved(case, prosecutor_a, leader_a)
    services.issue_document(document, clerk_a, DAY)
    with pytest.raises(services.WrongState):
        services.issue_document(document, clerk_a, DAY)
    assert DocumentSequence.objects.get(unit=unit_a, doc_type="YC").last_number == 1


@pytest.mark.django_db
def test_numbers_are_consecutive_per_unit_type_and_year(
    make_case, unit_a, prosecutor_a, leader_a, clerk_a
):
    case = make_case(unit_a)
    numbers = []
    for code in ("09TH", "11TH", "13TH", "YCHS"):
        document = _approved(case, prosecutor_a, leader_a, code)
        numbers.append(services.issue_document(document, clerk_a, DAY).number_text)

    # Requests (YC) share one counter, notices (TB) have their own.
    assert numbers == ["01/YC-VKSKV1", "02/YC-VKSKV1", "01/TB-VKSKV1", "03/YC-VKSKV1"]


@pytest.mark.django_db
def test_the_procuracy_year_starts_on_1_december_unless_set_otherwise(
    make_case, unit_a, prosecutor_a, leader_a, clerk_a
):
    case = make_case(unit_a)
    late_november = services.issue_document(
        _approved(case, prosecutor_a, leader_a), clerk_a, dt.date(2025, 11, 30)
    )
    december = services.issue_document(
        _approved(case, prosecutor_a, leader_a), clerk_a, dt.date(2025, 12, 1)
    )
    assert (late_november.number_year, late_november.number) == (2025, 1)
    assert (december.number_year, december.number) == (2026, 1)

    NumberingScheme.objects.create(doc_type="TB", year=NumberingScheme.Year.CALENDAR)
    notice = services.issue_document(
        _approved(case, prosecutor_a, leader_a, "13TH"), clerk_a, dt.date(2025, 12, 1)
    )
    assert notice.number_year == 2025


@pytest.fixture(scope="module")
def _restore_migrated_rows(django_db_blocker):
    """A transactional test empties every table when it ends, the rows of the
    data migrations (crimes, rule sets, calendar) included; later
    transactional tests such as the browser test need them back. This runs
    after the test's own flush (module teardown follows function teardown)."""
    yield
    with django_db_blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database file instead of the sequence row, "
    "so threads only queue; the row lock is exercised on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_issuing_at_once_get_distinct_consecutive_numbers(
    _restore_migrated_rows, make_case, unit_a, prosecutor_a, leader_a, clerk_a
):
    case = make_case(unit_a)
    documents = [_approved(case, prosecutor_a, leader_a) for _ in range(6)]
    barrier = threading.Barrier(len(documents))
    errors = []

    def issue(document):
        try:
            barrier.wait()
            services.issue_document(document, clerk_a, DAY)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(
        Document.objects.filter(state="issued").values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5, 6]


# Templates ------------------------------------------------------------------


def _docx_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_broken_template_is_refused_and_the_previous_one_stays(administrator):
    broken = build(FORMS["09TH"])
    broken.add_paragraph("{% if person_name %}never closed")

    with pytest.raises(TemplateRejected, match="cú pháp|điền"):
        services.upload_template("09TH", _docx_bytes(broken), "x.docx", administrator)
    with pytest.raises(TemplateRejected, match="không phải"):
        services.upload_template("09TH", b"not a zip", "x.docx", administrator)

    unknown = build(FORMS["09TH"])
    unknown.add_paragraph("{{ convict_nickname }}")
    with pytest.raises(TemplateRejected, match="convict_nickname"):
        services.upload_template("09TH", _docx_bytes(unknown), "x.docx", administrator)
    assert services.active_template("09TH").version == 1


@pytest.mark.django_db
def test_issued_documents_keep_their_template_version(
    make_case, unit_a, prosecutor_a, leader_a, clerk_a, administrator
):
    case = make_case(unit_a)
    old = services.issue_document(_approved(case, prosecutor_a, leader_a), clerk_a, DAY)
    old_bytes = bytes(old.content)
    replacement = build(FORMS["09TH"])
    replacement.add_paragraph("Bản mẫu chính thức của đơn vị.")

    template, _ = services.upload_template(
        "09TH", _docx_bytes(replacement), "mau-09.docx", administrator, "Mẫu mới"
    )
    new = services.issue_document(_approved(case, prosecutor_a, leader_a), clerk_a, DAY)

    assert template.version == 2
    assert FormTemplate.objects.get(code="09TH", version=1).active is False
    old.refresh_from_db()
    assert old.template.version == 1
    assert bytes(old.content) == old_bytes
    assert new.template.version == 2
    text = "\n".join(p.text for p in Docx(io.BytesIO(bytes(new.content))).paragraphs)
    assert "Bản mẫu chính thức của đơn vị." in text


@pytest.mark.django_db
def test_a_changed_shipped_default_becomes_the_next_version_unless_replaced(
    tmp_path, monkeypatch, administrator
):
    first = services.active_template("13TH")
    changed = build(FORMS["13TH"])
    changed.add_paragraph("Bản mặc định của phiên bản phần mềm sau.")
    (tmp_path / "13TH.docx").write_bytes(_docx_bytes(changed))
    monkeypatch.setattr(services, "FORMS_DIR", tmp_path)

    second = services.active_template("13TH")
    assert (first.version, second.version) == (1, 2)
    assert services.active_template("13TH") == second

    uploaded, _ = services.upload_template(
        "13TH", _docx_bytes(build(FORMS["13TH"])), "don-vi.docx", administrator
    )
    changed.add_paragraph("Một bản mặc định khác nữa.")
    (tmp_path / "13TH.docx").write_bytes(_docx_bytes(changed))
    assert services.active_template("13TH") == uploaded


@pytest.mark.django_db
def test_a_damaged_docx_is_refused_in_plain_vietnamese(administrator):
    """A zip that Word did not write: the reason says what to do, without
    the parser's own English."""
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(TemplateRejected) as refused:
        services.upload_template("09TH", damaged.getvalue(), "x.docx", administrator)

    message = str(refused.value)
    assert "Mở tệp bằng Word, lưu lại dạng .docx" in message
    assert "object has no attribute" not in message and "lxml" not in message
