"""Which message a citizen sees when the Online-Ausweis did not work.

The AusweisApp appends ``ResultMajor=error&ResultMinor=<name>`` to the RefreshAddress
(the part after ``#`` of an eCard-API ResultMinor URI, e.g. ``cancellationByUser``);
getResult carries the full URI. Either only chooses the wording: whether the citizen is
identified is decided by getResult alone.

Codes (also used in ``/anmelden/ausweis?fehler=<code>``):

* ``cancelled``: the citizen cancelled in the AusweisApp;
* ``card_blocked``: online function or PIN blocked/deactivated, card revoked or expired;
* ``wrong_pin``: the PIN was wrong (the card now wants the CAN or is blocked);
* ``server_error``: eID-Server or connection failed;
* ``failed``: anything else.
"""

from __future__ import annotations

ERROR_CODES = ("cancelled", "card_blocked", "wrong_pin", "server_error", "failed")

_BY_NAME = {
    "cancellationbyuser": "cancelled",
    "nopermission": "card_blocked",
    "passwordblocked": "card_blocked",
    "passworddeactivated": "card_blocked",
    "invaliddocument": "card_blocked",
    "documentvalidityverificationfailed": "card_blocked",
    "securityconditionnotsatisfied": "wrong_pin",
    "passwordsuspended": "wrong_pin",
    "invalidpin": "wrong_pin",
    "internalerror": "server_error",
    "servererror": "server_error",
    "communicationerror": "server_error",
    "trustedchannelestablishmentfailed": "server_error",
    "nodenotreachable": "server_error",
    "timeout": "server_error",
    "timeouterror": "server_error",
    "invalidsession": "server_error",
    "noresultyet": "failed",
}


def error_code(result_minor: str | None) -> str:
    """The message code for a ResultMinor (full URI or the AusweisApp's short name)."""
    name = (result_minor or "").strip().rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()
    return _BY_NAME.get(name, "failed")
