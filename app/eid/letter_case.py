"""Names and places as people write them, from the capitals an ID card stores.

The card stores everything in capitals ("VON DER LEYEN", "HEIDESTRASSE", "KÖLN").
Shown back to the citizen or prefilled into a form, that reads like shouting, so the
portal converts it with one fixed rule:

* Only text written entirely in capitals is converted; anything with a lower-case
  letter was written by a person and is kept as it is.
* Each word (a run of letters; hyphens, spaces, apostrophes, dots and brackets divide
  words) is lower-cased and gets a capital first letter: "ANNA-LENA" → "Anna-Lena",
  "KÖLN" → "Köln", "HALLE (SAALE)" → "Halle (Saale)".
* Particles stay lower case: in family names always when more words follow
  ("VON DER LEYEN" → "von der Leyen"), in streets and places unless they begin the
  name ("AN DER SCHANZE" → "An der Schanze", "FRANKFURT AM MAIN" → "Frankfurt am Main").
* "SS" is never turned into "ß": whether "STRASSE" was "Straße" cannot be known from
  the capitals alone (think of "Strasser" or Swiss spellings). A street of the city's
  own directory is the one reliable exception: there its official spelling is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_WORD = re.compile(r"[^\W\d_]+")
_NAME_PARTICLES = frozenset(
    {
        "von",
        "van",
        "der",
        "den",
        "de",
        "du",
        "da",
        "di",
        "del",
        "della",
        "la",
        "le",
        "ten",
        "ter",
        "zu",
        "zum",
        "zur",
        "vom",
        "und",
        "y",
        "dos",
        "das",
    }
)
_PLACE_PARTICLES = frozenset(
    {
        "an",
        "am",
        "auf",
        "aus",
        "bei",
        "beim",
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "im",
        "in",
        "ob",
        "und",
        "vom",
        "von",
        "vor",
        "zu",
        "zum",
        "zur",
        "unter",
        "über",
        "hinter",
    }
)


def is_all_caps(text: str) -> bool:
    """True when ``text`` has letters and none of them is lower case."""
    return any(ch.isalpha() for ch in text) and not any(ch.islower() for ch in text)


def _convert(text: str, particles: frozenset[str], first_word_too: bool) -> str:
    if not is_all_caps(text):
        return text
    words = list(_WORD.finditer(text))
    out: list[str] = []
    last = 0
    for index, match in enumerate(words):
        # Turkish dotted capital I lower-cases to "i" plus a combining dot otherwise.
        word = match.group().replace("İ", "i").lower()
        follows_apostrophe = match.start() > 0 and text[match.start() - 1] in "'’"
        is_last = index == len(words) - 1
        if word in particles and not is_last and (index > 0 or first_word_too):
            converted = word
        elif follows_apostrophe and len(word) == 1:
            # "JOHN'S" → "John's"; but "O'BRIEN" → "O'Brien" (longer part after it).
            converted = word
        else:
            converted = word[:1].upper() + word[1:]
        out.append(text[last : match.start()])
        out.append(converted)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def person_name(text: str) -> str:
    """A given or family name in normal case: "VON DER LEYEN" → "von der Leyen"."""
    return _convert(text, _NAME_PARTICLES, first_word_too=True)


def given_names(text: str) -> str:
    """Given names in normal case: "ANNA-LENA MARIA" → "Anna-Lena Maria" (no particles)."""
    return _convert(text, frozenset(), first_word_too=False)


def place(text: str) -> str:
    """A town in normal case: "MÜLHEIM AN DER RUHR" → "Mülheim an der Ruhr"."""
    return _convert(text, _PLACE_PARTICLES, first_word_too=False)


def street(text: str, official: Callable[[str], str | None] | None = None) -> str:
    """A street in normal case: "HEIDESTRASSE" → "Heidestrasse", "AM MARKT" → "Am Markt".

    ``official`` may return the directory spelling of a street of the city
    ("WIRTELSTRASSE" → "Wirtelstraße"), which then wins over the rule.
    """
    if not is_all_caps(text):
        return text
    if official is not None:
        known = official(text)
        if known:
            return known
    return _convert(text, _PLACE_PARTICLES, first_word_too=False)
