"""Non-blocking warnings: late dog registration and de-registration."""

from __future__ import annotations

from app.service_definitions import validate_answers, validate_partial

from .support import TODAY

ADDRESS = {"street": "Markt", "house_number": "3"}


def registration(*intake_dates: str) -> dict:
    return {
        "holder_address": ADDRESS,
        "dogs": [
            {"dog_name": f"Hund {n}", "breed": "Mischling", "origin": "shelter", "intake_date": day}
            for n, day in enumerate(intake_dates)
        ],
        "truthful": True,
    }


def test_registration_within_14_days_has_no_warning(builtin):
    # TODAY is 2024-06-12; 14 days before is 2024-05-29.
    result = validate_answers(
        builtin["dog_tax_registration"], registration("2024-05-29"), today=TODAY
    )
    assert result.errors == []
    assert result.warnings == []


def test_late_registration_warns_per_dog_without_blocking(builtin):
    answers = registration("2024-06-01", "2024-05-28", "2023-01-01")
    result = validate_answers(builtin["dog_tax_registration"], answers, today=TODAY)
    assert result.errors == []
    assert [warning.path for warning in result.warnings] == [
        "dogs[1].intake_date",
        "dogs[2].intake_date",
    ]
    warning = result.warnings[0]
    assert warning.code == "warning.late_registration"
    assert warning.params == {"days": 14}
    assert warning.render("de").startswith(
        "Sie melden den Hund später als 14 Tage nach der Aufnahme an."
    )
    assert warning.render("en").startswith("You are registering the dog more than 14 days")
    assert warning.to_dict("en")["message"] == warning.render("en")


def test_drafts_get_warnings_too(builtin):
    draft = validate_partial(
        builtin["dog_tax_registration"], {"dogs": [{"intake_date": "2024-01-01"}]}, today=TODAY
    )
    assert [warning.path for warning in draft.warnings] == ["dogs[0].intake_date"]


def test_invalid_intake_date_gives_an_error_not_a_warning(builtin):
    answers = registration("2024-13-01")
    result = validate_answers(builtin["dog_tax_registration"], answers, today=TODAY)
    assert [error.code for error in result.errors] == ["date.invalid"]
    assert result.warnings == []


def test_late_deregistration_warns(builtin):
    answers = {
        "holder_address": ADDRESS,
        "dog_name": "Bello",
        "tax_tag_number": "4711",
        "reason": "died",
        "event_date": "2024-05-01",
        "truthful": True,
    }
    result = validate_answers(builtin["dog_tax_deregistration"], answers, today=TODAY)
    assert result.errors == []
    assert [warning.path for warning in result.warnings] == ["event_date"]
    on_time = validate_answers(
        builtin["dog_tax_deregistration"], {**answers, "event_date": "2024-06-05"}, today=TODAY
    )
    assert on_time.warnings == []
