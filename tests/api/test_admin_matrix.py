"""Every console endpoint (``/api/admin/…``) is for admins only: staff, officers and
citizens are refused, anonymous callers asked to sign in.

The routes are read from the app's URL map, so a new admin endpoint without an entry
here fails ``test_every_admin_route_is_covered``.
"""

from __future__ import annotations

import pytest

# How to call each route: a path with made-up ids and a body. An admin may get 404 or
# 422 for those; what matters is that nobody else gets past the role check.
CALLS: dict[tuple[str, str], tuple[str, dict | None]] = {
    ("GET", "/api/admin/overview"): ("/api/admin/overview", None),
    ("GET", "/api/admin/retention"): ("/api/admin/retention", None),
    ("GET", "/api/admin/audit"): ("/api/admin/audit", None),
    ("GET", "/api/admin/audit/actions"): ("/api/admin/audit/actions", None),
    ("GET", "/api/admin/broadcasts"): ("/api/admin/broadcasts", None),
    ("POST", "/api/admin/broadcasts"): ("/api/admin/broadcasts", {}),
    ("GET", "/api/admin/feedback"): ("/api/admin/feedback", None),
    ("POST", "/api/admin/surveys"): ("/api/admin/surveys", {}),
    ("POST", "/api/admin/feedback/<int:feedback_id>/handled"): (
        "/api/admin/feedback/999/handled",
        None,
    ),
    ("GET", "/api/admin/feedback/<int:feedback_id>"): ("/api/admin/feedback/999", None),
    ("POST", "/api/admin/feedback/<int:feedback_id>/replies"): (
        "/api/admin/feedback/999/replies",
        {},
    ),
    ("POST", "/api/admin/feedback/<int:feedback_id>/close"): (
        "/api/admin/feedback/999/close",
        None,
    ),
    ("POST", "/api/admin/feedback/<int:feedback_id>/reopen"): (
        "/api/admin/feedback/999/reopen",
        None,
    ),
    ("GET", "/api/admin/parking/streets"): ("/api/admin/parking/streets", None),
    ("POST", "/api/admin/parking/streets"): ("/api/admin/parking/streets", {}),
    ("PUT", "/api/admin/parking/streets/<int:range_id>"): ("/api/admin/parking/streets/999", {}),
    ("DELETE", "/api/admin/parking/streets/<int:range_id>"): (
        "/api/admin/parking/streets/999",
        None,
    ),
    ("GET", "/api/admin/parking/zones"): ("/api/admin/parking/zones", None),
    ("POST", "/api/admin/parking/zones"): ("/api/admin/parking/zones", {}),
    ("PATCH", "/api/admin/parking/zones/<string:code>"): ("/api/admin/parking/zones/ZZ", {}),
    ("DELETE", "/api/admin/parking/zones/<string:code>"): ("/api/admin/parking/zones/ZZ", None),
    ("GET", "/api/admin/services"): ("/api/admin/services", None),
    ("POST", "/api/admin/services"): ("/api/admin/services", {}),
    ("GET", "/api/admin/services/schema"): ("/api/admin/services/schema", None),
    ("PUT", "/api/admin/services/<string:service_id>/versions/<int:number>"): (
        "/api/admin/services/nix/versions/1",
        {},
    ),
    ("POST", "/api/admin/services/<string:service_id>/versions/<int:number>/publish"): (
        "/api/admin/services/nix/versions/1/publish",
        None,
    ),
    ("POST", "/api/admin/services/<string:service_id>/versions/<int:number>/retire"): (
        "/api/admin/services/nix/versions/1/retire",
        None,
    ),
    ("GET", "/api/admin/services/overview"): ("/api/admin/services/overview", None),
    ("GET", "/api/admin/services/<string:service_id>/versions"): (
        "/api/admin/services/nix/versions",
        None,
    ),
    ("POST", "/api/admin/services/new"): ("/api/admin/services/new", {}),
    ("POST", "/api/admin/services/import"): ("/api/admin/services/import", {}),
    ("POST", "/api/admin/services/<string:service_id>/versions/<int:number>/duplicate"): (
        "/api/admin/services/nix/versions/1/duplicate",
        {},
    ),
    ("POST", "/api/admin/services/<string:service_id>/drafts"): (
        "/api/admin/services/nix/drafts",
        None,
    ),
    ("GET", "/api/admin/services/<string:service_id>/versions/<int:number>/export"): (
        "/api/admin/services/nix/versions/1/export",
        None,
    ),
    ("GET", "/api/admin/services/<string:service_id>/diff"): (
        "/api/admin/services/nix/diff?old=1&new=2",
        None,
    ),
    ("GET", "/api/admin/services/<string:service_id>/versions/<int:number>/editor"): (
        "/api/admin/services/nix/versions/1/editor",
        None,
    ),
    ("PUT", "/api/admin/services/<string:service_id>/versions/<int:number>/editor"): (
        "/api/admin/services/nix/versions/1/editor",
        {},
    ),
    ("POST", "/api/admin/services/check"): ("/api/admin/services/check", {}),
    ("GET", "/api/admin/services/parts"): ("/api/admin/services/parts", None),
    ("GET", "/api/admin/streets"): ("/api/admin/streets", None),
    ("POST", "/api/admin/streets/import"): ("/api/admin/streets/import", {}),
    ("POST", "/api/admin/streets/import/preview"): ("/api/admin/streets/import/preview", {}),
    ("GET", "/api/admin/users"): ("/api/admin/users", None),
    ("PUT", "/api/admin/users/<int:user_id>/role"): ("/api/admin/users/999999/role", {}),
    ("GET", "/api/admin/users/areas"): ("/api/admin/users/areas", None),
    ("POST", "/api/admin/users/invitations"): ("/api/admin/users/invitations", {}),
    ("GET", "/api/admin/users/<int:user_id>"): ("/api/admin/users/999999", None),
    ("POST", "/api/admin/users/<int:user_id>/deactivate"): (
        "/api/admin/users/999999/deactivate",
        None,
    ),
    ("POST", "/api/admin/users/<int:user_id>/reactivate"): (
        "/api/admin/users/999999/reactivate",
        None,
    ),
    ("GET", "/api/admin/users/<int:user_id>/sessions"): ("/api/admin/users/999999/sessions", None),
    ("DELETE", "/api/admin/users/<int:user_id>/sessions/<string:session_id>"): (
        "/api/admin/users/999999/sessions/0123456789abcdef",
        None,
    ),
    ("GET", "/api/admin/users/<int:user_id>/passkeys"): ("/api/admin/users/999999/passkeys", None),
    ("GET", "/api/admin/kita/facilities"): ("/api/admin/kita/facilities", None),
    ("POST", "/api/admin/kita/facilities"): ("/api/admin/kita/facilities", {}),
    ("GET", "/api/admin/kita/facilities/<int:facility_id>"): (
        "/api/admin/kita/facilities/999",
        None,
    ),
    ("PUT", "/api/admin/kita/facilities/<int:facility_id>"): ("/api/admin/kita/facilities/999", {}),
    ("GET", "/api/admin/kita/staff/<int:user_id>"): ("/api/admin/kita/staff/999999", None),
    ("PUT", "/api/admin/kita/staff/<int:user_id>"): ("/api/admin/kita/staff/999999", {}),
    ("GET", "/api/admin/appointments/configuration"): (
        "/api/admin/appointments/configuration",
        None,
    ),
    ("PUT", "/api/admin/appointments/configuration"): (
        "/api/admin/appointments/configuration",
        {},
    ),
    # Bürgerbüro terminals: register, new setup link, revoke.
    ("GET", "/api/admin/kiosk-terminals"): ("/api/admin/kiosk-terminals", None),
    ("POST", "/api/admin/kiosk-terminals"): ("/api/admin/kiosk-terminals", {}),
    ("POST", "/api/admin/kiosk-terminals/<int:terminal_id>/setup-link"): (
        "/api/admin/kiosk-terminals/999/setup-link",
        None,
    ),
    ("POST", "/api/admin/kiosk-terminals/<int:terminal_id>/revoke"): (
        "/api/admin/kiosk-terminals/999/revoke",
        None,
    ),
    # Campaigns for flyers and posters, and their PDFs.
    ("GET", "/api/admin/campaigns"): ("/api/admin/campaigns", None),
    ("POST", "/api/admin/campaigns"): ("/api/admin/campaigns", {}),
    ("PATCH", "/api/admin/campaigns/<string:tag>"): ("/api/admin/campaigns/flyer-x", {}),
    ("DELETE", "/api/admin/campaigns/<string:tag>"): ("/api/admin/campaigns/flyer-x", None),
    ("GET", "/api/admin/campaigns/<string:tag>/flyer.pdf"): (
        "/api/admin/campaigns/flyer-x/flyer.pdf",
        None,
    ),
    # Defect reports: categories and the Open311 apps' keys.
    ("GET", "/api/admin/reports/categories"): ("/api/admin/reports/categories", None),
    ("PUT", "/api/admin/reports/categories/<string:code>"): (
        "/api/admin/reports/categories/ampel",
        {},
    ),
    ("GET", "/api/admin/reports/open311-keys"): ("/api/admin/reports/open311-keys", None),
    ("POST", "/api/admin/reports/open311-keys"): ("/api/admin/reports/open311-keys", {}),
    ("POST", "/api/admin/reports/open311-keys/<int:key_id>/revoke"): (
        "/api/admin/reports/open311-keys/999/revoke",
        None,
    ),
}


def _admin_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/admin")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_admin_route_is_covered(app):
    assert _admin_routes(app) == set(CALLS)


@pytest.fixture(scope="module")
def callers():
    return {
        "staff": ("staff@example.org", "staff", ("hundesteuer", "kasse", "parken")),
        "officer": ("officer@example.org", "officer", ()),
        "citizen": ("citizen@example.org", "citizen", ()),
        "admin": ("admin@example.org", "admin", ()),
        "facility": ("kita-leitung@example.org", "facility", ()),
    }


@pytest.mark.parametrize(("method", "rule"), sorted(CALLS), ids=lambda v: str(v)[:60])
def test_only_admins_get_through(signed_in, make_client, callers, method, rule):
    path, body = CALLS[(method, rule)]
    kwargs = {"json": body} if body is not None else {}
    anonymous = make_client().request(method, path, **kwargs)
    assert anonymous.status_code == 401, anonymous.get_json()
    for name, (email, role, areas) in callers.items():
        response = signed_in(email, role, areas).request(method, path, **kwargs)
        if name == "admin":
            assert response.status_code not in (401, 403), (name, response.get_json())
        else:
            assert response.status_code == 403, (name, response.status_code)
