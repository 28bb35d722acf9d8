"""Requests no limit applies to skip the limiter's check; limited ones are counted in
the limiter's storage as before (the limits themselves: ``test_rate_limits*.py``)."""

from __future__ import annotations

from api import limits
from api.limits import limiter


def _storage_calls(monkeypatch) -> list[str]:
    """Calls counting in the storage, and the library's evaluation of a request's
    limits (what a request without limits no longer goes through)."""
    calls: list[str] = []
    for owner, name in (
        (limiter.limiter, "hit"),
        (limiter.limiter, "test"),
        (limiter.limit_manager, "exemption_scope"),
    ):
        original = getattr(owner, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_list_without_limits_is_not_counted(signed_in, monkeypatch):
    citizen = signed_in("unlimited@example.org")
    calls = _storage_calls(monkeypatch)
    for _ in range(3):
        response = citizen.get("/api/applications")
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response.headers
    assert calls == []


def test_a_limited_endpoint_is_still_counted(client, monkeypatch):
    calls = _storage_calls(monkeypatch)
    response = client.post("/api/auth/email/start", json={"email": "counted@example.org"})
    assert response.status_code == 202
    assert calls.count("hit") >= 2  # per client and per address
    assert "X-RateLimit-Limit" in response.headers


def test_a_request_without_limits_gets_no_limiter_state_of_its_own(signed_in, app, monkeypatch):
    """Such a request shares the one empty state; a limited one gets its own, filled."""
    citizen = signed_in("stateless@example.org")
    seen = []

    def look(response):
        # The state as the limiter's own response hook reads it (teardown empties it).
        seen.append((limiter.context, limiter.context.view_rate_limit))
        return response

    # Runs first among the response hooks (Flask runs them in reverse order).
    monkeypatch.setitem(app.after_request_funcs, None, [*app.after_request_funcs[None], look])
    assert citizen.get("/api/applications").status_code == 200
    assert citizen.post("/api/auth/email/start", json={"email": "a@example.org"}).status_code == 202
    (unlimited, _none), (limited, in_force) = seen
    assert unlimited is limits._EMPTY_CONTEXT
    assert limited is not limits._EMPTY_CONTEXT
    assert in_force is not None  # what the limited answer's headers report
    shared = limits._EMPTY_CONTEXT
    assert shared.view_rate_limit is None
    assert not shared.view_rate_limits and not shared.conditional_deductions
