"""German licence plates (Kfz-Kennzeichen): recognise what people type, store one form.

A plate is a district code of 1–3 letters (umlauts occur, e.g. ``TÜ``, ``LÖ``), one or
two recognition letters, one to four digits without a leading zero, and an optional
suffix ``E`` (electric) or ``H`` (historic). District code, letters and digits together
have at most 8 characters (the suffix does not count). The stored form is
``"DN-AB 123"`` / ``"DN-AB 123E"``.

District and recognition letters must be separated by a space or hyphen: ``"DNAB123"``
could be ``DN-AB 123`` or ``DNA-B 123``, and guessing would store the wrong vehicle.
"""

from __future__ import annotations

import re

MAX_CHARACTERS = 8

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_PLATE = re.compile(
    r"^(?P<district>[A-ZÄÖÜ]{1,3})\|(?P<letters>[A-Z]{1,2})\|?(?P<digits>[1-9][0-9]{0,3})"
    r"\|?(?P<suffix>[EH])?$"
)


def normalise_plate(text: str) -> tuple[str | None, str | None]:
    """Return ``(plate, None)`` in stored form, or ``(None, code)`` if it is not a plate.

    The error code is ``licence_plate.invalid`` or ``licence_plate.too_long``.
    """
    tokens = [token for token in _SEPARATORS.split(text.strip().upper()) if token]
    match = _PLATE.match("|".join(tokens))
    if match is None:
        return None, "licence_plate.invalid"
    district, letters, digits = match.group("district", "letters", "digits")
    if len(district) + len(letters) + len(digits) > MAX_CHARACTERS:
        return None, "licence_plate.too_long"
    return f"{district}-{letters} {digits}{match.group('suffix') or ''}", None
