"""The event log of a FIT-Connect case: Security Event Tokens (RFC 8417), checked.

Each entry is a JWS (``typ`` ``secevent+jwt``, ``alg`` ``PS512``, ``kid``) whose payload
names the submission (``sub`` ``submission:<id>``), the case (``txn`` ``case:<id>``),
its issuer, a unique ``jti``, ``iat`` and exactly one event URI under ``events``. An
entry whose signature or claims do not check out is not believed (and logged); it can
neither accept nor reject a delivery.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from app.handoff.fit_connect.keys import SIGNATURE_ALG, KeyRefused

log = logging.getLogger(__name__)

EVENT_BASE = "https://schema.fitko.de/fit-connect/events/"
CREATE = EVENT_BASE + "create-submission"
SUBMIT = EVENT_BASE + "submit-submission"
NOTIFY = EVENT_BASE + "notify-submission"
FORWARD = EVENT_BASE + "forward-submission"
ACCEPT = EVENT_BASE + "accept-submission"
REJECT = EVENT_BASE + "reject-submission"
DELETE = EVENT_BASE + "delete-submission"
# An event may be issued at most this far in the future (clock skew).
MAX_SKEW_SECONDS = 300


class EventInvalid(Exception):
    """A log entry that is not believed; the message names the failed check."""


@dataclass(frozen=True)
class Event:
    """One checked event of the log."""

    uri: str
    issuer: str
    issued_at: int
    jti: str
    submission_id: str
    case_id: str
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The event's short name (``accept-submission``)."""
        return self.uri.removeprefix(EVENT_BASE)


KeyLookup = Callable[[str, str], jwk.JWK]  # (issuer, kid) -> key


def check(token: str, key_for: KeyLookup, *, case_id: str, now: float | None = None) -> Event:
    """The event in ``token`` after its signature (key from ``key_for(issuer, kid)``)
    and claims are checked; :class:`EventInvalid` otherwise."""
    signed = jws.JWS()
    signed.allowed_algs = [SIGNATURE_ALG]
    try:
        signed.deserialize(token)
    except (JWException, ValueError) as exc:
        raise EventInvalid("not a JWS in compact serialisation") from exc
    header = signed.jose_header
    if not isinstance(header, dict):
        raise EventInvalid("more than one signature")
    if header.get("typ") != "secevent+jwt":
        raise EventInvalid("typ is not secevent+jwt")
    if header.get("alg") != SIGNATURE_ALG:
        raise EventInvalid(f"alg is not {SIGNATURE_ALG}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise EventInvalid("no kid")
    # The issuer decides which key set to ask, so it is read before the signature is
    # checked; it is believed only once the signature checks out with that key.
    unverified = _claims(signed.objects.get("payload", b""))
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise EventInvalid("no iss")
    try:
        key = key_for(issuer, kid)
    except KeyRefused as exc:
        raise EventInvalid(f"its key is refused: {exc}") from exc
    try:
        signed.verify(key, alg=SIGNATURE_ALG)
    except (JWException, ValueError) as exc:
        raise EventInvalid("the signature does not check out") from exc
    claims = _claims(signed.payload)
    return _event(claims, case_id=case_id, now=time.time() if now is None else now)


def _claims(raw: bytes | str) -> dict[str, Any]:
    try:
        claims = json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise EventInvalid("the payload is not JSON") from exc
    if not isinstance(claims, dict):
        raise EventInvalid("the payload is not an object")
    return claims


def _event(claims: dict[str, Any], *, case_id: str, now: float) -> Event:
    for name in ("iss", "jti", "sub", "txn"):
        if not isinstance(claims.get(name), str) or not claims[name]:
            raise EventInvalid(f"no {name}")
    issued_at = claims.get("iat")
    if not isinstance(issued_at, int) or isinstance(issued_at, bool):
        raise EventInvalid("no iat")
    if issued_at > now + MAX_SKEW_SECONDS:
        raise EventInvalid("iat is in the future")
    if claims["txn"] != f"case:{case_id}":
        raise EventInvalid("txn is not this case")
    if not claims["sub"].startswith("submission:"):
        raise EventInvalid("sub is not a submission")
    events = claims.get("events")
    if not isinstance(events, dict) or len(events) != 1:
        raise EventInvalid("events does not hold exactly one event")
    ((uri, payload),) = events.items()
    if not isinstance(payload, dict):
        raise EventInvalid("the event's payload is not an object")
    return Event(
        uri=uri,
        issuer=claims["iss"],
        issued_at=issued_at,
        jti=claims["jti"],
        submission_id=claims["sub"].removeprefix("submission:"),
        case_id=case_id,
        payload=payload,
    )


def checked(tokens: Iterable[str], key_for: KeyLookup, *, case_id: str) -> list[Event]:
    """The entries of a log that check out, in order; the others are logged and left."""
    found = []
    seen: set[str] = set()
    for token in tokens:
        try:
            event = check(token, key_for, case_id=case_id)
        except EventInvalid as exc:
            log.warning("FIT-Connect event of a case not believed: %s", exc)
            continue
        if event.jti in seen:
            continue
        seen.add(event.jti)
        found.append(event)
    return found


def problems(event: Event) -> tuple[str, ...]:
    """A reject event's problems as clerks read them (title, detail where given)."""
    found = []
    for problem in event.payload.get("problems") or []:
        if not isinstance(problem, dict):
            continue
        title = str(problem.get("title") or problem.get("type") or "").strip()
        detail = str(problem.get("detail") or "").strip()
        text = f"{title}: {detail}" if title and detail else title or detail
        if text:
            found.append(text[:500])
    return tuple(found) or ("Die Einreichung wurde ohne Angabe von Gründen zurückgewiesen.",)
