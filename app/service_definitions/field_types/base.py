"""What every field type declares, and the helpers several types share.

A field type is one ``FieldType`` value: its options with their JSON-schema fragments,
the server's cleaner, the prefill sources that may fill it, the JSON schema of a cleaned
answer and its own checks of a definition. The registry in ``__init__`` lists them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from app.i18n import catalogue
from app.languages import BASE_LANGUAGES
from app.service_definitions.errors import Issue, issue
from app.service_definitions.model import FieldInfo
from app.service_definitions.problems import Problem, problem
from app.service_definitions.streets import StreetDirectory

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Context:
    """What cleaning needs besides the answer: the current date and the street directory."""

    today: date
    directory: StreetDirectory


# ``cleaner(field, raw, path, ctx) -> (value, issues)``: the normalised value when
# ``issues`` is empty. Only called for answers that are not empty (see ``is_empty``).
Cleaner = Callable[[dict[str, Any], Any, str, Context], tuple[Any, list[Issue]]]
# ``answer_schema(field) -> JSON schema`` of the answer the cleaner stores for ``field``.
AnswerSchema = Callable[[dict[str, Any]], dict[str, Any]]
# ``check(info) -> problems`` beyond the JSON schema (bounds in order, unique options ...).
Check = Callable[[FieldInfo], list[Problem]]
# ``missing(field, path) -> issues`` of a required field left empty.
Missing = Callable[[dict[str, Any], str], list[Issue]]
# ``condition_check(node, path, operator, field) -> problems`` of a condition reading
# ``field`` with ``operator`` (``equals``, ``before`` ...) at ``path``.
ConditionCheck = Callable[[dict[str, Any], str, str, dict[str, Any]], list[Problem]]
# ``display(field, value, locale) -> text``: a stored answer as people read it.
Display = Callable[[dict[str, Any], Any, str], str]


def no_problems(info: FieldInfo) -> list[Problem]:
    """The check of a type that has nothing to check beyond its schema."""
    return []


def required_issue(field: dict[str, Any], path: str) -> list[Issue]:
    """The usual problem of a required field left empty: one ``required`` at the field."""
    return [issue(path, "required")]


DATE_OPERATORS = ("before", "after")
VALUE_OPERATORS = ("equals", "not_equals", "in")
NUMBER_OPERATORS = ("greater_than", "less_than")
TEXT_OPERATORS = ("contains",)
# What an operator that suits only some types needs, as the problem's code says it.
_NEEDS = (
    (DATE_OPERATORS, "operator_needs_date"),
    (NUMBER_OPERATORS, "operator_needs_number"),
    (TEXT_OPERATORS, "operator_needs_text"),
)


def operators_for(*allowed: tuple[str, ...]) -> ConditionCheck:
    """A condition check that lets the type be read by value and with the operators of
    the groups in ``allowed`` (``DATE_OPERATORS``, ``NUMBER_OPERATORS``, ``TEXT_OPERATORS``)."""
    permitted = {operator for group in allowed for operator in group}

    def check(
        node: dict[str, Any], path: str, operator: str, field: dict[str, Any]
    ) -> list[Problem]:
        if operator in permitted:
            return []
        for operators, code in _NEEDS:
            if operator in operators:
                return [problem(f"{path}.{operator}", code, operator=operator, type=field["type"])]
        return []

    return check


# How conditions may read most types: by value, never as a date, number or text.
no_date_operators: ConditionCheck = operators_for()


def as_text(field: dict[str, Any], value: Any, locale: str) -> str:
    """How most answers read: as they are stored."""
    return str(value)


def localised(text: dict[str, str] | str | None, locale: str) -> str:
    """A definition's ``{de, en}`` text in ``locale`` (German when it lacks that one)."""
    if isinstance(text, dict):
        return text.get(locale) or text.get("de") or ""
    return text or ""


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class FieldType:
    """One field type of service definitions, declared in one place.

    ``options`` maps each option the type accepts (besides ``COMMON_OPTIONS``) to its
    JSON schema; ``required_options`` must be given, ``defaults`` are filled in at load.
    ``cleaner`` is ``None`` only for a type that ``holds_fields`` (a repeat group), whose
    answers the validator cleans member by member. ``prefill_sources`` name the profile
    or ID-card values that may fill a field of this type. ``missing`` words the problem
    of a required field left empty; ``fulfils_required`` tells whether a cleaned answer
    counts as given (an unticked checkbox does not). ``condition_check`` says which
    condition operators suit the type (only dates are ``before``/``after``).
    ``display`` shows a stored answer in summaries, receipts and notices.
    """

    name: str
    options: Mapping[str, dict[str, Any]]
    cleaner: Cleaner | None
    answer_schema: AnswerSchema
    required_options: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    prefill_sources: tuple[str, ...] = ()
    check: Check = no_problems
    missing: Missing = required_issue
    fulfils_required: Callable[[Any], bool] = lambda value: True
    condition_check: ConditionCheck = no_date_operators
    display: Display = as_text
    holds_fields: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _frozen(self.options))
        object.__setattr__(self, "defaults", _frozen(self.defaults))
        unknown = (set(self.required_options) | set(self.defaults)) - set(self.options)
        if unknown:
            raise ValueError(f"field type {self.name!r}: {sorted(unknown)} are not its options")
        if self.cleaner is None and not self.holds_fields:
            raise ValueError(f"field type {self.name!r} needs a cleaner")


def is_empty(value: Any) -> bool:
    """Tell whether an answer counts as not given.

    Not given are ``None``, blank text, an empty list and an object whose parts are all
    not given (an address form left blank sends ``{"street": "", "house_number": ""}``).
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    if isinstance(value, dict):
        return all(is_empty(part) for part in value.values())
    return False


def single_line(text: str) -> str:
    """Normalise one-line text: NFC, no control characters, single spaces, trimmed."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    return _WHITESPACE.sub(" ", text).strip()


def multi_line(text: str) -> str:
    """Normalise text with line breaks: NFC, ``\\n`` only, no control characters."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def ordered(field: dict[str, Any], path: str, low: str, high: str) -> list[Problem]:
    """A problem when both bounds are given and ``low`` exceeds ``high``."""
    if low in field and high in field and field[low] > field[high]:
        return [
            problem(
                f"{path}.{low}",
                "bounds_order",
                low=low,
                low_value=field[low],
                high=high,
                high_value=field[high],
            )
        ]
    return []


def message_problems(message: Any, path: str) -> list[Problem]:
    """A catalogue key a definition names must exist in German and English (inline text is
    fine); further languages fall back to German text by text, and the catalogue checks
    hold them complete."""
    if not isinstance(message, str):
        return []
    missing = [locale for locale in BASE_LANGUAGES if message not in catalogue(locale)]
    if missing:
        return [problem(path, "message_key_missing", name=message, locales=missing)]
    return []
