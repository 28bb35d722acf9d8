"""``POST /api/wohngeld/estimate``: the public, non-binding housing benefit estimate."""

from __future__ import annotations

from app.wohngeld import parameters
from app.wohngeld.estimate import Household, Income, estimate


def test_estimate_is_labelled_and_matches_the_module(make_client):
    client = make_client()
    body = {
        "members": 2,
        "rent_or_burden": 600,
        "incomes": [{"kind": "employment", "monthly_amount": 1500}],
    }
    response = client.post("/api/wohngeld/estimate", json=body, headers={"Accept-Language": "de"})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["label"] == "Unverbindliche Schätzung"
    assert "kein Bescheid" in data["disclaimer"]
    expected = estimate(Household(2, 600, 3, (Income("employment", 1500),)))
    assert data["monthly_amount"] == expected.monthly_amount > 0
    assert data["mietstufe"] == 3
    assert data["parameters_valid_from"] == "2025-01-01"
    english = client.post("/api/wohngeld/estimate", json=body, headers={"Accept-Language": "en"})
    assert english.get_json()["label"] == "Non-binding estimate"


def test_ceiling_is_reported(make_client):
    data = (
        make_client()
        .post("/api/wohngeld/estimate", json={"members": 1, "rent_or_burden": 2000})
        .get_json()
    )
    assert data["m"] == "585.60"
    assert "ceiling_applied" in data["notes"]


def test_bad_input_gets_field_errors(make_client):
    client = make_client()
    response = client.post(
        "/api/wohngeld/estimate",
        json={
            "members": 0,
            "rent_or_burden": -5,
            "incomes": [{"kind": "lottery", "monthly_amount": 1}],
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert {"members", "rent_or_burden"} <= fields
    assert any(f.startswith("incomes") for f in fields)


def test_household_beyond_the_tables_is_a_field_error(make_client):
    too_many = parameters.current().max_members + 1
    response = make_client().post(
        "/api/wohngeld/estimate",
        json={"members": too_many, "rent_or_burden": 700},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert error["field"] == "members"
    assert error["code"] == "wohngeld_members_not_estimated"
    assert "more than 6" in error["message"]
