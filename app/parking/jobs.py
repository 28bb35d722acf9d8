"""What the parking module does on domain events, and its background jobs.

* ``application.status_changed`` to a positive decision (by the rules or by a clerk)
  of a service whose definition names the document generator ``permit``: the permit
  is issued right away, inside the approval's transaction (signing takes well under a
  millisecond), so an approval never exists without its pass. The definition's
  document ``permit`` (generator ``permit`` in ``printout``) then renders the PDF,
  puts it in the inbox and completes the application.
* ``account.retaining`` (account deletion): every active permit of the account is
  revoked, so its printed passes stop verifying; the permits stay on the closed record
  with the applications they were issued for.
* Daily: permits past their last valid day are marked ``expired``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from huey import crontab

from app import events
from app.accounts.privacy import exporter
from app.applications import definitions
from app.db import iso_utc
from app.models import Application, ApplicationEvent, ParkingPass, ParkingPermit, User
from app.parking import eligibility, permits, printout
from app.service_definitions import ServiceDefinition, plugins, workflow
from app.tasks import huey

log = logging.getLogger(__name__)
# Importing the module registers the check and rule set `resident_parking` and the
# document generator `permit` with the engine.
PLUGINS = (
    eligibility.ParkingSubmissionCheck,
    eligibility.ResidentParkingRule,
    printout.PermitGenerator,
)
PassNotVisibleYet = printout.PassNotVisibleYet


@huey.task(retries=5, retry_delay=3)
def deliver_pass(pass_id: int) -> None:
    """Render and deliver the print@home PDF of a pass (idempotent)."""
    if not ParkingPass.select().where(ParkingPass.id == pass_id).exists():
        # A worker can be faster than the transaction that issued the pass.
        raise PassNotVisibleYet(pass_id)
    printout.deliver(pass_id)


@huey.periodic_task(crontab(minute="5", hour="0"))
def expire_permits() -> None:
    """Mark permits past their last valid day as expired."""
    count = permits.expire_due()
    if count:
        log.info("%d parking permits expired", count)


def issues_permits(definition: ServiceDefinition) -> bool:
    """Whether the definition names the ``permit`` document: its service issues a
    parking permit on a positive decision."""
    return any(
        plugins.generator_name(document) == printout.PermitGenerator.name
        for document in definition.data["documents"]
    )


def _issue_on_approval(application: Application, event: ApplicationEvent) -> None:
    # Keyed on what the definition says (a positive decision, the permit document),
    # not on a service id or a status name.
    definition = definitions.of_application(application)
    if workflow.decision_of(definition, event.to_status) != "positive":
        return
    if not issues_permits(definition):
        return
    permits.issue_for_application(application)


def _revoke_and_retain_permits(user: User, keeper: Callable[[], User]) -> None:
    permits.revoke_all_of(user, "account_deleted")
    if ParkingPermit.select().where(ParkingPermit.user == user).exists():
        ParkingPermit.update(user=keeper()).where(ParkingPermit.user == user).execute()


def export_permits(user: User) -> list[dict]:
    """The citizen's permits with every pass issued for them."""
    result = []
    for permit in ParkingPermit.select().where(ParkingPermit.user == user):
        result.append(
            {
                "number": permit.number,
                "status": permit.status,
                "zone": permit.zone,
                "plates": list(permit.plates),
                "valid_from": permit.valid_from.isoformat(),
                "valid_to": permit.valid_to.isoformat(),
                "passes": [
                    {
                        "sequence": p.sequence,
                        "reason": p.reason,
                        "plates": list(p.plates),
                        "valid_from": p.valid_from.isoformat(),
                        "valid_to": p.valid_to.isoformat(),
                        "status": p.status,
                        "issued_at": iso_utc(p.issued_at),
                        "pass_text": p.pass_text,
                    }
                    for p in permit.passes.order_by(ParkingPass.sequence)
                ],
            }
        )
    return result


def register_builtin() -> None:
    """Issue permits on approval, revoke them with the account, export them.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    events.subscribe("application.status_changed")(_issue_on_approval)
    events.subscribe("account.retaining")(_revoke_and_retain_permits)
    exporter("parking_permits")(export_permits)
