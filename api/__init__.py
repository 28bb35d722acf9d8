"""The HTTP surface: one flask-smorest blueprint per resource, OpenAPI at /api/openapi.json."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from api import (
    catalogue_not_modified,
    compression,
    errors,
    input_guard,
    limits,
    security,
    security_headers,
)
from api.schemas import MAX_ID, ErrorSchema


class IdConverter(IntegerConverter):
    """``<int:...>`` in URLs: positive and within the database's integer range, so a
    number too large for a column is an unknown address (404), not a database error."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        # Not a ValidationError: werkzeug would then try the other methods' rules and
        # answer 405 for some of them.
        number = int(value)
        if not self.min <= number <= self.max:
            raise NotFound()
        return number


class PortalApi(Api):
    """flask-smorest's Api with the portal's own error format."""

    # Documents the body ``api.errors`` really sends for every error status.
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)


def init_api(app: Flask) -> PortalApi:
    """Register security hooks, rate limits, error handlers and every blueprint."""
    from api import (
        account,
        admin_campaigns,
        admin_overview,
        admin_retention,
        admin_services,
        admin_users,
        applications,
        appointments,
        audit_log,
        auth,
        bundid,
        city,
        dev_outbox,
        docs,
        eid,
        feedback,
        handoff,
        handoff_inbound,
        handoff_schema,
        health,
        inbox,
        kiosk,
        kita,
        metrics,
        notices,
        open311,
        page_docs,
        parking,
        passes,
        passkeys,
        payment_sandbox,
        payments,
        push,
        refund_exports,
        reports,
        services,
        staff_applications,
        staff_appointments,
        staff_bulk,
        staff_reports,
        statistics,
        surveys,
        web,
        wohngeld,
    )

    app.config.update(
        API_TITLE="Bürgerportal API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
    )
    app.url_map.converters["int"] = IdConverter  # before any route is added
    # First: response hooks run in reverse order, so compression sees the final response.
    compression.register(app)
    security.register(app)
    input_guard.register(app)
    limits.init(app)
    api = PortalApi(app)
    api.spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]}
    )
    errors.register(app)
    for blueprint in (
        health,
        city,
        auth,
        account,
        passkeys,
        services,
        applications,
        inbox,
        staff_applications,
        admin_overview,
        admin_retention,
        admin_services,
        admin_users,
        admin_campaigns,
        audit_log,
        feedback,
        push,
        staff_bulk,
        surveys,
        handoff,
    ):
        api.register_blueprint(blueprint.blp)
    # Statistics: the dashboard's API, and counter cases recorded from the queue.
    api.register_blueprint(statistics.blp)
    api.register_blueprint(statistics.staff_blp)
    # Day-care places: parents, allocation, the facilities console.
    api.register_blueprint(kita.blp)
    api.register_blueprint(kita.staff_blp)
    api.register_blueprint(kita.admin_blp)
    # Appointments at the Bürgerbüro: citizens, and the counter staff's day plans.
    api.register_blueprint(appointments.blp)
    api.register_blueprint(staff_appointments.blp)
    api.register_blueprint(staff_appointments.admin_blp)
    # Defect reports: citizens and the public, the departments' clerks, admins, and
    # Open311 GeoReport v2 for apps.
    api.register_blueprint(reports.blp)
    api.register_blueprint(reports.admin_blp)
    api.register_blueprint(staff_reports.blp)
    api.register_blueprint(open311.blp)
    # The Bürgerbüro terminal: its setup and status, and the console's list.
    api.register_blueprint(kiosk.blp)
    api.register_blueprint(kiosk.admin_blp)
    eid.register(app, api)
    # BundID (federal citizen account) over SAML, and its test-mode identity provider.
    bundid.register(app, api)
    # Resident parking (wallet, officers, zone admin) and the public pass key set and
    # revocation list for scanners.
    parking.register(api)
    api.register_blueprint(passes.blp)
    # Housing benefit: the public, non-binding estimate.
    api.register_blueprint(wohngeld.blp)
    # Payments: citizen and treasury endpoints, open notices, the sandbox provider.
    for payment_blueprint in (
        payments.blp,
        payments.staff_blp,
        notices.blp,
        notices.staff_blp,
        refund_exports.blp,
    ):
        api.register_blueprint(payment_blueprint)
    if app.config["PAYMENT_SANDBOX"]:
        app.register_blueprint(payment_sandbox.blp)
    # Hand-off to specialist systems: their reports, and the document they receive.
    api.register_blueprint(handoff_inbound.blp)
    handoff_schema.register(api)
    app.register_blueprint(docs.blp)
    # Prometheus text for the monitoring (token or loopback only).
    app.register_blueprint(metrics.blp)
    if app.config["PORTAL_ENV"] != "production":
        app.register_blueprint(dev_outbox.blp)
    # Last: its catch-all route must not shadow anything above.
    app.register_blueprint(web.blp)
    page_docs.document(app, api)
    # The catalogue's conditional GET is answered before Flask when it can be.
    catalogue_not_modified.install(app)
    # Around that: answers given before Flask carry the security headers too.
    security_headers.install(app)
    return api
