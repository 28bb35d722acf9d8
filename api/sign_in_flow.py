"""What the eID and BundID sign-ins share in the browser.

Both begin in the PWA, leave for another party (the AusweisApp, BundID) and come back
through a redirect. A cookie binds the attempt to the browser that began it, so a link
or an answer carried to another browser signs nobody in. A first sign-in with an
identity the portal does not know yet asks for the e-mail address the account should
have. Each flow names its cookie, its pages and its binding in a ``BrowserFlow``; the
routes themselves stay in ``api/eid.py`` and ``api/bundid.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, redirect, render_template, request
from marshmallow import fields

from api.auth import SessionSchema, sign_in
from api.compression import keep_uncompressed
from api.errors import locale
from app.accounts import email_codes, users
from app.i18n import translate
from app.models import User

# An attempt lasts minutes; the cookie outlives it only so a slow return still finds it.
_COOKIE_MAX_AGE = 2 * 3600


class RedirectSessionSchema(SessionSchema):
    """A session begun after the e-mail step, and the PWA page to go on to."""

    redirect_to = fields.String()


def no_store_redirect(location: str) -> Response:
    """A 303 to ``location`` that no cache keeps (it ends or carries an attempt)."""
    response = redirect(location, code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def send_email_code(data: dict[str, Any]) -> dict[str, str]:
    """Send the code of the e-mail step; the same answer whether or not the address has
    an account."""
    email = users.normalise_email(data["email"])
    email_codes.send_code(email, data["locale"], current_app.config)
    return {"message": translate("auth.code_sent", data["locale"])}


def consume_email_code(data: dict[str, Any]) -> str:
    """The normalised address once the code sent to it is confirmed (raises otherwise)."""
    email = users.normalise_email(data["email"])
    config = current_app.config
    email_codes.consume_code(
        email, data["code"], config["SECRET_KEY"], config["EMAIL_CODE_MAX_ATTEMPTS"]
    )
    return email


@dataclass(frozen=True)
class BrowserFlow:
    """One sign-in flow's names: its cookie, its PWA pages and its binding."""

    #: The cookie's name over HTTP; over HTTPS it gets the ``__Host-`` prefix.
    cookie: str
    #: The sign-in page: errors (``?fehler=``) and the e-mail step (``?schritt=e-mail``).
    sign_in_page: str
    #: Where the citizen compares the vouched data with the profile first.
    review_page: str
    #: The session's sign-in method (``eid``, ``bundid``).
    method: str
    #: The user's binding to this identity, or None.
    binding_of: Callable[[User], Any]

    def cookie_name(self) -> str:
        """The cookie's name (over HTTPS the ``__Host-`` prefix pins it to our host)."""
        if current_app.config["SESSION_COOKIE_SECURE"]:
            return f"__Host-{self.cookie}"
        return self.cookie

    def browser_secret(self) -> str | None:
        """The secret this browser's attempts are bound to, from its cookie."""
        value = request.cookies.get(self.cookie_name())
        return value if value and len(value) <= 100 else None

    def set_browser_cookie(self, response: Response, secret: str) -> None:
        """Bind the attempt just begun to this browser."""
        response.set_cookie(
            self.cookie_name(),
            secret,
            max_age=_COOKIE_MAX_AGE,
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite="Lax",
            path="/",
        )

    def error_redirect(self, code: str) -> Response:
        """Back to the sign-in page, which explains ``code``."""
        return no_store_redirect(f"{self.sign_in_page}?fehler={quote(code)}")

    def email_step_redirect(self) -> Response:
        """To the e-mail step of a first sign-in."""
        return no_store_redirect(f"{self.sign_in_page}?schritt=e-mail")

    def next_page(self, user: User | None, target: str) -> str:
        """``target``, or the comparison page first while vouched data awaits a decision."""
        bound = self.binding_of(user) if user is not None else None
        if bound is not None and bound.review_pending:
            return f"{self.review_page}?weiter={quote(target, safe='/')}"
        return target

    def done_redirect(self, user: User | None, target: str, signing_in: User | None) -> Response:
        """Into the PWA at ``target`` (by way of the comparison page for ``user``); with
        ``signing_in``, that user's fresh session comes with the redirect."""
        response = no_store_redirect(self.next_page(user, target))
        if signing_in is not None:
            # The one sign-in path (fresh session, audit entry, cookie), its cookie moved
            # onto the redirect.
            signed = sign_in(signing_in, self.method)
            for cookie in signed.headers.getlist("Set-Cookie"):
                response.headers.add("Set-Cookie", cookie)
        return response

    def email_signed_in(self, user: User, created: bool, target: str) -> Response:
        """The session after the e-mail step, with the page the PWA goes on to."""
        response = sign_in(user, self.method, new_account=created)
        body = response.get_json()
        body["redirect_to"] = self.next_page(user, target)
        response.set_data(json.dumps(body, ensure_ascii=False))
        return response


def simulator_page(template: str, texts: str, status_code: int = 200, **context: Any) -> Response:
    """A page of a test-mode simulator in the request's language; ``t(key)`` reads
    ``<texts>.<key>`` from the catalogue."""
    lang = locale()
    html = render_template(
        template,
        lang=lang,
        t=lambda key, **params: translate(f"{texts}.{key}", lang, **params),
        city=current_app.config["CITY_NAME"],
        **context,
    )
    response = keep_uncompressed(
        Response(html, status=status_code, content_type="text/html; charset=utf-8")
    )
    response.headers["Cache-Control"] = "no-store"
    return response
