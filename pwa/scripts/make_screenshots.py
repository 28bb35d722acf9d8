"""Takes the screenshots the web app manifest shows in the install dialog.

Needs the built app (``npm run build``); writes pwa/public/screenshots/*.png. Run
after visible changes: ``.venv/bin/python pwa/scripts/make_screenshots.py``, then
build again so the new images are copied.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from portal.local import start_local_portal

OUT = Path(__file__).resolve().parent.parent / "public" / "screenshots"


def serve() -> str:
    return start_local_portal(Path(tempfile.mkdtemp(prefix="screenshots-"))).base


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    base = serve()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        phone = browser.new_context(
            base_url=base, viewport={"width": 360, "height": 800}, locale="de-DE"
        )
        page = phone.new_page()
        page.goto("/")
        page.get_by_role("heading", name="Leistungen der Stadt Düren").wait_for()
        page.screenshot(path=str(OUT / "start-phone.png"))
        page.get_by_role("link", name="Hund zur Hundesteuer anmelden").click()
        page.get_by_role("button", name="Antrag starten").click()
        page.get_by_label("Telefon für Rückfragen").wait_for()
        page.screenshot(path=str(OUT / "form-phone.png"))
        wide = browser.new_context(
            base_url=base, viewport={"width": 1280, "height": 800}, locale="de-DE"
        )
        page = wide.new_page()
        page.goto("/")
        page.get_by_role("heading", name="Leistungen der Stadt Düren").wait_for()
        page.screenshot(path=str(OUT / "start-wide.png"))
        browser.close()


if __name__ == "__main__":
    main()
