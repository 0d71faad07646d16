"""Uploaded templates: bounded in size, judged by content, never served raw."""

import io
import os
import zipfile

import pytest
from django.urls import reverse

from documents.build_templates import build
from documents.catalogue import FORMS
from documents.services import active_template

URL = reverse("documents:template", args=["09TH"])


def _docx(extra: bytes = b"") -> io.BytesIO:
    """A real 09TH template, optionally padded with an incompressible part."""
    out = io.BytesIO()
    build(FORMS["09TH"]).save(out)
    if extra:
        with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr("word/media/anh.bin", extra)
    out.seek(0)
    out.name = "mau.docx"
    return out


@pytest.fixture
def admin_client(administrator, client_for):
    return client_for(administrator)


def test_an_oversized_template_is_refused_with_the_limit(admin_client, settings):
    upload = _docx(os.urandom(2 * 1024 * 1024 + 1))

    response = admin_client.post(URL, {"file": upload, "note": "lớn"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "vượt giới hạn 2 MB" in body
    assert active_template("09TH").version == 1


def test_the_limit_is_a_setting(admin_client, settings):
    settings.SOTHULY_TEMPLATE_MAX_BYTES = 10 * 1024

    response = admin_client.post(URL, {"file": _docx(os.urandom(20 * 1024))})

    assert "vượt giới hạn" in response.content.decode()
    assert active_template("09TH").version == 1


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n1 0 obj << >> endobj\n",
        b"MZ\x90\x00\x03\x00\x00\x00 an executable",
        b"<html><script>alert(1)</script></html>",
    ],
    ids=["pdf", "exe", "html"],
)
def test_a_renamed_file_is_refused_by_its_content(admin_client, content):
    upload = io.BytesIO(content)
    upload.name = "mau-moi.docx"

    response = admin_client.post(URL, {"file": upload})

    assert "không phải tài liệu Word .docx" in response.content.decode()
    assert active_template("09TH").version == 1


def test_a_zip_that_is_not_a_word_document_is_refused(admin_client):
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")  # an .odt, say
    upload.seek(0)
    upload.name = "mau.docx"

    response = admin_client.post(URL, {"file": upload})

    assert "không phải tài liệu Word .docx" in response.content.decode()
    assert active_template("09TH").version == 1


def test_a_real_template_within_the_limit_is_accepted(admin_client):
    response = admin_client.post(URL, {"file": _docx(), "note": "ok"}, follow=True)

    assert "Đã nhận mẫu phiên bản 2" in response.content.decode()
    assert active_template("09TH").version == 2


def test_a_template_is_only_ever_downloaded_as_an_attachment(
    admin_client, prosecutor_a, client_for
):
    admin_client.post(URL, {"file": _docx(), "note": "ok"})

    response = client_for(prosecutor_a).get(
        reverse("documents:template_download", args=["09TH", 2])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="09TH-v2.docx"'
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None
