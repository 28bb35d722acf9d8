"""Who works which reports: admins all of them, clerks those of the categories whose
department is one of their staff areas, everybody else none."""

from __future__ import annotations

from app.accounts.users import staff_areas
from app.errors import DomainError
from app.models import DefectReport, ReportCategory, User


def departments(user: User) -> list[str] | None:
    """The departments ``user`` works reports for; ``None`` means all of them."""
    if user.role == "admin":
        return None
    if user.role != "staff":
        return []
    return staff_areas(user)


def may_work(user: User) -> bool:
    """Whether ``user`` sees a queue of reports at all."""
    found = departments(user)
    return found is None or bool(found)


def require_report(user: User, report_id: int) -> DefectReport:
    """The report, if ``user`` works its category; 404 otherwise (a clerk of another
    department learns nothing about it)."""
    report = (
        DefectReport.select(DefectReport, ReportCategory)
        .join(ReportCategory)
        .where(DefectReport.id == report_id)
        .first()
    )
    found = departments(user)
    if report is None or (found is not None and report.category.department not in found):
        raise DomainError("not_found", kind="not_found")
    return report
