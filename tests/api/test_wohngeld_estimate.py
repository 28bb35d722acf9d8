"""``POST /api/wohngeld/estimate``: the public, non-binding housing benefit estimate."""

from __future__ import annotations

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


def test_households_beyond_twelve_are_estimated(make_client):
    """§ 19 Abs. 3 WoGG: the law covers any size, so the API estimates 13 and more."""
    client = make_client()
    body = {"members": 14, "rent_or_burden": 1600, "incomes": []}
    response = client.post("/api/wohngeld/estimate", json=body)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["monthly_amount"] == estimate(Household(14, 1600, 3)).monthly_amount > 0
    assert "members_beyond_twelve" in data["notes"]


def test_household_size_above_the_schema_bound_is_a_field_error(make_client):
    response = make_client().post(
        "/api/wohngeld/estimate", json={"members": 21, "rent_or_burden": 700}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["members"]
