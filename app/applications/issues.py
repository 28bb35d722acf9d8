"""Turning validation issues of the definition engine into the API's field errors."""

from __future__ import annotations

from typing import Any

from app.errors import DomainError, FieldError
from app.i18n import LOCALES


def domain_error(issues: list[Any]) -> DomainError:
    """A 422 refusal listing each issue as a field error (path as the field)."""
    errors = [
        FieldError(
            issue.path,
            issue.code,
            dict(issue.params),
            messages={locale: issue.render(locale) for locale in LOCALES},
        )
        for issue in issues
    ]
    return DomainError("invalid_input", field_errors=errors)


def issue_dicts(issues: list[Any], locale: str) -> list[dict[str, Any]]:
    """Issues (errors or warnings) as ``{field, code, message}`` in ``locale``."""
    return [
        {"field": issue.path, "code": issue.code, "message": issue.render(locale)}
        for issue in issues
    ]
