"""Each built-in service accepts a complete, realistic application and enforces its own rules."""

from __future__ import annotations

import pytest

from app.service_definitions import compute_fees, validate_answers

from .support import TODAY, codes

PDF = {
    "upload_id": "u-1",
    "filename": "nachweis.pdf",
    "content_type": "application/pdf",
    "size": 20_000,
}

COMPLETE = {
    "dog_tax_registration": {
        "holder_address": {"street": "Josef-Schregel-Str.", "house_number": "12"},
        "holder_phone": "02421 123456",
        "dogs": [
            {
                "dog_name": "Bello",
                "breed": "Labrador",
                "birth_date": "2022-03-01",
                "dangerous": False,
                "origin": "acquired",
                "intake_date": "2024-06-05",
                "previous_owner_name": "Max Mustermann",
                "previous_owner_address": {
                    "street": "Heidestraße",
                    "house_number": "17",
                    "postal_code": "51147",
                    "city": "Köln",
                },
            },
            {
                "dog_name": "Rex",
                "breed": "American Staffordshire Terrier",
                "dangerous": True,
                "permit": [PDF],
                "origin": "moved",
                "intake_date": "2024-06-01",
                "previous_municipality": "Aachen",
            },
        ],
        "sepa_mandate": True,
        "account_holder": "Erika Mustermann",
        "iban": "DE89 3704 0044 0532 0130 00",
        "truthful": True,
    },
    "dog_tax_deregistration": {
        "holder_address": {"street": "Markt", "house_number": "2"},
        "dog_name": "Bello",
        "tax_tag_number": "4711",
        "reason": "given_away",
        "event_date": "2024-06-10",
        "new_owner_name": "Max Mustermann",
        "new_owner_address": {
            "street": "Heidestraße",
            "house_number": "17",
            "postal_code": "51147",
            "city": "Köln",
        },
        "proof": [PDF],
        "truthful": True,
    },
    "waste_bins": {
        "property_address": {"street": "Oberstraße", "house_number": "7"},
        "applicant_role": "manager",
        "owner_name": "Wohnbau Düren GmbH",
        "action": "change",
        "bins": [
            {"bin_type": "residual", "size": "120", "new_size": "240"},
            {"bin_type": "bio", "size": "80", "new_size": "120"},
        ],
        "delivery_date": "2024-06-19",
        "remarks": "Standplatz links neben der Garage.",
        "truthful": True,
    },
    "civil_status_certificate": {
        "certificate_type": "marriage",
        "register_number": "E 123/1990",
        "copies": 3,
        "purpose": "pension",
        "family_name": "Mustermann",
        "given_names": "Erika",
        "birth_name": "Gabler",
        "spouse_family_name": "Mustermann",
        "spouse_given_names": "Max",
        "event_date": "1990-05-18",
        "event_place": "Düren",
        "relationship": "self",
        "truthful": True,
    },
    "registry_information_simple": {
        "family_name": "Mustermann",
        "given_names": "Max",
        "identified_by": "both",
        "person_birth_date": "1964-08-12",
        "last_known_address": {
            "street": "Heidestraße",
            "house_number": "17",
            "postal_code": "51147",
            "city": "Köln",
        },
        "commercial_use": True,
        "purpose": "Zustellung einer offenen Rechnung",
        "no_advertising": True,
        "truthful": True,
    },
    "business_registration": {
        "persons": [
            {
                "person_family_name": "Mustermann",
                "person_given_names": "Erika",
                "person_birth_date": "1964-08-12",
                "person_role": "managing_director",
            }
        ],
        "legal_form": "gmbh",
        "company_name": "Mustermann Bau GmbH",
        "register_court": "Amtsgericht Düren",
        "register_number": "HRB 1234",
        "trade_name": "Bau & Renovierung Mustermann",
        "business_address": {"street": "Tivolistraße", "house_number": "40"},
        "establishment_type": "main",
        "activity": "Hochbau und Renovierung von Wohngebäuden",
        "activity_kind": "craft",
        "registration_reason": "takeover",
        "previous_owner": "Max Mustermann",
        "start_date": "2024-07-01",
        "branches": [
            {
                "branch_address": {
                    "street": "Heidestraße",
                    "house_number": "17",
                    "postal_code": "51147",
                    "city": "Köln",
                },
                "branch_activity": "Lager",
            }
        ],
        "employees_full_time": "4",
        "employees_part_time": 2,
        "permit_required": False,
        "craft_register": True,
        "email": "info@mustermann-bau.de",
        "phone": "02421 987654",
        "truthful": True,
    },
    "business_change": {
        "persons": [
            {
                "person_family_name": "Mustermann",
                "person_given_names": "Erika",
                "person_birth_date": "1964-08-12",
                "person_role": "owner",
            }
        ],
        "business_entry_number": "G-2024-00017",
        "legal_form": "sole_proprietor",
        "trade_name": "Erikas Laden",
        "business_address": {"street": "Markt", "house_number": "2"},
        "establishment_type": "main",
        "activity_kind": "trade",
        "activity": "Einzelhandel mit Schreibwaren",
        "change_kind": "relocation",
        "new_business_address": {"street": "Oberstraße", "house_number": "7"},
        "change_date": "2024-07-01",
        "employees_full_time": 1,
        "employees_part_time": 0,
        "branches": [],
        "email": "erika@example.org",
        "phone": "02421 123456",
        "truthful": True,
    },
    "business_deregistration": {
        "persons": [
            {
                "person_family_name": "Mustermann",
                "person_given_names": "Erika",
                "person_birth_date": "1964-08-12",
                "person_role": "owner",
            }
        ],
        "business_entry_number": "G-2024-00017",
        "legal_form": "ohg",
        "company_name": "Mustermann & Gabler OHG",
        "register_court": "Amtsgericht Düren",
        "register_number": "HRA 77",
        "trade_name": "",
        "business_address": {"street": "Markt", "house_number": "2"},
        "establishment_type": "main",
        "activity": "Einzelhandel mit Schreibwaren",
        "closing_scope": "complete",
        "end_date": "2024-06-30",
        "closing_reason": "transfer",
        "new_owner": "Max Mustermann",
        "employees_full_time_end": 1,
        "employees_part_time_end": 0,
        "email": "erika@example.org",
        "phone": "02421 123456",
        "truthful": True,
    },
    "business_information_simple": {
        "query_name": "Muster Elektro",
        "query_address": {
            "street": "Oberstraße",
            "house_number": "12",
            "postal_code": "52349",
            "city": "Düren",
        },
        "truthful": True,
    },
    "business_information_extended": {
        "query_name": "Muster Elektro",
        "query_address": {
            "street": "Oberstraße",
            "house_number": "12",
            "postal_code": "52349",
            "city": "Düren",
        },
        "requested_data": "Namen der Inhaber",
        "legal_interest": "Offene Forderung aus Rechnung 2024-117 vom 3. Mai 2024.",
        "legal_interest_proof": [PDF],
        "truthful": True,
    },
    "daycare_place": {
        "child_given_names": "Mia",
        "child_family_name": "Mustermann",
        "child_birth_date": "2022-03-01",
        "parent_given_names": "Erika",
        "parent_family_name": "Mustermann",
        "parent_address": {
            "street": "Heidestraße",
            "house_number": "17",
            "postal_code": "51147",
            "city": "Köln",
        },
        "parent_phone": "02421 123456",
        "second_parent": True,
        "second_parent_given_names": "Max",
        "second_parent_family_name": "Mustermann",
        "second_parent_email": "max@example.org",
        "facility_1": "1",
        "facility_2": "2",
        "facility_3": "3",
        "start_date": "2024-08-01",
        "weekly_hours": "35",
        "truthful": True,
    },
}

COMPLETE["housing_benefit"] = {
    "subsidy_kind": "rent",
    "application_type": "continuation",
    "has_household_members": True,
    "household_members": [
        {
            "member_name": "Max Mustermann",
            "member_birth_date": "1962-01-03",
            "relationship": "spouse",
        }
    ],
    "has_income": True,
    "incomes": [
        {"income_member": "Max Mustermann", "income_kind": "pension", "income_monthly": 1240.5}
    ],
    "income_proofs": [PDF],
    "rent_monthly": 640,
    "heating_included": "yes",
    "flat_size": 58,
    "move_in_date": "2010-10-01",
    "rental_contract": [PDF],
    "account_holder": "Erika Mustermann",
    "iban": "DE89 3704 0044 0532 0130 00",
    "truthful": True,
}

TOTALS = {
    "dog_tax_registration": 9600 + 40000,
    "dog_tax_deregistration": 0,
    "waste_bins": 0,
    "civil_status_certificate": 2400,
    "registry_information_simple": 1000,
    "business_registration": 2600,
    "housing_benefit": 0,
    "business_change": 2000,
    "business_deregistration": 1500,
    "business_information_simple": 1000,
    "business_information_extended": 1500,
    "daycare_place": 0,
}


@pytest.mark.parametrize("service", sorted(COMPLETE))
def test_complete_application_is_valid(builtin, service):
    definition = builtin[service]
    result = validate_answers(definition, COMPLETE[service], today=TODAY)
    assert result.errors == []
    assert result.warnings == []
    assert compute_fees(definition, result.answers, today=TODAY).total_cents == TOTALS[service]
    # Cleaning is idempotent: cleaned answers validate to themselves.
    again = validate_answers(definition, result.answers, today=TODAY)
    assert again.errors == []
    assert again.answers == result.answers


def test_every_field_of_every_service_is_exercised_somewhere(builtin):
    # Guards the table above against definitions growing fields nobody tests.
    untested = {
        "dog_tax_registration": set(),
        "dog_tax_deregistration": {"new_address"},
        "waste_bins": {"owner_consent", "collection_date"},
        "civil_status_certificate": {"purpose_other", "legal_interest", "legal_interest_proof"},
        "registry_information_simple": {"birth_name"},
        "business_registration": {"permit"},
        "housing_benefit": {"burden_monthly", "burden_proof"},
        "business_change": {
            "company_name",
            "register_court",
            "register_number",
            "new_activity",
            "branch_address",
            "branch_activity",
        },
        "business_deregistration": {"closure_cause", "new_municipality"},
        "business_information_simple": set(),
        "business_information_extended": set(),
        "daycare_place": set(),
    }
    for service, answers in COMPLETE.items():
        given = set(answers)
        for value in answers.values():
            if (
                isinstance(value, list)
                and value
                and isinstance(value[0], dict)
                and "upload_id" not in value[0]
            ):
                for item in value:
                    given |= set(item)
        assert set(builtin[service].fields) - given == untested[service], service


def test_business_registration_register_number_format(builtin):
    answers = {**COMPLETE["business_registration"], "register_number": "1234"}
    result = validate_answers(builtin["business_registration"], answers, today=TODAY)
    assert codes(result) == {"register_number": "text.pattern"}
    assert (
        result.errors[0].render("de")
        == "Bitte geben Sie die Registernummer an, zum Beispiel HRB 1234."
    )
    sole = {
        **COMPLETE["business_registration"],
        "legal_form": "sole_proprietor",
        "register_number": "?",
    }
    result = validate_answers(builtin["business_registration"], sole, today=TODAY)
    assert result.errors == []
    assert "register_number" not in result.answers
    assert "company_name" not in result.answers


def test_business_registration_permit_upload_when_needed(builtin):
    answers = {**COMPLETE["business_registration"], "permit_required": True}
    result = validate_answers(builtin["business_registration"], answers, today=TODAY)
    assert codes(result) == {"permit": "required"}
    answers["permit"] = [PDF]
    assert validate_answers(builtin["business_registration"], answers, today=TODAY).errors == []


def test_business_registration_employee_count(builtin):
    answers = {**COMPLETE["business_registration"], "employees_full_time": -1}
    result = validate_answers(builtin["business_registration"], answers, today=TODAY)
    assert codes(result) == {"employees_full_time": "number.too_small"}


@pytest.mark.parametrize(
    ("copies", "code"),
    [(0, "number.too_small"), (11, "number.too_large"), ("1,5", "number.not_integer")],
)
def test_certificate_copies_bounds(builtin, copies, code):
    answers = {**COMPLETE["civil_status_certificate"], "copies": copies}
    result = validate_answers(builtin["civil_status_certificate"], answers, today=TODAY)
    assert codes(result) == {"copies": code}


def test_certificate_for_another_person_needs_a_legal_interest(builtin):
    answers = {**COMPLETE["civil_status_certificate"], "relationship": "sibling"}
    result = validate_answers(builtin["civil_status_certificate"], answers, today=TODAY)
    assert codes(result) == {"legal_interest": "required"}
    answers["legal_interest"] = "Ich bin Erbin und brauche die Urkunde für das Nachlassgericht."
    assert validate_answers(builtin["civil_status_certificate"], answers, today=TODAY).errors == []


def test_certificate_event_date_not_in_the_future(builtin):
    answers = {**COMPLETE["civil_status_certificate"], "event_date": "2024-06-13"}
    result = validate_answers(builtin["civil_status_certificate"], answers, today=TODAY)
    assert codes(result) == {"event_date": "date.too_late"}


@pytest.mark.parametrize(
    ("delivery_date", "code"),
    [
        ("2024-06-11", "date.too_early"),  # in the past
        ("2024-06-18", "date.too_early"),  # only four working days ahead
        ("2024-06-19", None),  # five working days ahead (Wednesday to Wednesday)
        ("2024-09-10", None),  # the last day: 90 days ahead
        ("2024-09-11", "date.too_late"),
        ("2024-09-11x", "date.invalid"),
    ],
)
def test_waste_bin_delivery_date(builtin, delivery_date, code):
    answers = {**COMPLETE["waste_bins"], "delivery_date": delivery_date}
    result = validate_answers(builtin["waste_bins"], answers, today=TODAY)
    assert codes(result) == ({"delivery_date": code} if code else {})


def test_waste_bins_must_be_in_the_city(builtin):
    answers = {
        **COMPLETE["waste_bins"],
        "property_address": {"street": "Heidestraße", "house_number": "17"},
    }
    result = validate_answers(builtin["waste_bins"], answers, today=TODAY)
    assert codes(result) == {"property_address.street": "address.street_unknown"}


def test_waste_bin_sizes_and_types(builtin):
    answers = {
        **COMPLETE["waste_bins"],
        "bins": [{"bin_type": "glass", "size": "90", "new_size": "240"}],
    }
    result = validate_answers(builtin["waste_bins"], answers, today=TODAY)
    assert codes(result) == {"bins[0].bin_type": "option.invalid", "bins[0].size": "option.invalid"}


def test_dog_holder_must_live_in_the_city_and_previous_owner_may_not(builtin):
    answers = COMPLETE["dog_tax_registration"]
    result = validate_answers(builtin["dog_tax_registration"], answers, today=TODAY)
    assert result.answers["holder_address"]["parking_zone"] == "E"
    assert result.answers["dogs"][0]["previous_owner_address"]["city"] == "Köln"
    moved_out = {**answers, "holder_address": {"street": "Heidestraße", "house_number": "17"}}
    result = validate_answers(builtin["dog_tax_registration"], moved_out, today=TODAY)
    assert codes(result) == {"holder_address.street": "address.street_unknown"}


def test_deregistration_reason_decides_the_follow_up_questions(builtin):
    base = {**COMPLETE["dog_tax_deregistration"], "reason": "moved_away"}
    result = validate_answers(builtin["dog_tax_deregistration"], base, today=TODAY)
    assert codes(result) == {
        f"new_address.{part}": "required"
        for part in ("street", "house_number", "postal_code", "city")
    }
    assert "new_owner_name" not in result.answers
    died = {**COMPLETE["dog_tax_deregistration"], "reason": "died"}
    result = validate_answers(builtin["dog_tax_deregistration"], died, today=TODAY)
    assert result.errors == []
    assert "new_owner_address" not in result.answers
