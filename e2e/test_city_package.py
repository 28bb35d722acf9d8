"""One build, another city: the portal started for the Gütersloh demo package shows its
name, colours, emblem, manifest, address and streets, and passes axe-core."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from e2e.conftest import ROOT, assert_accessible


@pytest.fixture(scope="module")
def guetersloh(tmp_path_factory) -> Iterator[str]:
    """A portal for Gütersloh in a process of its own (a process serves one city)."""
    if not (ROOT / "static" / "dist" / "index.html").exists():
        pytest.fail("The PWA is not built: run 'npm run build' (the test command does).")
    instance = tmp_path_factory.mktemp("guetersloh-instance")
    server = subprocess.Popen(
        [sys.executable, "-m", "portal.local", str(instance), "guetersloh"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PORTAL_ENV": "test"},
    )
    try:
        base = server.stdout.readline().strip()
        assert base.startswith("http://localhost:"), "the portal did not start"
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_portal_shows_the_city_of_its_package(browser, guetersloh):
    context = browser.new_context(
        base_url=guetersloh, viewport={"width": 360, "height": 800}, locale="de-DE"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/")
    # The shell the server renders names the city; each page's title ends with it.
    assert "<title>Bürgerportal Gütersloh</title>" in page.request.get("/").text()
    expect(page).to_have_title(
        "Ihre Anliegen bei der Stadt Gütersloh – online – Bürgerportal Gütersloh"
    )
    expect(page.get_by_role("link", name="Bürgerportal Gütersloh").first).to_be_visible()
    expect(page.get_by_text("Offizielles Angebot der Stadt Gütersloh")).to_be_visible()
    expect(page.locator(".site-footer")).to_contain_text("Berliner Straße 70, 33330 Gütersloh")
    expect(page.locator(".site-title__logo")).to_have_attribute("src", "/city/logo.svg")
    # KERN's action colour is the city's (from /city.css, no inline style).
    colour = page.evaluate(
        "() => getComputedStyle(document.documentElement)"
        ".getPropertyValue('--kern-color-action-default').trim()"
    )
    assert colour == "#00654a"
    assert page.evaluate("() => document.querySelector('meta[name=theme-color]').content") == (
        "#00654a"
    )
    assert_accessible(page, "guetersloh-start")

    manifest = page.request.get("/manifest.webmanifest").json()
    assert manifest["name"] == "Bürgerportal Gütersloh" and manifest["theme_color"] == "#00654a"

    # The street directory is the city's: its streets are found, another city's not.
    found = page.request.get("/api/streets?q=K%C3%B6ker").json()
    assert [street["name"] for street in found] == ["Kökerstraße"]
    assert page.request.get("/api/streets?q=Kaiserplatz").json() == []

    page.goto("/impressum")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Stadt Gütersloh")
    expect(page.locator("main")).to_contain_text("05241 82-0")
    expect(page.locator("main")).not_to_contain_text("Düren")
    assert_accessible(page, "guetersloh-imprint")
    context.close()
