"""The trade register (Gewerberegister) kept by the portal.

Where does a business registered through the portal end up? Here: a decided
registration (Gewerbe-Anmeldung) enters it, a decided change (Ummeldung) updates its
address or activity, a decided closing (Abmeldung) closes it. The simple register
information (§ 14 Abs. 5 GewO) searches it, together with the demo entries of
the city package's ``demo_business_register.yaml`` (invented businesses, marked
as such; ``BUSINESS_REGISTER_DEMO_FILE`` names another file, ``none`` switches them off).

Each change is one plain function over the cleaned answers of the application that
caused it; which one runs is the generator the definition names (``plugin.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from app.cities import active_city
from app.db import utcnow
from app.models import Application, BusinessRegisterEntry
from app.service_definitions.yaml_io import read_yaml
from app.tasks import config

ADDRESS_KEYS = ("street", "house_number", "postal_code", "city")


@dataclass(frozen=True)
class Business:
    """A business as an information may state it (§ 14 Abs. 5 Satz 1 GewO)."""

    number: str
    name: str
    trade_name: str
    address: dict[str, str]
    activity: str
    status: str
    demo: bool = False

    @property
    def display_name(self) -> str:
        """The name, with the trading name in brackets when there is one."""
        return f"{self.name} ({self.trade_name})" if self.trade_name else self.name

    @property
    def display_address(self) -> str:
        """The business address on one line."""
        a = self.address
        place = f"{a.get('postal_code', '')} {a.get('city', '')}".strip()
        return f"{a['street']} {a['house_number']}" + (f", {place}" if place else "")


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().replace("str.", "straße").split())


def business_name(answers: dict[str, Any]) -> str:
    """The name the register files a business under: the company's name, else the
    owner's (first person in charge)."""
    if answers.get("company_name"):
        return answers["company_name"]
    persons = answers.get("persons") or []
    if persons:
        first = persons[0]
        given, family = first.get("person_given_names", ""), first.get("person_family_name", "")
        return f"{given} {family}".strip()
    return answers.get("trade_name") or ""


def _from_entry(entry: BusinessRegisterEntry) -> Business:
    return Business(
        number=entry.number,
        name=entry.name,
        trade_name=entry.trade_name,
        address={key: getattr(entry, key) for key in ADDRESS_KEYS},
        activity=entry.activity,
        status=entry.status,
    )


def demo_businesses_from(path: Path) -> tuple[Business, ...]:
    """The businesses of a demo register file (read once per file)."""
    return _demo_businesses(path)


@cache
def _demo_businesses(path: Path) -> tuple[Business, ...]:
    data = read_yaml(path)
    return tuple(
        Business(
            number=item["number"],
            name=item["name"],
            trade_name=item.get("trade_name", ""),
            address={key: str(item["address"][key]) for key in ADDRESS_KEYS},
            activity=item["activity"],
            status=item.get("status", "active"),
            demo=True,
        )
        for item in data["businesses"]
    )


def demo_businesses() -> tuple[Business, ...]:
    """The demo entries (none when ``BUSINESS_REGISTER_DEMO_FILE`` is ``none``)."""
    setting = config().get("BUSINESS_REGISTER_DEMO_FILE") or os.environ.get(
        "BUSINESS_REGISTER_DEMO_FILE"
    )
    if setting == "none":
        return ()
    return _demo_businesses(
        Path(setting) if setting else active_city().file("demo", "business_register")
    )


def find(name: str, address: dict[str, str]) -> list[Business]:
    """Active businesses whose name (or trading name, or a part of the name given)
    and street and house number fit the request."""
    wanted = _norm(name)
    street, number = _norm(address.get("street")), _norm(address.get("house_number"))
    # Names, streets and numbers are compared loosely (case, spacing, "Str."), so only
    # the status narrows the search in the database.
    entries = BusinessRegisterEntry.select().where(BusinessRegisterEntry.status == "active")
    candidates = [*(_from_entry(e) for e in entries), *demo_businesses()]
    return [
        b
        for b in candidates
        if b.status == "active"
        and wanted
        and (wanted in _norm(b.name) or (b.trade_name and wanted in _norm(b.trade_name)))
        and _norm(b.address["street"]) == street
        and _norm(b.address["house_number"]) == number
    ]


def next_number(today: date) -> str:
    """The next entry number of the year: ``G-2026-00001``, ``G-2026-00002``, …"""
    prefix = f"G-{today.year}-"
    last = (
        BusinessRegisterEntry.select(BusinessRegisterEntry.number)
        .where(BusinessRegisterEntry.number.startswith(prefix))
        .order_by(BusinessRegisterEntry.number.desc())
        .first()
    )
    sequence = int(last.number[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _history(entry: BusinessRegisterEntry, kind: str, application: Application, **extra) -> None:
    entry.history = [
        *(entry.history or []),
        {"kind": kind, "reference": application.reference, "at": utcnow().date().isoformat()}
        | extra,
    ]
    entry.updated_at = utcnow()


def _address(entry: BusinessRegisterEntry, address: dict[str, str]) -> None:
    for key in ADDRESS_KEYS:
        setattr(entry, key, str(address.get(key) or ""))


def _persons(answers: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "family_name": p.get("person_family_name", ""),
            "given_names": p.get("person_given_names", ""),
            "role": p.get("person_role", ""),
        }
        for p in answers.get("persons") or []
    ]


def _branches(answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"address": b.get("branch_address") or {}, "activity": b.get("branch_activity") or ""}
        for b in answers.get("branches") or []
    ]


def _new_entry(application: Application, answers: dict[str, Any]) -> BusinessRegisterEntry:
    entry = BusinessRegisterEntry(
        number=next_number(utcnow().date()),
        name=business_name(answers),
        trade_name=answers.get("trade_name") or "",
        legal_form=answers.get("legal_form", ""),
        activity=answers.get("activity", ""),
        start_date=answers.get("start_date"),
        persons=_persons(answers),
        branches=_branches(answers),
        application_id=application.id,
        history=[],
    )
    _address(entry, answers.get("business_address") or {})
    return entry


def entry_of(answers: dict[str, Any]) -> BusinessRegisterEntry | None:
    """The register entry a change or closing is about: by its number when given,
    else the one active entry with the business's name at its address."""
    number = answers.get("business_entry_number")
    if number:
        found = BusinessRegisterEntry.get_or_none(BusinessRegisterEntry.number == number)
        if found is not None:
            return found
    address = answers.get("business_address") or {}
    matches = [
        e
        for e in BusinessRegisterEntry.select().where(BusinessRegisterEntry.status == "active")
        if _norm(e.name) == _norm(business_name(answers))
        and _norm(e.street) == _norm(address.get("street"))
        and _norm(e.house_number) == _norm(address.get("house_number"))
    ]
    return matches[0] if len(matches) == 1 else None


def record_registration(application: Application) -> BusinessRegisterEntry:
    """Enter the business of a decided registration (once per application)."""
    existing = BusinessRegisterEntry.get_or_none(
        BusinessRegisterEntry.application_id == application.id
    )
    if existing is not None:
        return existing
    entry = _new_entry(application, application.answers)
    _history(entry, "registration", application)
    entry.save()
    return entry


def record_change(application: Application) -> BusinessRegisterEntry:
    """Apply a decided change: the new address or the new activity, from its date.

    A business the portal has not registered (notified on paper before) gets its
    entry now, from the change's answers.
    """
    answers = application.answers
    entry = entry_of(answers) or _new_entry(application, answers)
    if any(h.get("reference") == application.reference for h in entry.history or []):
        return entry
    if answers.get("new_business_address"):
        _address(entry, answers["new_business_address"])
    if answers.get("new_activity"):
        entry.activity = answers["new_activity"]
    if "persons" in answers:
        entry.persons = _persons(answers)
    if "branches" in answers:
        entry.branches = _branches(answers)
    _history(entry, answers["change_kind"], application, date=answers.get("change_date"))
    entry.save()
    return entry


def record_closing(application: Application) -> BusinessRegisterEntry:
    """Close the entry of a decided closing, with its end date and reason."""
    answers = application.answers
    entry = entry_of(answers) or _new_entry(application, answers)
    if any(h.get("reference") == application.reference for h in entry.history or []):
        return entry
    if answers.get("closing_scope") == "branch":
        # Only a branch closes: the business itself stays in the register.
        _history(entry, "branch_closing", application, date=answers.get("end_date"))
        entry.save()
        return entry
    entry.status = "closed"
    entry.end_date = answers.get("end_date")
    entry.closing_reason = answers.get("closing_reason", "")
    _history(entry, "closing", application, date=answers.get("end_date"))
    entry.save()
    return entry
