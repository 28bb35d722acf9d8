"""Fixtures for the payment domain tests: an app context, a citizen, provider settings."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from app.db import db
from app.models import User
from app.payments.payables import Payable, PayableItem


@pytest.fixture
def ctx(app) -> Iterator[Any]:
    """An app context with an open database connection (like a request).

    Requests made through the test client inside a test close the connection when
    they end (as in production); the next query simply opens it again.
    """
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            yield app
        finally:
            if not db.is_closed():
                db.close()


@pytest.fixture
def citizen(ctx) -> User:
    from app.accounts import profile, users

    user = users.create_user(f"erika-{secrets.token_hex(3)}@example.org")
    profile.update_profile(
        user,
        {
            "given_names": "Erika",
            "family_name": "Mustermann",
            "street": "Heidestraße",
            "house_number": "17",
            "postal_code": "52349",
            "city": "Düren",
        },
    )
    return user


@pytest.fixture
def settings(app, monkeypatch):
    """Change app settings for one test: ``settings(XBEZAHL_BASE_URL=...)``."""

    def apply(values: dict[str, Any] | None = None, **more: Any) -> None:
        for key, value in {**(values or {}), **more}.items():
            monkeypatch.setitem(app.config, key, value)

    return apply


def application_payable(user: User, amount_cents: int = 3000, **extra: Any) -> Payable:
    """A payable like the services engine would hand over for an application."""
    return Payable(
        **{
            "subject_type": "application",
            "subject_id": "APP-" + secrets.token_hex(4).upper(),
            "user_id": user.id,
            "amount_cents": amount_cents,
            "purpose": "Bewohnerparken DN-AB 123",
            "description": "Bewohnerparkausweis Zone B, 1 Jahr",
            "items": (
                PayableItem(
                    reference="parken-zone-b",
                    description="Bewohnerparkausweis Zone B",
                    amount_cents=amount_cents,
                    booking_data={"Objektnummer": "PARK-B"},
                ),
            ),
        }
        | extra
    )
