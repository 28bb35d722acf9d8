"""Tell reporters what happened to their report: signed-in reporters by an inbox message
(which reaches their devices by push) and a mail unless they switched mail off;
anonymous reporters who gave an address by a mail with the link to their report."""

from __future__ import annotations

from app import links
from app.applications import inbox
from app.i18n import Text, translate
from app.models import DefectReport
from app.notifications import preferences
from app.reports import categories, tracking
from app.tasks import config, send_mail

MESSAGE_KIND = "defect_report"


def _status_name(status: str, locale: str) -> str:
    return translate(f"reports.status.{status}", locale)


def _url(path: str) -> str:
    return config().get("BASE_URL", "").rstrip("/") + path


def received(report: DefectReport) -> None:
    """Confirm a new report to an anonymous reporter who gave an address (the link to
    follow it); signed-in reporters find it under "Meine Meldungen"."""
    if report.reporter_id is not None or not report.email:
        return
    link = _url(links.report_tracking_page(tracking.token_for(report, config()["SECRET_KEY"])))
    params = {"category": categories.name(report.category, report.locale), "url": link}
    send_mail(
        report.email,
        translate("reports.mail.received.subject", report.locale, **params),
        translate("reports.mail.received.body", report.locale, **params),
    )


def status_changed(report: DefectReport, comment: str) -> None:
    """Announce the report's new status and the clerk's public comment."""
    if report.reporter_id is not None:
        _to_account(report, comment)
    elif report.email:
        _to_address(report, comment)


def _params(report: DefectReport, locale: str, comment: str, url: str) -> dict[str, str]:
    return {
        "category": categories.name(report.category, locale),
        "status": _status_name(report.status, locale),
        "comment": comment or "–",
        "url": url,
    }


def _to_account(report: DefectReport, comment: str) -> None:
    user = report.reporter
    url = _url(links.own_reports_page())
    params = _params(report, user.locale, comment, url)
    inbox.post(
        user,
        MESSAGE_KIND,
        Text("reports.mail.status.subject", category=params["category"]),
        Text(
            "reports.mail.status.body",
            category=params["category"],
            status=Text(f"reports.status.{report.status}"),
            comment=params["comment"],
            url=url,
        ),
    )
    if config().get("NOTIFY_BY_EMAIL", True) and preferences.wants(user.id, "email"):
        send_mail(
            user.email,
            translate("reports.mail.status.subject", user.locale, **params),
            translate("reports.mail.status.body", user.locale, **params),
        )


def _to_address(report: DefectReport, comment: str) -> None:
    link = _url(links.report_tracking_page(tracking.token_for(report, config()["SECRET_KEY"])))
    params = _params(report, report.locale, comment, link)
    send_mail(
        report.email,
        translate("reports.mail.status.subject", report.locale, **params),
        translate("reports.mail.status.body", report.locale, **params),
    )
