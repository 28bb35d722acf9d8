"""The plugins the portal brings along, registered before any definition is loaded.

Definitions name checks, rule sets, document generators and hand-off backends;
loading refuses a name that is not registered (``service_definitions.plugins``,
``service_definitions.handoff_targets``). This is the list of the built-in ones, in
one place.
"""

from __future__ import annotations

from app.applications import decisions
from app.gewerbe import plugin as gewerbe
from app.gewerbe import xgewerbeanzeige
from app.handoff import backends as handoff_backends
from app.kita import plugin as kita
from app.parking import eligibility, printout
from app.registration_certificate import plugin as registration_certificate
from app.registry_information import plugin as registry_information
from app.registry_information import register as resident_register
from app.wohngeld import notice as housing_benefit_notice
from app.wohngeld import proposals as housing_benefit_proposals


def register_all() -> None:
    """Register every built-in check, rule set, document generator, decision proposal
    and hand-off backend.

    Calling it again changes nothing: a registry accepts the same plugin twice and
    refuses a different one under a name already taken.
    """
    # Generic document generators of the engine: notice, post, receipt.
    decisions.register_builtin()
    # Resident parking: check and rule set `resident_parking`, generator `permit`.
    eligibility.register_builtin()
    printout.register_builtin()
    # Registration certificate: rule set and generator `registration_certificate`.
    registration_certificate.register_builtin()
    # Simple registry information: rule set `registry_unique_match`, generator
    # `registry_information`, and the demo resident register.
    registry_information.register_builtin()
    resident_register.register_builtin()
    # Housing benefit: generator `housing_benefit_notice` (the Wohngeldbescheid) and the
    # decision proposal `housing_benefit_estimate` (amount and period for the clerk).
    housing_benefit_notice.register_builtin()
    housing_benefit_proposals.register_builtin()
    # Business services: generators `business_register_entry`, `_change`, `_closing`
    # and `business_information`, rule set `business_register_match`; the hand-off data
    # mapper `xgewerbeanzeige`.
    gewerbe.register_builtin()
    xgewerbeanzeige.register_builtin()
    # Hand-off backends (the composition root registers them earlier as well: they
    # declare settings the configuration reads).
    handoff_backends.register_builtin()
    # Day-care places: check `kita_facilities` (facility choices against the table) and
    # the option source `kita_facilities` (the active facilities as a form's choices).
    kita.register_builtin()
