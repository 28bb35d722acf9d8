"""The citizen's list of own applications shows every row as the application itself
shows it: the list builds its rows from the selected columns, the detail from the
model, and both must agree field by field (apart from a draft's open issues, which
only the detail lists)."""

from __future__ import annotations

import pytest

from tests.api.engine_helpers import start, submitted
from tests.api.service_answers import complete_answers


@pytest.mark.parametrize("language", ["de", "en"])
def test_list_rows_equal_the_applications_as_shown_one_by_one(signed_in, language):
    citizen = signed_in(f"rows-{language}@example.org")
    submitted(citizen, "waste_bins", key="first")
    submitted(citizen, "dog_tax_registration", key="second")
    start(citizen, "waste_bins")
    partly = complete_answers("dog_tax_registration")
    partly.pop(next(iter(partly)))
    start(citizen, "dog_tax_registration", partly)
    headers = {"Accept-Language": language}

    listed = citizen.get("/api/applications", headers=headers).get_json()

    assert len(listed) == 4
    assert [row["updated_at"] for row in listed] == sorted(
        (row["updated_at"] for row in listed), reverse=True
    )
    assert {row["status"] for row in listed} >= {"draft", "submitted"}
    assert any(row["citizen_actions"] for row in listed)
    for row in listed:
        shown = citizen.get(f"/api/applications/{row['id']}", headers=headers).get_json()
        assert row == shown | {"issues": []}


def test_rows_of_the_same_status_do_not_share_their_actions(signed_in):
    citizen = signed_in("shared@example.org")
    submitted(citizen, "waste_bins", key="first")
    submitted(citizen, "waste_bins", key="second")
    first, second = citizen.get("/api/applications").get_json()
    assert first["citizen_actions"] == second["citizen_actions"] != []
