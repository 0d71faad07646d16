"""Vietnamese alphabetical order for people's names, as a plain sort key.

A list of people sorts by given name, then middle name, then family name,
letter by letter in the Vietnamese alphabet (a ă â b c d đ e ê …), with the
tone marks deciding only between otherwise equal names (ngang, huyền, hỏi,
ngã, sắc, nặng, the dictionary order). The key is made only of ASCII digits
so that PostgreSQL, whatever its collation, and SQLite order it the same way.
"""

import unicodedata

# f j w z are not Vietnamese letters but occur in names of foreign origin;
# they sit where the Latin alphabet puts them.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k",
    "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w",
    "x", "y", "z",
]  # fmt: skip
_LETTER_CODE = {letter: f"{index + 10:02d}" for index, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_SEPARATOR = "00"


def _letters(word: str) -> tuple[str, str]:
    """Primary codes and tone digits of one word."""
    primary, tones = [], []
    for char in word.lower():
        decomposed = unicodedata.normalize("NFD", char)
        tone = "0"
        kept = []
        for part in decomposed:
            if part in _TONES:
                tone = _TONES[part]
            else:
                kept.append(part)
        base = unicodedata.normalize("NFC", "".join(kept))
        code = _LETTER_CODE.get(base)
        if code is None:
            continue
        primary.append(code)
        tones.append(tone)
    return "".join(primary), "".join(tones)


def search_key(text: str) -> str:
    """Lower case, without tone or vowel marks, đ as d, single spaces:
    "NGUYỄN  Văn Đức" and "nguyen van duc" give the same key."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name."""
    words = full_name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_key(full_name: str) -> str:
    family, middle, given = split_name(full_name)
    parts = [_letters(word) for word in (given, *middle.split(), family) if word]
    primary = _SEPARATOR.join(codes for codes, _ in parts)
    tones = "".join(digits for _, digits in parts)
    return primary + _SEPARATOR + _SEPARATOR + tones
