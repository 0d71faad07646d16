"""Ids read from query strings and posted lists."""

from __future__ import annotations

# PostgreSQL's bigint: a larger number in a lookup the ORM does not guard
# (a foreign key's ``_id``, ``__in``) fails the query instead of matching
# nothing.
MAX_ID = 2**63 - 1


def as_id(text: str | None) -> int | None:
    """The id ``text`` spells in ASCII digits, or None."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def as_ids(texts) -> list[int]:
    return [value for value in map(as_id, texts) if value is not None]
