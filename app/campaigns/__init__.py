"""Campaigns: tags the city prints on flyers and posters, and the landings they bring.

A campaign is a slug-like tag (``flyer-steuer-2027``) with a name and a target: one
published service, or the portal as a whole. The flyer's QR code leads to the target's
page with ``?q=<tag>``; the PWA reports one anonymous landing per device and visit
(:func:`count_entry`), which is counted per Berlin day, tag and page, and only for tags
the city created: a made-up tag is answered like a known one but never counted, so
junk never reaches the statistics.

Campaigns are renamed and archived, never retargeted (printed QR codes keep their
address). An archived campaign is still counted (its flyers stay in circulation) but
offered for no new flyer. A campaign may be deleted only while nothing was counted for
it: once counted, its tag names rows of the statistics and must keep its name.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import peewee

from app import links
from app import statistics as stats
from app.accounts import audit
from app.applications import definitions
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import Campaign, CampaignEntry, StatisticsDaily, StepView, User
from app.statistics import figures
from app.tasks import config

TAG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$")
NAME_MAX = 120
COUNTED_METRICS = ("entry", "entry_submitted")


def _invalid(field: str, code: str, **params: Any) -> DomainError:
    return DomainError("invalid_input", field_errors=[FieldError(field, code, params)])


def valid_tag(tag: str) -> bool:
    """Whether ``tag`` has a campaign tag's form: 3–40 characters of lower-case letters,
    digits and hyphens, beginning and ending with a letter or digit."""
    return bool(TAG.match(tag)) and "--" not in tag


def published_service(service_id: str, field: str = "service_id") -> Any:
    """The newest published version of a service (no survey), or a field error."""
    try:
        record = definitions.published(service_id)
    except DomainError:
        raise _invalid(field, "campaign_unknown_service") from None
    if definitions.is_survey(record):
        raise _invalid(field, "campaign_unknown_service")
    return record


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise _invalid("name", "campaign_name_required")
    if len(name) > NAME_MAX:
        raise _invalid("name", "campaign_name_too_long", max=NAME_MAX)
    return name


def get(tag: str) -> Campaign:
    """The campaign with ``tag``, or not found."""
    campaign = Campaign.get_or_none(Campaign.tag == tag)
    if campaign is None:
        raise DomainError("campaign_not_found", kind="not_found")
    return campaign


def create(user: User, tag: str, name: str, service_id: str | None, ip: str = "") -> Campaign:
    """Create a campaign; field errors (bad or taken tag, unknown service, empty name)
    change nothing."""
    errors: list[FieldError] = []
    if not valid_tag(tag):
        errors.append(FieldError("tag", "campaign_invalid_tag", {}))
    elif Campaign.select().where(Campaign.tag == tag).exists():
        errors.append(FieldError("tag", "campaign_tag_taken", {}))
    try:
        name = _clean_name(name)
    except DomainError as error:
        errors.extend(error.field_errors)
    if service_id:
        try:
            published_service(service_id)
        except DomainError as error:
            errors.extend(error.field_errors)
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    try:
        with db.atomic():
            campaign = Campaign.create(
                tag=tag, name=name, service_id=service_id or None, created_by=user
            )
            audit.record("campaign_created", user, "campaign", tag, ip, service_id=service_id)
    except peewee.IntegrityError:
        # Created at the same moment by someone else.
        raise _invalid("tag", "campaign_tag_taken") from None
    return campaign


def rename(user: User, tag: str, name: str, ip: str = "") -> Campaign:
    """Give a campaign a new name (its tag and target never change)."""
    campaign = get(tag)
    name = _clean_name(name)
    with db.atomic():
        Campaign.update(name=name).where(Campaign.id == campaign.id).execute()
        audit.record("campaign_renamed", user, "campaign", tag, ip)
    return get(tag)


def archive(user: User, tag: str, archived: bool = True, ip: str = "") -> Campaign:
    """Archive a campaign (still counted, offered for no new flyer), or bring it back."""
    campaign = get(tag)
    with db.atomic():
        Campaign.update(archived_at=utcnow() if archived else None).where(
            Campaign.id == campaign.id
        ).execute()
        audit.record(
            "campaign_archived" if archived else "campaign_restored", user, "campaign", tag, ip
        )
    return get(tag)


def has_counts(tag: str) -> bool:
    """Whether anything was counted for ``tag`` (landings or journeys carrying it)."""
    return (
        CampaignEntry.select().where(CampaignEntry.tag == tag).exists()
        or StepView.select().where(StepView.campaign == tag).exists()
        or StatisticsDaily.select()
        .where(
            StatisticsDaily.metric.in_(("entry", "entry_submitted")) & (StatisticsDaily.key == tag)
        )
        .exists()
    )


def delete(user: User, tag: str, ip: str = "") -> None:
    """Delete a campaign nobody has landed through yet (a typo); one with counts is
    refused with a field error on ``tag``: archive it instead."""
    campaign = get(tag)
    if has_counts(tag):
        raise _invalid("tag", "campaign_has_counts")
    with db.atomic():
        Campaign.delete().where(Campaign.id == campaign.id).execute()
        audit.record("campaign_deleted", user, "campaign", tag, ip)


def landing_path(campaign: Campaign) -> str:
    """The path of the campaign's QR code (the service's page or the start page)."""
    return links.campaign_landing(campaign.tag, campaign.service_id)


def landing_url(campaign: Campaign) -> str:
    """The absolute address the campaign's QR code carries (the instance's base URL)."""
    return str(config().get("BASE_URL", "")).rstrip("/") + landing_path(campaign)


def totals() -> dict[str, tuple[int | None, int | None]]:
    """Landings and applications sent per tag so far, as aggregated (the month cells of
    the dashboard, from the first campaign's month to this one; 1–4 and sums with such
    a cell are ``None``)."""
    first = Campaign.select(peewee.fn.MIN(Campaign.created_at)).scalar()
    if first is None:
        return {}
    first_day = stats.berlin_day(first) if isinstance(first, datetime) else stats.FIRST_DAY
    today = stats.berlin_day(utcnow())
    start = max(date(first_day.year, first_day.month, 1), stats.FIRST_DAY)
    return figures.campaign_totals(start, stats.month_end(today))


def listing(include_archived: bool = True) -> list[Campaign]:
    """Every campaign, newest first."""
    query = Campaign.select().order_by(Campaign.created_at.desc(), Campaign.id.desc())
    if not include_archived:
        query = query.where(Campaign.archived_at.is_null())
    return list(query)


def known_tags() -> set[str]:
    """Every tag the city created (archived ones too: they are still counted)."""
    return {tag for (tag,) in Campaign.select(Campaign.tag).tuples()}


def is_known(tag: str) -> bool:
    """Whether ``tag`` is a campaign the city created."""
    return valid_tag(tag) and Campaign.select().where(Campaign.tag == tag).exists()


def count_entry(tag: str, service_id: str | None, day: date | None = None) -> bool:
    """Count one landing through ``tag`` on a service's page (``None``: the start page)
    today; whether it was counted. Unknown tags and pages that are no published service
    are not counted (nothing of theirs is stored)."""
    if not is_known(tag):
        return False
    if service_id:
        try:
            published_service(service_id)
        except DomainError:
            return False
    day = day or stats.berlin_day(utcnow())
    # One statement: two landings at once both count (no read-modify-write).
    CampaignEntry.insert(
        day=day, tag=tag, service_id=service_id or "", count=1, updated_at=utcnow()
    ).on_conflict(
        conflict_target=[CampaignEntry.day, CampaignEntry.tag, CampaignEntry.service_id],
        update={
            CampaignEntry.count: CampaignEntry.count + 1,
            CampaignEntry.updated_at: peewee.EXCLUDED.updated_at,
        },
    ).execute()
    return True


def view(campaign: Campaign, counted: dict[str, tuple[int | None, int | None]]) -> dict[str, Any]:
    """A campaign as the console shows it (counts so far from :func:`totals`)."""
    entries, submitted = counted.get(campaign.tag, (0, 0))
    return {
        "tag": campaign.tag,
        "name": campaign.name,
        "service_id": campaign.service_id,
        "url": landing_url(campaign),
        "created_at": campaign.created_at,
        "created_by": campaign.created_by.email if campaign.created_by_id else None,
        "archived": campaign.archived_at is not None,
        "archived_at": campaign.archived_at,
        "entries": entries,
        "submitted": submitted,
    }
