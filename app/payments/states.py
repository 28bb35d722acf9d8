"""Payment states: internal states, the public states they map to, and the transition table.

Modelled on GOV.UK Pay: a citizen and the services engine only ever see a few public
states, each with a ``finished`` flag and, for unsuccessful ends, a reason code.

=====================  ===========  ========  ======  =====================================
internal state         public       finished  reason  meaning
=====================  ===========  ========  ======  =====================================
created                created      no                record exists, provider not reached
redirected             started      no                citizen sent to the provider's page
approved               started      no                PayPal: approved, capture pending
awaiting_transfer      started      no                bank transfer instructions given
debit_scheduled        succeeded    yes               SEPA mandate given, debit scheduled
paid                   succeeded    yes               provider confirmed the payment
failed                 failed       yes       P0010   provider declined (card, account ...)
expired                failed       yes       P0020   citizen did not finish in time
error                  failed       yes       P0050   provider error or rejected request
cancelled              cancelled    yes       P0030   citizen cancelled (P0040: the portal)
refunded               refunded     yes               money given back after success
=====================  ===========  ========  ======  =====================================

Rules, enforced by :data:`TRANSITIONS` alone:

* A status seen twice is a no-op (same state: nothing is booked again).
* A finished payment never moves back to an unfinished state.
* A late success wins: failed, expired, error or cancelled may still become paid
  (the provider has the money; the citizen must get what they paid for).
* Success is final except for a refund.
"""

from __future__ import annotations

from dataclasses import dataclass

CREATED = "created"
REDIRECTED = "redirected"
APPROVED = "approved"
AWAITING_TRANSFER = "awaiting_transfer"
DEBIT_SCHEDULED = "debit_scheduled"
PAID = "paid"
FAILED = "failed"
EXPIRED = "expired"
ERROR = "error"
CANCELLED = "cancelled"
REFUNDED = "refunded"

INTERNAL_STATES = (
    CREATED,
    REDIRECTED,
    APPROVED,
    AWAITING_TRANSFER,
    DEBIT_SCHEDULED,
    PAID,
    FAILED,
    EXPIRED,
    ERROR,
    CANCELLED,
    REFUNDED,
)

PUBLIC_STATES = ("created", "started", "succeeded", "failed", "cancelled", "refunded")

PUBLIC = {
    CREATED: "created",
    REDIRECTED: "started",
    APPROVED: "started",
    AWAITING_TRANSFER: "started",
    DEBIT_SCHEDULED: "succeeded",
    PAID: "succeeded",
    FAILED: "failed",
    EXPIRED: "failed",
    ERROR: "failed",
    CANCELLED: "cancelled",
    REFUNDED: "refunded",
}

# Reason codes in the style of GOV.UK Pay.
REASON_DECLINED = "P0010"
REASON_EXPIRED = "P0020"
REASON_CANCELLED_BY_CITIZEN = "P0030"
REASON_CANCELLED_BY_PORTAL = "P0040"
REASON_ERROR = "P0050"
REASON_CODES = (
    REASON_DECLINED,
    REASON_EXPIRED,
    REASON_CANCELLED_BY_CITIZEN,
    REASON_CANCELLED_BY_PORTAL,
    REASON_ERROR,
)
DEFAULT_REASON = {
    FAILED: REASON_DECLINED,
    EXPIRED: REASON_EXPIRED,
    ERROR: REASON_ERROR,
    CANCELLED: REASON_CANCELLED_BY_CITIZEN,
}

_UNFINISHED_TARGETS = {
    REDIRECTED,
    APPROVED,
    AWAITING_TRANSFER,
    DEBIT_SCHEDULED,
    PAID,
    FAILED,
    EXPIRED,
    ERROR,
    CANCELLED,
}
_LATE_SUCCESS = {PAID}

# from-state -> the states it may move to. Anything else is ignored (and logged).
TRANSITIONS: dict[str, frozenset[str]] = {
    CREATED: frozenset(_UNFINISHED_TARGETS),
    REDIRECTED: frozenset(_UNFINISHED_TARGETS - {REDIRECTED, AWAITING_TRANSFER, DEBIT_SCHEDULED}),
    APPROVED: frozenset({PAID, FAILED, EXPIRED, ERROR, CANCELLED}),
    AWAITING_TRANSFER: frozenset({PAID, EXPIRED, CANCELLED}),
    DEBIT_SCHEDULED: frozenset({REFUNDED}),
    PAID: frozenset({REFUNDED}),
    FAILED: frozenset(_LATE_SUCCESS),
    EXPIRED: frozenset(_LATE_SUCCESS),
    ERROR: frozenset(_LATE_SUCCESS),
    CANCELLED: frozenset(_LATE_SUCCESS),
    REFUNDED: frozenset(),
}

# The event emitted when a payment enters a public state (exactly once per entry).
EVENTS = {
    "succeeded": "payment.succeeded",
    "failed": "payment.failed",
    "cancelled": "payment.cancelled",
    "refunded": "payment.refunded",
}


def public_state(state: str) -> str:
    """The public state of internal ``state``."""
    return PUBLIC[state]


def is_finished(state: str) -> bool:
    """True when nothing is expected to happen any more (late success aside)."""
    return PUBLIC[state] in ("succeeded", "failed", "cancelled", "refunded")


def is_success(state: str) -> bool:
    """True for the states in which the payable counts as paid."""
    return PUBLIC[state] == "succeeded"


def allowed(current: str, target: str) -> bool:
    """True when ``current`` may move to ``target`` (a repeat of ``current`` is not a move)."""
    return target in TRANSITIONS[current]


@dataclass(frozen=True)
class StatusReport:
    """What a provider says about a payment, translated to an internal target state.

    ``state`` None means: nothing new (e.g. still INITIAL). ``provider_status`` is the
    provider's own word (``PAYED``, ``COMPLETED`` ...), kept for the history.
    """

    state: str | None
    provider_status: str = ""
    reason_code: str = ""
    details: dict | None = None
