"""Read the official street list from CSV.

Columns (``;`` or ``,``, German or English names, any order): ``strasse``/``street``,
``plz``/``postal_code``, ``von``/``from``, ``bis``/``to``; optional
``schluessel``/``code`` (the street code of the official list, which lets a renamed
street be told from a removed and an added one) and ``zone``. One line per house-number
range; lines with the same street form one street.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from app.errors import DomainError, FieldError
from app.service_definitions.streets import street_key

MAX_LINES = 20000
MAX_ERRORS = 20
MAX_HOUSE_NUMBER = 9999

_COLUMNS = {
    "street": ("strasse", "straße", "street", "name", "strassenname", "straßenname"),
    "postal_code": ("plz", "postleitzahl", "postal_code"),
    "from": ("von", "hausnummer_von", "from"),
    "to": ("bis", "hausnummer_bis", "to"),
    "code": ("schluessel", "schlüssel", "strassenschluessel", "straßenschlüssel", "code"),
    "zone": ("zone", "parkzone"),
}
_REQUIRED = ("street", "postal_code", "from", "to")
_POSTAL_CODE = re.compile(r"^[0-9]{5}$")
_CODE = re.compile(r"^[0-9A-Za-z._-]{1,20}$")
_ZONE = re.compile(r"^[A-Z0-9]{1,8}$")


@dataclass
class _Street:
    name: str
    postal_code: str
    code: str | None
    line: int
    ranges: list[dict[str, Any]] = field(default_factory=list)


def _header_key(text: str) -> str:
    return text.strip().strip('"').casefold().replace(" ", "_").replace("-", "_")


def _problem(line: int, column: str, code: str, **params: Any) -> FieldError:
    # Columns are named as in the official list's header (German).
    name = _COLUMNS[column][0] if column in _COLUMNS else column
    return FieldError("file", f"streets_csv_{code}", {"line": line, "column": name, **params})


def parse(text: str) -> list[dict[str, Any]]:
    """Return the streets of the list (``{name, postal_code, code, ranges}``) in file order.

    Any problem raises ``DomainError`` with up to ``MAX_ERRORS`` field errors on ``file``,
    each naming its line and column.
    """
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise DomainError("invalid_input", field_errors=[_problem(1, "", "empty")])
    if len(lines) > MAX_LINES + 1:
        raise DomainError(
            "invalid_input", field_errors=[_problem(MAX_LINES + 2, "", "too_long", max=MAX_LINES)]
        )
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_header_key(cell) for cell in next(reader)]
    positions: dict[str, int] = {}
    for name, aliases in _COLUMNS.items():
        for index, cell in enumerate(header):
            if cell in aliases:
                positions[name] = index
                break
    missing = [name for name in _REQUIRED if name not in positions]
    if missing:
        raise DomainError(
            "invalid_input",
            field_errors=[_problem(1, name, "column_missing") for name in missing],
        )
    problems: list[FieldError] = []
    streets: dict[str, _Street] = {}
    codes: dict[str, str] = {}
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {
            name: (row[index].strip() if index < len(row) else "")
            for name, index in positions.items()
        }
        problems.extend(_row_problems(line_number, values, streets, codes))
        if len(problems) >= MAX_ERRORS:
            break
    if not streets and not problems:
        problems.append(_problem(2, "", "empty"))
    if problems:
        raise DomainError("invalid_input", field_errors=problems[:MAX_ERRORS])
    return [
        {
            "name": s.name,
            "postal_code": s.postal_code,
            "code": s.code,
            "ranges": sorted(s.ranges, key=lambda r: r["from"]),
        }
        for s in streets.values()
    ]


def _number(line: int, column: str, text: str) -> tuple[int | None, FieldError | None]:
    if not text.isdigit() or not 1 <= int(text) <= MAX_HOUSE_NUMBER:
        return None, _problem(line, column, "house_number", value=text[:20])
    return int(text), None


def _row_problems(
    line: int, values: dict[str, str], streets: dict[str, _Street], codes: dict[str, str]
) -> list[FieldError]:
    problems: list[FieldError] = []
    name = " ".join(values["street"].split())
    if not 2 <= len(name) <= 100:
        problems.append(_problem(line, "street", "street_name"))
    postal_code = values["postal_code"]
    if not _POSTAL_CODE.match(postal_code):
        problems.append(_problem(line, "postal_code", "postal_code", value=postal_code[:20]))
    first, error_from = _number(line, "from", values["from"])
    last, error_to = _number(line, "to", values["to"])
    problems.extend(error for error in (error_from, error_to) if error)
    if first is not None and last is not None and first > last:
        problems.append(_problem(line, "to", "range_reversed", first=first, last=last))
    code = values.get("code") or None
    if code is not None and not _CODE.match(code):
        problems.append(_problem(line, "code", "code", value=code[:20]))
    zone = (values.get("zone") or "").upper() or None
    if zone is not None and not _ZONE.match(zone):
        problems.append(_problem(line, "zone", "zone", value=zone[:20]))
    if problems:
        return problems
    key = street_key(name)
    street = streets.get(key)
    if street is None:
        if code is not None and code in codes:
            return [_problem(line, "code", "code_twice", value=code, street=codes[code])]
        street = streets[key] = _Street(name, postal_code, code, line)
        if code is not None:
            codes[code] = name
    elif street.postal_code != postal_code:
        return [_problem(line, "postal_code", "postal_code_differs", first_line=street.line)]
    elif code is not None and street.code not in (None, code):
        return [_problem(line, "code", "code_differs", first_line=street.line)]
    for other in street.ranges:
        if first <= other["to"] and other["from"] <= last:
            return [_problem(line, "from", "overlap", first=other["from"], last=other["to"])]
    street.ranges.append({"from": first, "to": last, "zone": zone})
    return []
