"""``If-Match`` on resources versioned by a number (a draft's revision, a pass's sequence)."""

from __future__ import annotations

import re

from flask import request

from api.compression import strip_coding
from api.schemas import MAX_ID
from app.errors import DomainError
from app.revisions import Revisions

# ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() then rejects.
_NUMBER = re.compile(r"[0-9]{1,10}")


def if_match_number() -> int | None:
    """The number named in ``If-Match`` (``"3"`` or ``W/"3"``), or None without the header.

    A tag that cannot be any version (not a number, or beyond the database's integer
    range) can never match, so it is refused as a failed precondition (412) before it
    reaches a query.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    # A tag the compression extended ("3:gzip") names the same revision.
    value = strip_coding(header.removeprefix("W/").strip('"'))
    if not _NUMBER.fullmatch(value) or int(value) > MAX_ID:
        raise DomainError("precondition_failed", kind="precondition_failed")
    return int(value)


# One entity-tag of an If-Match list (RFC 9110 8.8.3): optional weakness, then a quoted
# tag without quotes inside.
_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')


def if_match_revisions() -> Revisions | None:
    """What ``If-Match`` names for a strong check of a revision, or None without it.

    Per RFC 9110: ``*`` matches any existing revision; a list (``"4", "5"``) matches any
    of its tags; a weak tag (``W/"3"``) never matches a strong comparison. A header that
    is no list of tags, or a tag that cannot be any revision, can never match: 412.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    if header == "*":
        return Revisions(any_revision=True)
    numbers: set[int] = set()
    for part in header.split(","):
        found = _TAG.fullmatch(part)
        if found is None:
            raise DomainError("precondition_failed", kind="precondition_failed")
        weak, value = found.groups()
        value = strip_coding(value)
        if weak or not _NUMBER.fullmatch(value) or int(value) > MAX_ID:
            continue
        numbers.add(int(value))
    if not numbers:
        raise DomainError("precondition_failed", kind="precondition_failed")
    return Revisions(frozenset(numbers))
