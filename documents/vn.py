"""Vietnamese wording for official documents: dates, numbers, names, lists.

Pure functions without Django imports; NĐ 30/2020/NĐ-CP Phụ lục I gives the
rules (leading zeros, place-and-date line, list punctuation).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


def pad(value: int) -> str:
    """Numbers below 10 take a leading zero (NĐ 30/2020, số văn bản)."""
    return f"{value:02d}"


def date_words(day: dt.date) -> str:
    """'ngày 05 tháng 02 năm 2026': the day below 10 and the months 1 and 2
    take a leading zero, other months do not (NĐ 30/2020, Phụ lục I)."""
    month = pad(day.month) if day.month <= 2 else str(day.month)
    return f"ngày {pad(day.day)} tháng {month} năm {day.year}"


def place_date_line(place: str, day: dt.date | None) -> str:
    """'Hải Phòng, ngày 05 tháng 02 năm 2026'; a blank date is left to be
    written by hand ('ngày     tháng     năm 2026')."""
    place = place.strip()
    words = date_words(day) if day else "ngày      tháng      năm       "
    return f"{place}, {words}" if place else words[0].upper() + words[1:]


def short_date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def parse_short_date(text: str) -> dt.date | None:
    """dd/mm/yyyy (or ISO) to a date; None when blank or unreadable."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def money(amount: int | None) -> str:
    """1234567 → '1.234.567 đồng'."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"


def term(years: int = 0, months: int = 0, days: int = 0) -> str:
    """'02 năm 06 tháng': court documents write terms with two digits."""
    parts = []
    if years:
        parts.append(f"{pad(years)} năm")
    if months:
        parts.append(f"{pad(months)} tháng")
    if days:
        parts.append(f"{pad(days)} ngày")
    return " ".join(parts)


def name_case(name: str) -> str:
    """A person's name as written in a document body: NFC, single spaces,
    each word capitalised ('NGUYỄN văn an' → 'Nguyễn Văn An')."""
    name = unicodedata.normalize("NFC", " ".join((name or "").split()))
    return " ".join(word[:1].upper() + word[1:].lower() for word in name.split(" "))


def upper(text: str) -> str:
    """Capitals for header lines; Python's upper() knows Vietnamese."""
    return unicodedata.normalize("NFC", " ".join((text or "").split())).upper()


def join_nonempty(parts, sep: str = ", ") -> str:
    """Join the parts that have text, so a blank one leaves no stray comma."""
    return sep.join(p.strip() for p in parts if p and p.strip())


def listed(items, *, last: str = ".", each: str = ";") -> list[str]:
    """Lines of a list ('Nơi nhận', 'Căn cứ'): each ends with ``each`` and
    the last with ``last``; trailing punctuation typed by the user is
    replaced, blank lines dropped."""
    lines = [re.sub(r"[\s;,.]+$", "", line.strip()) for line in items]
    lines = [line for line in lines if line]
    return [
        line + (last if i == len(lines) - 1 else each) for i, line in enumerate(lines)
    ]


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def ascii_initials(text: str) -> str:
    """'HẢI PHÒNG' → 'HP' (for document symbols)."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(word[0] for word in plain.upper().split() if word[0].isalnum())


def unit_symbol(header_name: str) -> str:
    """The procuracy part of a symbol: 'VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 1 -
    THỬ NGHIỆM' → 'VKSKV1'; '... THÀNH PHỐ HẢI PHÒNG' → 'VKSHP'."""
    text = upper(header_name)
    match = re.search(r"KHU VỰC\s*(\d+)", text)
    if match:
        return f"VKSKV{match.group(1)}"
    text = re.sub(r"^VIỆN KIỂM SÁT NHÂN DÂN\s*", "", text)
    if text in {"", "TỐI CAO"}:
        return "VKSTC"
    text = re.sub(r"^(THÀNH PHỐ|TỈNH|QUẬN|HUYỆN|THỊ XÃ)\s+", "", text)
    return "VKS" + ascii_initials(text.split(" - ")[0])
