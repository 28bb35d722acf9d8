"""Seeding for the statistics tests: applications, views and counts with fixed times."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app.accounts import users
from app.models import Application, ServiceDefinitionRecord, StepView, User
from app.statistics import berlin_day


def citizen(email: str) -> User:
    return User.get_or_none(User.email == email) or users.create_user(email, "citizen", [])


def definition(service_id: str = "waste_bins") -> ServiceDefinitionRecord:
    return (
        ServiceDefinitionRecord.select()
        .where(
            (ServiceDefinitionRecord.service_id == service_id)
            & (ServiceDefinitionRecord.state == "published")
        )
        .get()
    )


def application(
    user: User,
    created: datetime,
    *,
    service_id: str = "waste_bins",
    submitted: datetime | None = None,
    decided: datetime | None = None,
    status: str | None = None,
    decided_by: str = "",
    via: str = "",
    due: datetime | None = None,
    updated: datetime | None = None,
    name: str = "",
    answers: dict[str, Any] | None = None,
) -> Application:
    record = definition(service_id)
    return Application.create(
        user=user,
        definition=record,
        service_id=service_id,
        area=record.area,
        status=status or ("draft" if submitted is None else "submitted"),
        answers=answers or {},
        applicant_name=name,
        created_at=created,
        updated_at=updated or decided or submitted or created,
        submitted_at=submitted,
        decided_at=decided,
        decided_by=decided_by,
        submitted_via=via,
        due_at=due,
    )


def journey(token: str, steps: list[str], at: datetime, version: int = 1) -> None:
    for offset, step in enumerate(steps):
        moment = at + timedelta(minutes=offset)
        StepView.create(
            journey=token,
            service_id="waste_bins",
            version=version,
            step=step,
            at=moment,
            day=berlin_day(moment),
        )
