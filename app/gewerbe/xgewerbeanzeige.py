"""The trade notification as a data set shaped after XGewerbeanzeige 2.2.

XGewerbeanzeige is the XÖV standard by which trade offices pass notifications on (an
XML message ``gewerbemeldung`` with one ``satz`` per notification: ``anmeldung``,
``ummeldung`` or ``abmeldung``). The portal hands off JSON, so this mapper keeps the
standard's element names and nesting where the public example messages show them
(the KoSIT validator configuration's test case for version 2.2) and says where it
cannot: values from the standard's code lists that the portal does not know are given
as the portal's own value under ``portalWert`` (docs/gewerbe.md lists them).

A definition names the mapper under ``plugin_options.xgewerbeanzeige`` with ``kind``
(``anmeldung``, ``ummeldung``, ``abmeldung``); the hand-off document carries the result
under ``service_data.xgewerbeanzeige``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.db import iso_utc
from app.gewerbe import register
from app.models import Application, BusinessRegisterEntry
from app.service_definitions import plugins

STANDARD = "XGewerbeanzeige"
VERSION = "2.2"
KINDS = ("anmeldung", "ummeldung", "abmeldung")

# betriebArt: one 0/1 flag per kind, as in the standard's example.
_KIND_FLAGS = {
    "industry": "industrie",
    "craft": "handwerk",
    "trade": "handel",
    "other": "sonstiges",
}
# niederlassungArt: "1" (main establishment) is confirmed by the public example; the
# others are the portal's values until the code list is at hand.
_ESTABLISHMENT = {"main": {"code": "1"}}
# eintragungArt: "A" for the commercial register's part A, as in the example (HRA).
_REGISTER_PART = {"HRA": "A", "HRB": "B"}


def _anschrift(address: dict[str, Any] | None) -> dict[str, str] | None:
    if not address:
        return None
    return {
        "strasse": address.get("street", ""),
        "hausNrVon": address.get("house_number", ""),
        "plz": address.get("postal_code", ""),
        "ort": address.get("city", ""),
    }


def _birth_date(iso: str | None) -> str:
    # The standard writes dates of birth as DDMMYYYY (example: 12101965).
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}{month}{year}"


def _betrieb(answers: dict[str, Any]) -> dict[str, Any]:
    number = (answers.get("register_number") or "").replace(" ", "")
    part = _REGISTER_PART.get(number[:3], "")
    return {
        "eingetragenerName": register.business_name(answers),
        "eintragungNr": number[3:] if part else number,
        "eintragungArt": {"code": part} if part else None,
        "eintragungOrt": answers.get("register_court") or "",
        "rechtsform": {"portalWert": answers.get("legal_form", "")},
    }


def _gewerbe(answers: dict[str, Any]) -> dict[str, Any]:
    kind = answers.get("activity_kind")
    gewerbe: dict[str, Any] = {
        "betrieb": _betrieb(answers),
        "geschaeftsbezeichnung": answers.get("trade_name") or "",
        "betriebArt": {
            flag: {"code": "1" if key == kind else "0"} for key, flag in _KIND_FLAGS.items()
        }
        if kind
        else None,
        "niederlassungArt": _ESTABLISHMENT.get(
            answers.get("establishment_type", ""),
            {"portalWert": answers.get("establishment_type", "")},
        ),
        "anschrift": _anschrift(answers.get("business_address")),
        "beteiligtePerson": [
            {
                "personFunktion": {"portalWert": person.get("person_role", "")},
                "familienname": person.get("person_family_name", ""),
                "vorname": person.get("person_given_names", ""),
                "geburtsdatum": _birth_date(person.get("person_birth_date")),
            }
            for person in answers.get("persons") or []
        ],
        # Branches: the paper forms ask for them; where XGewerbeanzeige puts them could
        # not be established from public sources, so the portal's own name is used.
        "zweigniederlassungenPortal": [
            {
                "anschrift": _anschrift(branch.get("branch_address")),
                "taetigkeit": branch.get("branch_activity") or "",
            }
            for branch in answers.get("branches") or []
        ],
    }
    for key, name in (
        ("employees_full_time", "anzahlVollzeitBeschaeftigte"),
        ("employees_part_time", "anzahlTeilzeitBeschaeftigte"),
        ("employees_full_time_end", "anzahlVollzeitBeschaeftigte"),
        ("employees_part_time_end", "anzahlTeilzeitBeschaeftigte"),
    ):
        if answers.get(key) is not None:
            gewerbe[name] = answers[key]
    return gewerbe


def _entry_number(application: Application, answers: dict[str, Any]) -> str | None:
    entry = BusinessRegisterEntry.get_or_none(
        BusinessRegisterEntry.application_id == application.id
    ) or register.entry_of(answers)
    return entry.number if entry else answers.get("business_entry_number")


def satz(application: Application, kind: str) -> dict[str, Any]:
    """One notification (``satz``) of the given kind, from the application's answers."""
    answers = application.answers or {}
    record: dict[str, Any] = {
        "satzErstellung": iso_utc(application.submitted_at) if application.submitted_at else None,
        "istKorrektur": {"code": "0"},
        "gemeindeMeldungNr": application.reference,
        "gewerbebetriebID": _entry_number(application, answers),
        "uuid": application.id,
        "gewerbe": _gewerbe(answers),
        "datumMeldung": application.submitted_at.date().isoformat()
        if application.submitted_at
        else None,
        "taetigkeitenGesamt": {
            "schwerpunkt": {"taetigkeitSchwerpunkt": answers.get("activity", "")}
        },
    }
    if kind == "anmeldung":
        record["gueltigAb"] = answers.get("start_date")
        record["grundAnmeldung"] = {"portalWert": answers.get("registration_reason", "")}
        if answers.get("previous_owner"):
            record["vorherigerInhaberPortal"] = answers["previous_owner"]
    elif kind == "ummeldung":
        record["gueltigAb"] = answers.get("change_date")
        record["grundUmmeldung"] = {"portalWert": answers.get("change_kind", "")}
        if answers.get("new_business_address"):
            record["gewerbe"]["anschrift"] = _anschrift(answers["new_business_address"])
            record["gewerbe"]["anschriftBisher"] = _anschrift(answers.get("business_address"))
        if answers.get("new_activity"):
            record["taetigkeitenGesamt"] = {
                "schwerpunkt": {"taetigkeitSchwerpunkt": answers["new_activity"]}
            }
            record["taetigkeitBisher"] = answers.get("activity", "")
    else:
        record["gueltigAb"] = answers.get("end_date")
        record["grundAbmeldung"] = {"portalWert": answers.get("closing_reason", "")}
        record["umfangAbmeldungPortal"] = answers.get("closing_scope", "")
        for key, name in (
            ("closure_cause", "ursacheAufgabePortal"),
            ("new_owner", "neuerInhaberPortal"),
            ("new_municipality", "neueGemeindePortal"),
        ):
            if answers.get(key):
                record[name] = answers[key]
    return record


class XGewerbeanzeigeData:
    """Hand-off data mapper ``xgewerbeanzeige``."""

    name: ClassVar[str] = ""

    def option_problems(self, options: dict[str, Any]) -> list[str]:
        """What is wrong with the definition's options (checked when it is loaded)."""
        if options.get("kind") not in KINDS:
            return [f"kind must be one of {list(KINDS)}, not {options.get('kind')!r}"]
        return []

    def build(
        self, application: Application, definition: Any, options: dict[str, Any]
    ) -> dict[str, Any]:
        """The notification shaped after XGewerbeanzeige, for ``service_data``."""
        kind = options["kind"]  # checked when the definition was loaded
        return {
            "standard": STANDARD,
            "version": VERSION,
            "nachrichtentyp": "gewerbemeldung",
            "satz": {kind: satz(application, kind)},
        }


def register_builtin() -> None:
    """Register the hand-off data mapper ``xgewerbeanzeige``.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    plugins.handoff_data.register("xgewerbeanzeige")(XGewerbeanzeigeData)
