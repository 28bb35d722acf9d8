"""What the public sees of the active city: its data for the PWA, its stylesheet, its
web app manifest and the app shell's head, all from the package (no build per city)."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from app.cities.package import City
from app.i18n import LOCALES


def public_data(city: City) -> dict[str, Any]:
    """The city as the PWA reads it: names, address, contact, colours, texts per language."""
    address = city.section("address")
    contact = city.section("contact")
    return {
        "slug": city.slug,
        "name": city.name,
        "official_name": city.official_name,
        "address": address,
        "contact": {
            key: contact[key]
            for key in (
                "phone",
                "phone_international",
                "email",
                "privacy_email",
                "accessibility_email",
                "website",
            )
        },
        "colours": city.section("colours"),
        "logo_alt": dict(city.data["logo_alt"]),
        "placeholders": {locale: city.placeholders(locale) for locale in LOCALES},
    }


def stylesheet(city: City) -> str:
    """KERN's theme variables set to the city's colours (loaded after KERN's own)."""
    colours = city.section("colours")
    return (
        "/* The city's colours within KERN's theme (city package: colours). */\n"
        ":root {\n"
        f"  --kern-color-action-default: {colours['primary']};\n"
        f"  --kern-color-action-on-default: {colours['on_primary']};\n"
        f"  --city-color-primary: {colours['primary']};\n"
        f"  --city-color-on-primary: {colours['on_primary']};\n"
        f"  --city-color-accent: {colours['accent']};\n"
        "}\n"
    )


def manifest(city: City, built: dict[str, Any], logo_url: str) -> dict[str, Any]:
    """The built manifest with the city's name, description, colour and emblem."""
    result = dict(built)
    result["name"] = f"Bürgerportal {city.name}"
    result["description"] = (
        f"Anträge bei der {city.official_name} stellen, bezahlen und den Stand verfolgen "
        "– auch unterwegs ohne Netz."
    )
    result["theme_color"] = city.data["colours"]["primary"]
    icons = [icon for icon in built.get("icons", []) if icon.get("type") != "image/svg+xml"]
    icons.append({"src": logo_url, "sizes": "any", "type": "image/svg+xml", "purpose": "any"})
    result["icons"] = icons
    result["screenshots"] = [
        {**shot, "label": shot["label"].replace("{city}", city.name)}
        for shot in built.get("screenshots", [])
    ]
    return result


# The built index.html carries these; the server fills them for the active city.
_TITLE = re.compile(r"<title>[^<]*</title>")
_DESCRIPTION = re.compile(r'<meta name="description" content="[^"]*"\s*/?>')
_THEME = re.compile(r'<meta name="theme-color" content="[^"]*"\s*/?>')
HEAD_END = "</head>"


def shell(city: City, built: str, stylesheet_url: str) -> str:
    """The app shell with the city's title, description, colour and data for the PWA.

    The data goes in a JSON data block, which no browser runs: the strict CSP allows no
    inline script, and needs none for this.
    """
    data = json.dumps(public_data(city), ensure_ascii=False).replace("</", "<\\/")
    description = (
        f"Das Bürgerportal der {city.official_name}: Anträge online stellen, bezahlen "
        "und den Stand verfolgen."
    )
    colour = html.escape(city.data["colours"]["primary"])
    page = _TITLE.sub(lambda _m: f"<title>Bürgerportal {html.escape(city.name)}</title>", built, 1)
    page = _DESCRIPTION.sub(
        lambda _m: f'<meta name="description" content="{html.escape(description)}" />', page, 1
    )
    page = _THEME.sub(lambda _m: f'<meta name="theme-color" content="{colour}" />', page, 1)
    head = (
        f'  <link rel="stylesheet" href="{html.escape(stylesheet_url)}" />\n'
        f'    <script type="application/json" id="city-data">{data}</script>\n  '
    )
    return page.replace(HEAD_END, head + HEAD_END, 1)
