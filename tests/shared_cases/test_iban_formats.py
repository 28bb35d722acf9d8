"""The PWA's table of IBAN formats says what the server's IBAN library says.

The device checks an IBAN's length and layout per country offline; if the library
learns a new country or SEPA changes, this test names the entries to update in
``pwa/src/lib/form/iban-formats.js``.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import ascii_uppercase

from schwifty import registry
from schwifty.exceptions import SchwiftyException

TABLE = Path(__file__).parents[2] / "pwa" / "src" / "lib" / "form" / "iban-formats.js"


def _pwa_table() -> tuple[dict[str, str], set[str]]:
    text = TABLE.read_text(encoding="utf-8")
    body = text[text.index("BBAN_FORMATS = {") : text.index("};")]
    formats = dict(re.findall(r'([A-Z]{2}): "([^"]+)"', body))
    sepa = re.search(r'SEPA_COUNTRIES = new Set\("([A-Z ]+)"', text)
    assert sepa is not None
    return formats, set(sepa.group(1).split())


def _library_countries() -> list[str]:
    # The library has no public list of its IBAN countries; asking for every two-letter
    # code finds them.
    found = []
    for code in (a + b for a in ascii_uppercase for b in ascii_uppercase):
        try:
            registry.get_iban_spec(code)
        except (KeyError, SchwiftyException):
            continue
        found.append(code)
    return found


def test_formats_match_the_iban_library() -> None:
    formats, _ = _pwa_table()
    expected = {code: registry.get_iban_spec(code).bban_spec for code in _library_countries()}
    assert formats == expected


def test_sepa_countries_match_the_iban_library() -> None:
    _, sepa = _pwa_table()
    expected = {code for code in _library_countries() if registry.get_iban_spec(code).in_sepa_zone}
    assert sepa == expected
