"""``If-Match`` on resources versioned by a number (a draft's revision, a pass's sequence)."""

from __future__ import annotations

import re

from flask import request

from api.compression import strip_coding
from api.schemas import MAX_ID
from app.errors import DomainError

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
