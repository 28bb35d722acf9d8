"""Flyers and posters for a campaign: one page of A5 or A4, tagged PDF/UA-1.

The page names the service (or the portal as a whole) in the reader's language, three
short steps, the fee as the definition words it (free, a fixed amount, "from …" or
"depends on …"), the campaign's QR code (segno, vector SVG, with an alternative text
naming where it leads), the same address written out for those who type, and the
city's contact. The city's emblem and colours come from the city package.

Texts come from the ``flyers`` catalogue (every configured language: citizens read
them). Fonts are the portal's own (Fira Sans; Noto Sans Arabic for Arabic), taken from
the built PWA and embedded; a missing font file stops the rendering with its path,
rather than printing in whatever font the machine happens to have.
"""

from __future__ import annotations

import base64
import io
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from babel.numbers import format_currency
from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import campaigns, pdf
from app.cities.active import active_city
from app.i18n import translate
from app.languages import configured, direction
from app.models import Campaign
from app.tasks import config

# Paper sizes in millimetres (width, height).
FORMATS: dict[str, tuple[int, int]] = {"a5": (148, 210), "a4": (210, 297)}
# The QR symbol's width on paper (quiet zone around it): large enough to scan from
# arm's length on a poster, from a hand on a flyer.
QR_WIDTH_MM = {"a5": 48, "a4": 80}
QUIET_ZONE = 4  # modules, as ISO/IEC 18004 asks
# Tried in turn until the page holds everything (a very long title shrinks its type).
_DENSITIES = ("roomy", "compact", "tight")
_TEMPLATES = Path(__file__).parent / "templates"
_templates = Environment(
    loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"])
)
_REPO = Path(__file__).resolve().parents[2]
_FIRA = "@kern-ux/native/dist/fonts/fira-sans"
# (file name start in the built PWA, file in node_modules for a checkout without a build)
_FONT_FILES = {
    ("latin", 400): (
        "FiraSans-Regular-",
        f"{_FIRA}/FiraSans-Regular.woff2",
    ),
    ("latin", 600): (
        "FiraSans-SemiBold-",
        f"{_FIRA}/FiraSans-SemiBold.woff2",
    ),
    ("cyrillic", 400): (
        "FiraSans-Regular.cyrillic-",
        f"{_FIRA}/FiraSans-Regular.woff2",
    ),
    ("cyrillic", 600): (
        "FiraSans-SemiBold.cyrillic-",
        f"{_FIRA}/FiraSans-SemiBold.woff2",
    ),
    ("arabic", 400): (
        "noto-sans-arabic-arabic-400-normal-",
        "@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff2",
    ),
    ("arabic", 600): (
        "noto-sans-arabic-arabic-600-normal-",
        "@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-600-normal.woff2",
    ),
}
# Faces of one family split by unicode-range get their glyphs mixed up when WeasyPrint
# subsets them, and words in a font without a space (the PWA's Cyrillic files) are set
# with gaps: Latin and Cyrillic are merged into one font (see ``_merged``), Arabic is a
# family of its own, tried first in Arabic.
_SANS = "Flyer Sans"
_ARABIC = "Flyer Arabic"
_lock = threading.Lock()
# (weight, source files and their change times) → the merged font as a data: URI.
_merged_fonts: dict[tuple, str] = {}


class FlyerFontMissing(RuntimeError):
    """A font the flyers embed is neither in the built PWA nor in node_modules."""


@dataclass(frozen=True)
class Flyer:
    """What a flyer says, in one language."""

    lang: str
    title: str
    url: str
    fee: str
    steps: tuple[str, ...]
    #: What the citizen needs to sign in, where the service asks for more than an
    #: e-mail address (empty otherwise).
    trust_note: str


def font_file(script: str, weight: int) -> Path:
    """The font file for ``script`` at ``weight``: the built PWA's copy (hashed name),
    else the package's in node_modules; :class:`FlyerFontMissing` naming both places."""
    prefix, package_file = _FONT_FILES[(script, weight)]
    assets = Path(str(config().get("STATIC_DIR") or _REPO / "static" / "dist")) / "assets"
    built = sorted(assets.glob(f"{prefix}*.woff2")) if assets.is_dir() else []
    # The cyrillic files share the latin prefix's start: never take one for the other.
    built = [path for path in built if (".cyrillic" in path.name) == (script == "cyrillic")]
    if built:
        return built[0]
    fallback = _REPO / "node_modules" / package_file
    if fallback.is_file():
        return fallback
    raise FlyerFontMissing(
        f"no {script} font of weight {weight}: {assets}/{prefix}*.woff2, {fallback}"
    )


def _merged(weight: int) -> str:
    """Fira Sans of ``weight`` for Latin and Cyrillic in one font, as a ``data:`` URI
    (merged with fontTools once per process and source file)."""
    latin, cyrillic = font_file("latin", weight), font_file("cyrillic", weight)
    key = tuple(
        (weight, str(path), path.stat().st_mtime_ns) for path in dict.fromkeys((latin, cyrillic))
    )
    with _lock:
        found = _merged_fonts.get(key)
    if found is not None:
        return found
    if latin == cyrillic:  # the package's complete font: nothing to merge
        data = latin.read_bytes()
        media = "font/woff2"
    else:
        with tempfile.TemporaryDirectory() as folder:
            plain = []
            for index, path in enumerate((latin, cyrillic)):
                font = TTFont(path)
                font.flavor = None
                target = Path(folder) / f"{index}.ttf"
                font.save(target)
                plain.append(str(target))
            out = io.BytesIO()
            Merger().merge(plain).save(out)
            data = out.getvalue()
        media = "font/ttf"
    uri = f"data:{media};base64," + base64.b64encode(data).decode("ascii")
    with _lock:
        _merged_fonts[key] = uri
    return uri


def font_faces() -> list[dict[str, Any]]:
    """The ``@font-face`` rules of the flyer: Latin and Cyrillic in one family, Arabic
    in another, regular and semibold each."""
    faces = [{"src": _merged(weight), "weight": weight, "family": _SANS} for weight in (400, 600)]
    faces += [
        {"src": font_file("arabic", weight).as_uri(), "weight": weight, "family": _ARABIC}
        for weight in (400, 600)
    ]
    return faces


def font_stack(lang: str) -> str:
    """The CSS ``font-family`` list for ``lang`` (Arabic's own family first in Arabic)."""
    order = (_ARABIC, _SANS) if lang == "ar" else (_SANS, _ARABIC)
    return ", ".join(f'"{family}"' for family in order) + ", sans-serif"


def _amount(cents: int, lang: str) -> str:
    return format_currency(cents / 100, "EUR", locale=lang)


def _lowest_unit(rule: dict[str, Any]) -> int | None:
    if rule.get("kind") in ("fixed", "per_item"):
        return rule.get("amount_cents")
    units = [tier.get("unit_cents") for tier in rule.get("tiers") or []]
    return min((unit for unit in units if unit), default=None)


def fee_text(fees: dict[str, Any] | None, lang: str) -> str:
    """The fee in a few words: free, one fixed amount, "from" the lowest amount a rule
    charges, or "depends on the application" (amounts in the reader's number format)."""

    def t(key: str, **params: object) -> str:
        return translate(f"flyers.{key}", lang, **params)

    rules = (fees or {}).get("rules") or []
    if not rules:
        return t("fee_free")
    yearly = (fees or {}).get("period") == "yearly"
    suffix = " " + t("per_year") if yearly else ""
    only = rules[0]
    if len(rules) == 1 and only.get("kind") == "fixed" and not only.get("when"):
        return t("fee_fixed", amount=_amount(int(only["amount_cents"]), lang)) + suffix
    lowest = [unit for unit in (_lowest_unit(rule) for rule in rules) if unit]
    if not lowest:
        return t("fee_depends")
    return t("fee_from", amount=_amount(min(lowest), lang)) + suffix


def content(campaign: Campaign, lang: str) -> Flyer:
    """What the flyer of ``campaign`` says in ``lang``."""

    def t(key: str, **params: object) -> str:
        return translate(f"flyers.{key}", lang, **params)

    url = campaigns.landing_url(campaign)
    if campaign.service_id:
        record = campaigns.published_service(campaign.service_id)
        data = record.data or {}
        titles = data.get("title") or {}
        title = titles.get(lang) or titles.get("de") or campaign.service_id
        level = data.get("trust_level") or "basic"
        fee = fee_text(data.get("fees"), lang)
        sign_in = {"high": "step_sign_in_eid", "substantial": "step_sign_in_substantial"}
        steps = (t("step_scan"), t(sign_in.get(level, "step_sign_in")), t("step_fill"))
        notes = {"high": "eid_note", "substantial": "substantial_note"}
        trust_note = t(notes[level]) if level in notes else ""
    else:
        title = t("portal_title")
        trust_note = ""
        fee = ""
        steps = (t("step_scan"), t("step_sign_in"), t("step_choose"))
    return Flyer(lang=lang, title=title, url=url, fee=fee, steps=steps, trust_note=trust_note)


def qr_svg_uri(url: str, width_mm: float) -> tuple[str, float]:
    """The address as a QR code: an SVG ``data:`` URI whose symbol is ``width_mm`` wide,
    and the image's whole width in millimetres (with the quiet zone)."""
    code = segno.make(url, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=0)[0]
    scale = width_mm / modules
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, unit="mm", border=QUIET_ZONE, xmldecl=False)
    uri = "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    return uri, (modules + 2 * QUIET_ZONE) * scale


def render_html(campaign: Campaign, paper: str, lang: str, density: str = "roomy") -> str:
    """The flyer (``a5``) or poster (``a4``) as HTML, in ``lang``."""
    flyer = content(campaign, lang)
    city = active_city()

    def t(key: str, **params: object) -> str:
        return translate(f"flyers.{key}", lang, **params)

    width, height = FORMATS[paper]
    qr_src, qr_width = qr_svg_uri(flyer.url, QR_WIDTH_MM[paper])
    return _templates.get_template("flyer.html").render(
        t=t,
        flyer=flyer,
        lang=lang,
        dir=direction(lang),
        paper=paper,
        width=width,
        height=height,
        density=density,
        faces=font_faces(),
        font_stack=font_stack(lang),
        colours=city.section("colours"),
        emblem=pdf.emblem(lang),
        city_official=city.official_name,
        qr_src=qr_src,
        qr_width=round(qr_width, 2),
    )


def _pages(html: str) -> int:
    # Imported here: WeasyPrint (Pango, fontconfig) loads only in processes that print.
    from weasyprint import HTML

    return len(HTML(string=html).render().pages)


def render_pdf(campaign: Campaign, paper: str = "a5", lang: str = "de") -> bytes:
    """The one-page PDF of the flyer (``a5``) or poster (``a4``) in ``lang`` (a
    configured language); the type shrinks until everything fits on the page."""
    if paper not in FORMATS:
        raise ValueError(f"unknown paper {paper!r}")
    if lang not in configured():
        raise ValueError(f"language {lang!r} is not configured")
    html = ""
    for density in _DENSITIES:
        html = render_html(campaign, paper, lang, density)
        if _pages(html) == 1:
            break
    return pdf.write_pdf(html)


def filename(campaign: Campaign, paper: str, lang: str) -> str:
    """The download's file name, e.g. ``flyer-steuer-2027-a5-de.pdf``."""
    kind = "aushang" if paper == "a4" else "flyer"
    return f"{kind}-{campaign.tag}-{paper}-{lang}.pdf"
