"""Problems of a definition as data: a path, a code and parameters, rendered per language.

The loader has always reported a problem as ``(json_path, text)`` with an English text,
and ``DefinitionError`` still prints that text for files. A ``Problem`` is still that
pair (it is a tuple), and also carries ``code`` and ``params``, so the console shows the
same problem in German or English from the catalogues (``app/locales/*/definitions.json``,
keys ``definition.<code>``). The English text is the English catalogue's, except for
schema problems, whose text is jsonschema's own message.
"""

from __future__ import annotations

from typing import Any

from app.i18n import translate
from app.service_definitions.errors import Issue

MESSAGE_PREFIX = "definition."

# Every problem code with the parameters its messages use. A test checks that each has
# a text in every locale.
CODES: dict[str, tuple[str, ...]] = {
    # The file and the schema.
    "not_a_mapping": (),
    "invalid_yaml": ("problem",),
    "unreadable_json": ("problem",),
    "unreadable_file": ("problem",),
    "id_differs_from_file": ("id",),
    "unknown_workflow": ("name", "known"),
    "schema.required": ("name",),
    "schema.unexpected": ("name",),
    "schema.type": ("value", "expected"),
    "schema.enum": ("value", "allowed"),
    "schema.const": ("value", "expected"),
    "schema.slug": ("value",),
    "schema.pattern": ("value", "pattern"),
    "schema.minimum": ("value", "limit"),
    "schema.maximum": ("value", "limit"),
    "schema.empty": (),
    "schema.min_length": ("limit",),
    "schema.max_length": ("limit",),
    "schema.min_items": ("limit",),
    "schema.max_items": ("limit",),
    "schema.unique_items": (),
    "schema.min_properties": ("limit",),
    "schema.no_match": ("value",),
    "schema.not_for_type": ("type",),
    "schema.other": ("problem",),
    # Ids.
    "duplicate_field_id": ("id", "first"),
    "duplicate_step_id": ("id",),
    "duplicate_fee_rule_id": ("id",),
    "duplicate_status_id": ("id",),
    "duplicate_document_id": ("id",),
    "duplicate_warning_id": ("id",),
    # Fields and their options.
    "prefill_wrong_type": ("source", "fills", "type"),
    "bounds_order": ("low", "low_value", "high", "high_value"),
    "choice_without_options": (),
    "choice_options_twice": (),
    "duplicate_option_value": ("value",),
    "date_bound_invalid": ("problem",),
    "min_date_after_max_date": (),
    "repeat_nested": (),
    "repeat_use_min_items": (),
    "pattern_invalid": ("problem",),
    "message_key_missing": ("name", "locales"),
    # Conditions.
    "condition_combine": (),
    "condition_leaf": ("operators",),
    "unknown_field": ("id",),
    "prefill_previous_field": ("id",),
    "not_a_group": ("id",),
    "field_not_usable.earlier_step": ("id",),
    "field_not_usable.earlier_field": ("id",),
    "field_not_usable.outside_groups": ("id",),
    "field_not_usable.group_or_outside": ("id", "group"),
    "field_not_usable.next_to_warned": ("id",),
    "group_field_unknown": ("group", "id"),
    "group_field_operator": ("id",),
    "group_operator": ("id",),
    "condition_reads_own_group": ("id", "group"),
    "operator_needs_date": ("operator", "type"),
    "operator_needs_number": ("operator", "type"),
    "operator_needs_text": ("operator", "type"),
    "checkbox_is_true": (),
    "not_an_option": ("values", "id"),
    # Fees and payment.
    "fee_key_not_allowed": ("kind",),
    "fee_counts_what": ("type",),
    "fee_filter_needs_group": (),
    "graduated_count_where": (),
    "tier_from": ("expected",),
    "tier_open_not_last": (),
    "tier_to_before_from": ("to", "from"),
    "tier_last_closed": (),
    "payment_none_with_fees": (),
    "payment_needs_fees": ("policy",),
    "notice_kind_needs_decision": (),
    "instalments_need_decision": (),
    "needs_instalments": (),
    # Workflow and what the citizen hears.
    "unknown_status": ("id",),
    "unknown_status_known": ("id", "known"),
    "duplicate_transition": ("from", "to", "actor"),
    "transition_to_itself": ("id",),
    "transition_from_terminal": ("id",),
    "no_terminal_status": (),
    "status_unreachable": ("id", "initial"),
    "status_never_ends": ("id",),
    "decision_must_notify": ("id",),
    "required_message_must_notify": (),
    "citizen_must_hear": ("id",),
    "placeholder_malformed": ("problem",),
    "placeholder_unknown": ("name", "known"),
    "placeholder_format": ("name",),
    # Automatic decisions, trust, plugins.
    "auto_needs_rule_set": (),
    "auto_needs_status": (),
    "no_system_transition": ("from", "to"),
    "auto_needs_handover": (),
    "trust_note_missing": ("level",),
    "unknown_check": ("name", "registered"),
    "unknown_rule": ("name", "registered"),
    "unknown_generator": ("name", "registered"),
    "unknown_option_source": ("name", "registered"),
    "unknown_plugin": ("name",),
    "unknown_proposals": ("name", "registered"),
    # Values a clerk sets at a decision.
    "decision_fields_not_decision": ("id",),
    "decision_fields_staff_only": ("id", "actors"),
    "decision_after_field": ("id",),
    # Hand-off to specialist systems.
    "unknown_backend": ("name", "registered"),
    "duplicate_target_id": ("id",),
    "handoff_settings": ("backend", "problem"),
    # City surveys (kind: survey).
    "survey_forbids": ("name",),
    "survey_anonymous_per_device": (),
    "survey_no_files": (),
    # Links on the start page.
    "unknown_page": ("page", "known"),
    "duplicate_page": ("page",),
    # The summary in Leichte Sprache (leichte_sprache.py).
    "leichte_sprache.too_many_words": ("words", "limit"),
    "leichte_sprache.one_statement": (),
    "leichte_sprache.sentence_end": (),
    "leichte_sprache.abbreviation": ("word",),
    "leichte_sprache.number_word": ("word",),
    "leichte_sprache.informal": ("word",),
    "leichte_sprache.long_word": ("word", "limit"),
    "leichte_sprache.placeholder": ("name", "known"),
    # The service's guide (guide.py).
    "guide.unknown_step": ("id",),
    "guide.unknown_field": ("id",),
    "guide.example_invalid": ("reason",),
    "guide.example_hidden": ("id",),
    "guide.example_file": ("id",),
    "guide.example_city_scope": (),
    "guide.example_fixed_date": ("id",),
    "guide.example_empty": ("id",),
    # A problem from code that words it in English only (a city's own plugin).
    "other": ("problem",),
}


class Problem(tuple):
    """``(path, English text)`` as loaders report it, with ``code`` and ``params``."""

    code: str
    params: dict[str, Any]

    def __new__(
        cls, path: str, code: str, params: dict[str, Any] | None = None, text: str | None = None
    ) -> Problem:
        expected = CODES.get(code)
        if expected is None:
            raise ValueError(f"unregistered definition problem code {code!r}")
        params = dict(params or {})
        missing = set(expected) - set(params)
        if missing:
            raise ValueError(f"problem {code!r} lacks parameters {sorted(missing)}")
        if text is None:
            text = translate(MESSAGE_PREFIX + code, "en", **params)
        self = super().__new__(cls, (path, text))
        self.code = code
        self.params = params
        return self

    def __getnewargs__(self) -> tuple[Any, ...]:  # type: ignore[override]
        return (self[0], self.code, self.params, self[1])

    @property
    def path(self) -> str:
        """Where the problem is: the loader's JSON path (``steps[0].fields[2].label.de``)."""
        return self[0]

    @property
    def text(self) -> str:
        """The English text the loader prints."""
        return self[1]

    def render(self, locale: str) -> str:
        """The problem in ``locale``."""
        params = self.params
        if "issue" in params:
            # An example a field's cleaner refused: the cleaner's words in this language.
            reason = Issue(self.path, params["issue"], dict(params.get("issue_params") or {}))
            params = {**params, "reason": reason.render(locale)}
        return translate(MESSAGE_PREFIX + self.code, locale, **params)

    def to_dict(self, locale: str) -> dict[str, str]:
        """``{field, code, message}`` as the console's API sends it."""
        return {"field": self.path, "code": self.code, "message": self.render(locale)}


def problem(path: str, code: str, text: str | None = None, **params: Any) -> Problem:
    """A problem at ``path``; its English text from the catalogue unless ``text`` is given."""
    return Problem(path, code, params, text)


def coded(item: tuple[str, str]) -> Problem:
    """``item`` as a ``Problem``: a plain ``(path, text)`` pair becomes code ``other``."""
    if isinstance(item, Problem):
        return item
    path, text = item
    return Problem(path, "other", {"problem": text}, text)
