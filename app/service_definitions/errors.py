"""Errors of the definition engine and the structured issues answer validation returns.

Two kinds of problems exist:

* ``DefinitionError``: a service definition (or the street directory) is broken. It is
  raised at load time and names the file, the JSON path and the problem, for the
  people who write definitions.
* ``Issue``: something a citizen typed is wrong (an error) or worth a second look (a
  warning). Issues are data (path, code, params) and become text only when rendered
  in the requested locale, so the same issue reads well in German and English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.i18n import translate

MESSAGE_PREFIX = "validation."

# Every code answer validation may emit, with the parameters its message uses.
# Issues with an unregistered code are rejected so no message can go missing.
CODES: dict[str, tuple[str, ...]] = {
    "required": (),
    "must_accept": (),
    "unknown_field": (),
    "invalid_value": (),
    "text.too_short": ("min_length",),
    "text.too_long": ("max_length",),
    "text.pattern": (),
    "number.invalid": (),
    "number.not_integer": (),
    "number.too_small": ("min",),
    "number.too_large": ("max",),
    "date.invalid": (),
    "date.too_early": ("min_date",),
    "date.too_late": ("max_date",),
    "date.not_after": ("after_date",),
    "money.invalid": (),
    "money.too_small": ("min",),
    "money.too_large": ("max",),
    "option.invalid": (),
    "option.unavailable": (),
    "email.invalid": (),
    "phone.invalid": (),
    "iban.invalid": (),
    "iban.checksum": (),
    "iban.not_sepa": (),
    "iban.country_not_allowed": ("country", "allowed"),
    "licence_plate.invalid": (),
    "licence_plate.too_long": (),
    "address.invalid": (),
    "address.street_unknown": ("street", "city"),
    "address.house_number_invalid": (),
    "address.house_number_out_of_range": ("street", "house_number"),
    "address.postal_code_invalid": (),
    "file.invalid": (),
    "file.too_many": ("max_count",),
    "file.too_large": ("max_size_mb",),
    "file.content_type": ("allowed",),
    "repeat.too_few": ("min_items",),
    "repeat.too_many": ("max_items",),
}

# Readable names for content types in messages ("PDF, JPEG" reads better than MIME types).
_CONTENT_TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/heic": "HEIC",
}


class DefinitionError(ValueError):
    """A definition (or its data) is invalid: names source, JSON path and problem."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [
            f"{source}: {path}: {problem}" if path else f"{source}: {problem}"
            for path, problem in problems
        ]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Issue:
    """One problem with an answer.

    ``path`` points at the answer (``"dogs[1].intake_date"``), ``code`` selects the
    message, ``params`` fill its placeholders. ``message`` overrides the default text
    for issues a definition words itself: a catalogue key or inline ``{de, en}`` text.
    """

    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    message: str | dict[str, str] | None = None

    def __post_init__(self) -> None:
        if self.message is None and self.code not in CODES:
            raise ValueError(f"unregistered issue code {self.code!r}")

    def render(self, locale: str) -> str:
        """Return the issue as text in ``locale``."""
        return render_issue(self, locale)

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """Return a JSON-ready dict; with ``locale`` it carries the rendered message."""
        data: dict[str, Any] = {"path": self.path, "code": self.code, "params": self.params}
        if locale is not None:
            data["message"] = self.render(locale)
        return data


def issue(path: str, code: str, **params: Any) -> Issue:
    """Build an issue with a registered code, checking its parameters are complete."""
    expected = CODES.get(code)
    if expected is None:
        raise ValueError(f"unregistered issue code {code!r}")
    missing = set(expected) - set(params)
    if missing:
        raise ValueError(f"issue {code!r} lacks parameters {sorted(missing)}")
    return Issue(path=path, code=code, params=params)


def render_issue(issue: Issue, locale: str) -> str:
    """Render ``issue`` as text in ``locale`` with locale-aware parameter formatting."""
    params = {name: _format_param(name, value, locale) for name, value in issue.params.items()}
    message = issue.message
    if isinstance(message, dict):
        text = message.get(locale) or message.get("de") or next(iter(message.values()))
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    key = message if isinstance(message, str) else MESSAGE_PREFIX + issue.code
    return translate(key, locale, **params)


def _format_param(name: str, value: Any, locale: str) -> Any:
    """Format dates, decimals and lists the way readers of ``locale`` expect."""
    if name.endswith("_date") and isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y") if locale == "de" else value.isoformat()
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if locale == "de" else text
    if isinstance(value, list | tuple):
        return ", ".join(str(_CONTENT_TYPE_NAMES.get(item, item)) for item in value)
    return value
