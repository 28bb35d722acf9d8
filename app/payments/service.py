"""Payment records: one import for the jobs split across small modules.

* :mod:`app.payments.starting` – start a payment (``start_payment``)
* :mod:`app.payments.transitions` – status reports, idempotent transitions, bookings
  and events (``apply_report``)
* :mod:`app.payments.polling` – the citizen's return, status requests, polling, expiry
* :mod:`app.payments.actions` – look up, cancel, book a received transfer
* :mod:`app.payments.mandates` – SEPA mandates
* :mod:`app.payments.paths` – checked return paths inside the portal
"""

from __future__ import annotations

from app.payments.actions import (
    cancel_by_citizen,
    get_for_user,
    list_for_user,
    mark_transfer_received,
)
from app.payments.mandates import give_sepa_mandate
from app.payments.paths import check_return_path, portal_path, pwa_return_target
from app.payments.polling import (
    expire_forgotten,
    handle_return,
    maybe_refresh,
    poll_candidates,
    poll_payments,
    refresh_payment,
)
from app.payments.starting import REUSE_MINUTES, StartResult, start_payment
from app.payments.transitions import apply_report
from app.payments.urls import return_url

__all__ = [
    "REUSE_MINUTES",
    "StartResult",
    "apply_report",
    "cancel_by_citizen",
    "check_return_path",
    "expire_forgotten",
    "get_for_user",
    "give_sepa_mandate",
    "handle_return",
    "list_for_user",
    "mark_transfer_received",
    "maybe_refresh",
    "poll_candidates",
    "poll_payments",
    "portal_path",
    "pwa_return_target",
    "refresh_payment",
    "return_url",
    "start_payment",
]
