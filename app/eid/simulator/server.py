"""The simulated eID-Server: TR-03130 useID/getResult plus the card-reading step.

A real eID-Server runs the card protocol with the AusweisApp (PAOS over TLS-PSK) in
between useID and getResult. The simulator replaces that step with
:meth:`SimulatedEidServer.authenticate`, which the simulated AusweisApp page calls with
the session's pre-shared key from the TCToken: as with TLS-PSK, only whoever holds the
TCToken can complete the session.

Sessions live as small JSON files in the instance folder, so several server processes
(gunicorn workers) see the same state. A session is deleted once its result was fetched.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.eid import messages
from app.eid.messages import (
    GetResultRequest,
    GetResultResponse,
    PersonalData,
    Psk,
    Result,
    UseIdRequest,
    UseIdResponse,
)
from app.eid.simulator.identities import by_key

SESSION_MAX_AGE_SECONDS = 1800
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")

#: Test outcomes offered on the simulated AusweisApp page, with the ResultMinor they cause.
OUTCOMES: dict[str, str] = {
    "ok": "",
    "cancelled": messages.MINOR_CANCELLED,
    "wrong_pin": messages.MINOR_WRONG_PIN,
    "card_blocked": messages.MINOR_NO_PERMISSION,
    "server_error": messages.MINOR_INTERNAL_ERROR,
}

# Which PersonalData attribute an operation releases.
_FIELDS = {
    "DocumentType": "document_type",
    "IssuingState": "issuing_state",
    "DateOfExpiry": "date_of_expiry",
    "GivenNames": "given_names",
    "FamilyNames": "family_names",
    "ArtisticName": "artistic_name",
    "AcademicTitle": "academic_title",
    "DateOfBirth": "date_of_birth",
    "PlaceOfBirth": "place_of_birth",
    "Nationality": "nationality",
    "BirthName": "birth_name",
    "PlaceOfResidence": "place_of_residence",
    "RestrictedID": "restricted_id",
}


class SimulatorError(ValueError):
    """The simulated client asked for something the session does not allow."""


class SimulatedEidServer:
    """An eID-Server for tests, holding the identities of ``identities.IDENTITIES``."""

    def __init__(self, folder: Path, provider_id: str, server_address: str) -> None:
        self.folder = folder
        self.provider_id = provider_id
        self.server_address = server_address

    # --- storage --------------------------------------------------------------------

    def _path(self, session_id: str) -> Path:
        if not _SESSION_ID.match(session_id or ""):
            raise SimulatorError("unknown session")
        return self.folder / f"{session_id}.json"

    def _load(self, session_id: str) -> dict[str, Any] | None:
        try:
            path = self._path(session_id)
            data = json.loads(path.read_text(encoding="utf-8"))
        except (SimulatorError, OSError, ValueError):
            return None
        if (
            not isinstance(data, dict)
            or time.time() - data.get("created", 0) > SESSION_MAX_AGE_SECONDS
        ):
            path.unlink(missing_ok=True)
            return None
        return data

    def _save(self, session_id: str, data: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(session_id)
        temporary = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)

    def _prune(self) -> None:
        cutoff = time.time() - SESSION_MAX_AGE_SECONDS
        for path in self.folder.glob("*.json") if self.folder.exists() else ():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
            except OSError:
                continue

    # --- SOAP -----------------------------------------------------------------------

    def handle(self, body: bytes) -> tuple[int, bytes]:
        """Answer one SOAP request: (HTTP status, SOAP envelope)."""
        try:
            name, _content = messages.operation(body)
            if name == "useIDRequest":
                answer = self.use_id(messages.parse_use_id_request(body))
                return 200, messages.build_use_id_response(answer)
            if name == "getResultRequest":
                result = self.get_result(messages.parse_get_result_request(body))
                return 200, messages.build_get_result_response(result)
            return 500, messages.build_fault("Client", f"unknown operation {name}")
        except (messages.MessageError, messages.SoapFault) as exc:
            return 500, messages.build_fault("Client", str(exc))

    def use_id(self, request: UseIdRequest) -> UseIdResponse:
        """Open a session; the PSK identity is the session id, as usual for eID-Servers."""
        wanted = {k: v for k, v in request.operations.items() if v in ("REQUIRED", "ALLOWED")}
        if not wanted:
            return UseIdResponse(Result.error(messages.MINOR_MISSING_ARGUMENT, "UseOperations"))
        self._prune()
        session_id, key = secrets.token_hex(16), secrets.token_hex(32)
        self._save(
            session_id,
            {
                "created": time.time(),
                "operations": wanted,
                "psk": key,
                "counter": 0,
                "state": "open",
            },
        )
        return UseIdResponse(
            Result.success(), session_id, self.server_address, Psk(session_id, key)
        )

    def get_result(self, request: GetResultRequest) -> GetResultResponse:
        session = self._load(request.session_id)
        if session is None:
            return GetResultResponse(Result.error(messages.MINOR_INVALID_SESSION))
        # The counter must grow with every call, so a recorded request cannot be replayed.
        if request.counter <= session["counter"]:
            return GetResultResponse(Result.error(messages.MINOR_INVALID_COUNTER))
        session["counter"] = request.counter
        if session["state"] != "finished":
            self._save(request.session_id, session)
            return GetResultResponse(Result.error(messages.MINOR_NO_RESULT_YET))
        self._path(request.session_id).unlink(missing_ok=True)
        minor = OUTCOMES.get(session["outcome"], messages.MINOR_INTERNAL_ERROR)
        if minor:
            return GetResultResponse(Result.error(minor))
        data, allowed = self.release(session["identity"], session["operations"])
        return GetResultResponse(Result.success(), data, allowed)

    # --- the card-reading step of the simulated AusweisApp --------------------------

    def pseudonym(self, card_key: str) -> str:
        """The card's RestrictedID for this service provider (stable, 32 bytes hex)."""
        return hmac.new(self.provider_id.encode(), card_key.encode(), hashlib.sha256).hexdigest()

    def release(
        self, identity_key: str, operations: dict[str, str]
    ) -> tuple[PersonalData, dict[str, str]]:
        """The identity's data limited to the requested operations, and what was released."""
        identity = by_key(identity_key)
        if identity is None:
            raise KeyError(identity_key)
        full = replace(identity.data, restricted_id=self.pseudonym(identity.card_key))
        released: dict[str, Any] = {}
        allowed: dict[str, str] = {}
        for operation, attribute in _FIELDS.items():
            if operation not in operations:
                continue
            value = getattr(full, attribute)
            released[attribute] = value
            allowed[operation] = "ALLOWED" if value else "NOTONCHIP"
        return PersonalData(**released), allowed

    def client_session(self, session_id: str, psk: str) -> dict[str, Any]:
        """The open session a simulated client holds the TCToken of (checked by its PSK)."""
        session = self._load(session_id)
        if session is None or not hmac.compare_digest(session["psk"], psk or ""):
            raise SimulatorError("unknown session")
        return session

    def remember_client(
        self, session_id: str, psk: str, refresh_address: str, communication_error_address: str
    ) -> dict[str, Any]:
        """Keep where the simulated client sends the browser afterwards (from the TCToken)."""
        session = self.client_session(session_id, psk)
        if session["state"] != "open":
            raise SimulatorError("session already used")
        session["refresh_address"] = refresh_address
        session["communication_error_address"] = communication_error_address
        self._save(session_id, session)
        return session

    def authenticate(self, session_id: str, psk: str, identity_key: str, outcome: str) -> str:
        """Finish the card step with ``identity_key`` and ``outcome``; return the redirect.

        The redirect is the RefreshAddress with ``ResultMajor=ok`` or
        ``ResultMajor=error&ResultMinor=<name>``, as the AusweisApp builds it.
        """
        session = self.client_session(session_id, psk)
        if session["state"] != "open" or "refresh_address" not in session:
            raise SimulatorError("session already used")
        if outcome not in OUTCOMES or (outcome == "ok" and by_key(identity_key) is None):
            raise SimulatorError("unknown identity or outcome")
        session.update(state="finished", identity=identity_key, outcome=outcome)
        self._save(session_id, session)
        minor = OUTCOMES[outcome]
        address = session["refresh_address"]
        separator = "&" if "?" in address else "?"
        if not minor:
            return f"{address}{separator}ResultMajor=ok"
        return f"{address}{separator}ResultMajor=error&ResultMinor={minor.rsplit('#', 1)[-1]}"
