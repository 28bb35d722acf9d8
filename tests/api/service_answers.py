"""Complete, valid answers for every built-in service, with dates relative to today.

They are the definition tests' complete answers (fixed to a past "today") moved to
the real today, without the file fields (API tests upload real files when needed).
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from tests.service_definitions.test_builtin_services import COMPLETE


def _days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def _dog_registration(answers: dict[str, Any]) -> None:
    answers["dogs"] = answers["dogs"][:1]  # one dog, no dangerous-dog permit upload
    answers["dogs"][0]["intake_date"] = _days(-5)
    answers["dogs"][0].pop("previous_owner_address")


def _dog_deregistration(answers: dict[str, Any]) -> None:
    for name in ("new_owner_name", "new_owner_address", "proof"):
        answers.pop(name)
    answers.update(reason="died", event_date=_days(-3))


def _daycare(answers: dict[str, Any]) -> None:
    # The facility choices name facilities of the table: the demo facilities (the first
    # two take children over three with 35 hours a week).
    from app.db import db
    from app.kita import demo

    with db.connection_context():
        first, second, _third = demo.seed()
    answers.update(
        child_birth_date=_days(-1400),
        start_date=_days(60),
        facility_1=str(first.id),
        facility_2=str(second.id),
        facility_3="",
    )


_TODAY_MOVES = {
    "dog_tax_registration": _dog_registration,
    "dog_tax_deregistration": _dog_deregistration,
    "waste_bins": lambda answers: answers.update(delivery_date=_days(21)),
    "business_registration": lambda answers: answers.update(start_date=_days(10)),
    "housing_benefit": lambda answers: [
        answers.pop(f) for f in ("income_proofs", "rental_contract")
    ],
    "business_change": lambda answers: answers.update(change_date=_days(5)),
    "business_deregistration": lambda answers: answers.update(end_date=_days(-3)),
    "business_information_extended": lambda answers: answers.pop("legal_interest_proof"),
    "daycare_place": _daycare,
}


def complete_answers(service_id: str) -> dict[str, Any]:
    """A fresh copy of valid answers for ``service_id``."""
    answers = copy.deepcopy(COMPLETE[service_id])
    _TODAY_MOVES.get(service_id, lambda _answers: None)(answers)
    return answers


EXPECTED_FEES = {
    "dog_tax_registration": 8400,
    "dog_tax_deregistration": 0,
    "waste_bins": 0,
    "civil_status_certificate": 2400,
    "registry_information_simple": 1000,
    "business_registration": 2600,
    "business_change": 2000,
    "business_deregistration": 1500,
    "business_information_simple": 1000,
    "business_information_extended": 1500,
    "daycare_place": 0,
}
