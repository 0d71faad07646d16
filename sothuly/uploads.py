"""Checks on uploaded files, before anything else reads them.

A file is judged by its content, never by its name: a .docx is a ZIP
archive holding ``[Content_Types].xml`` and ``word/document.xml``; anything
else is refused whatever it is called. Sizes are bounded both as uploaded
and, for archives, as unpacked, so that a small "zip bomb" cannot exhaust
the server's memory when the template is later rendered.
"""

from __future__ import annotations

import zipfile

from django import forms
from django.conf import settings

# An archive may unpack to at most this many times the upload limit.
_UNPACK_FACTOR = 25


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_size(upload, limit: int) -> None:
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            f"Tệp nặng {upload.size / (1024 * 1024):.1f} MB, vượt giới hạn "
            f"{_megabytes(limit)}.",
            code="too_large",
        )


def check_docx(upload, limit: int | None = None) -> None:
    """Refuse an upload that is too large or is not a Word .docx file."""
    limit = limit or settings.SOTHULY_TEMPLATE_MAX_BYTES
    check_size(upload, limit)
    not_docx = forms.ValidationError(
        "Tệp không phải tài liệu Word .docx (đã kiểm tra nội dung tệp, không "
        "chỉ phần đuôi tên). Mở tệp bằng Word và lưu lại dạng .docx.",
        code="not_docx",
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if not {"[Content_Types].xml", "word/document.xml"} <= names:
                raise not_docx
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise forms.ValidationError(
                    "Tệp Word đang đặt mật khẩu: bỏ mật khẩu rồi tải lên lại.",
                    code="encrypted",
                )
            if sum(entry.file_size for entry in entries) > limit * _UNPACK_FACTOR:
                raise forms.ValidationError(
                    "Nội dung tệp sau khi giải nén quá lớn.", code="too_large"
                )
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise not_docx from exc
    finally:
        upload.seek(0)
