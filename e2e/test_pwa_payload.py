"""What a device downloads ahead: a citizen's first visit fetches none of the officers'
scanner files (its 1 MB QR reader WebAssembly, the scanner's code) and none of the
clerks' screens; an officer's device caches them once an officer is signed in, and the
scanner then opens offline with the reader served from that cache. The fonts are the
build's subsets and say so in their unicode-range, so the browser takes a fallback font
for any other character instead of showing a missing glyph."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from playwright.sync_api import expect

from e2e.conftest import ROOT, assert_accessible, sign_in, wait_for_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]

GROUP_ENTRY = re.compile(r'\{[^{}]*"group":"\w+"[^{}]*\}')

CACHED_URLS = """async (name) => {
    if (!(await caches.has(name))) return null;
    return (await (await caches.open(name)).keys()).map((request) => request.url);
}"""


HOLDS = """async ([name, path]) => {
    const cache = await caches.open(name);
    return (await cache.keys()).some((request) => new URL(request.url).pathname === path);
}"""


def role_files(context) -> dict[str, set[str]]:
    """The service worker's role-only files, by group, as "/assets/…" paths."""
    sw = context.request.get("/sw.js").text()
    groups: dict[str, set[str]] = {}
    for entry in map(json.loads, GROUP_ENTRY.findall(sw)):
        groups.setdefault(entry["group"], set()).add("/" + entry["url"])
    if not groups.get("officer") or not groups.get("staff") or not groups.get("admin"):
        pytest.fail(f"sw.js lists no officer, staff and admin files: {groups}")
    return groups


def precache_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const name = (await caches.keys()).find((key) => key.startsWith('workbox-precache'));
            return (await (await caches.open(name)).keys()).map((request) => request.url);
        }"""
    )


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3].split("?")[0]


def test_the_officer_files_are_the_scanner_and_its_webassembly(phone):
    groups = role_files(phone)
    officer = groups["officer"]
    assert any(re.fullmatch(r"/assets/zxing_reader-[\w-]+\.wasm", path) for path in officer)
    assert any(re.fullmatch(r"/assets/officer-[\w-]+\.js", path) for path in officer)
    # The polyfill's glue code around the WebAssembly is the officers' only, too.
    assert any(re.fullmatch(r"/assets/ponyfill-[\w-]+\.js", path) for path in officer)
    assert any(re.fullmatch(r"/assets/staff-[\w-]+\.js", path) for path in groups["staff"])
    # Nothing the start page loads is in a group.
    html = phone.request.get("/").text()
    first_load = set(re.findall(r'(?:src|href)="(/assets/[^"]+)"', html))
    assert first_load and not first_load & (officer | groups["staff"] | groups["admin"])


def test_a_citizens_first_visit_fetches_no_scanner_or_clerk_files(phone):
    groups = role_files(phone)
    role_only = groups["officer"] | groups["staff"] | groups["admin"]
    requested: list[str] = []
    # On the context: requests of the service worker (the precache) are seen too.
    phone.on("request", lambda request: requested.append(request.url))
    page = phone.new_page()
    page.goto("/")
    wait_for_offline_ready(page)
    sign_in(phone, "payload.citizen@example.org", given_names="Clara", family_name="Bauer")
    page.goto("/konto")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    page.reload()
    wait_for_offline_ready(page)

    paths = [path_of(url) for url in requested if url.startswith("http")]
    # The precache was downloaded while this test listened: a form chunk the start page
    # does not load is among the requests, so the list below is complete.
    assert any(re.fullmatch(r"/assets/form-[\w-]+\.js", path) for path in paths), paths
    assert [path for path in paths if path.endswith(".wasm")] == []
    assert sorted(set(paths) & role_only) == []
    precached = {path_of(url) for url in precache_urls(page)}
    assert not precached & role_only
    assert (
        page.evaluate("async () => (await caches.keys()).filter((k) => k.startsWith('role-'))")
        == []
    )


def test_an_officers_device_keeps_the_scanner_and_opens_it_offline(phone):
    officer_files = role_files(phone)["officer"]
    sign_in(phone, "payload.officer@example.org", role="officer")
    page = phone.new_page()
    page.goto("/")
    # "Ready for offline" waits until the officers' files are cached as well.
    wait_for_offline_ready(page)
    cached = page.evaluate(CACHED_URLS, "role-assets-officer")
    assert cached is not None, "no officer cache on an officer's device"
    assert {path_of(url) for url in cached} == officer_files
    # The clerks' screens are not the officer's.
    assert page.evaluate(CACHED_URLS, "role-assets-staff") is None

    phone.set_offline(True)
    reader = []
    page.on(
        "response",
        lambda response: response.url.endswith(".wasm") and reader.append(response),
    )
    page.goto("/kontrolle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Parkausweise prüfen")
    # The scanner prepares its reader on opening: the WebAssembly comes from the cache.
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm'))"
    )
    assert reader, "the scanner did not load its reader"
    assert reader[0].status == 200 and reader[0].from_service_worker
    assert reader[0].header_value("content-type") == "application/wasm"
    assert_accessible(page, "scanner-offline-from-role-cache")
    phone.set_offline(False)


def test_a_new_version_brings_the_officers_files_along_and_drops_the_old(portal, phone, tmp_path):
    # Serve a copy of the build, so a release with a new reader can be simulated.
    release = tmp_path / "dist"
    shutil.copytree(ROOT / "static" / "dist", release)
    original = portal.app.config["STATIC_DIR"]
    portal.app.config["STATIC_DIR"] = str(release)
    try:
        old = next(path for path in role_files(phone)["officer"] if path.endswith(".wasm"))
        sign_in(phone, "payload.update@example.org", role="officer")
        page = phone.new_page()
        page.goto("/")
        wait_for_offline_ready(page)
        assert old in {path_of(url) for url in page.evaluate(CACHED_URLS, "role-assets-officer")}

        new = "/assets/zxing_reader-NextRelease.wasm"
        shutil.copy(release / old.lstrip("/"), release / new.lstrip("/"))
        sw = release / "sw.js"
        sw.write_text(sw.read_text(encoding="utf-8").replace(old[1:], new[1:]), encoding="utf-8")
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
        # The new version, while it installs, caches its reader next to the old one,
        # which the open page may still need.
        page.wait_for_function(HOLDS, arg=["role-assets-officer", new], timeout=20_000)
        assert page.evaluate(HOLDS, ["role-assets-officer", old])
        expect(
            page.get_by_text("Eine neue Version des Bürgerportals ist verfügbar.")
        ).to_be_visible()

        # Once the new version is in charge, the old reader goes. Checked in the reloaded
        # page, with the new version activated: a page being unloaded may see no caches.
        with page.expect_navigation():
            page.get_by_role("button", name="Neu laden").click()
        wait_for_offline_ready(page)
        page.wait_for_function(
            "() => navigator.serviceWorker.controller?.state === 'activated'", timeout=20_000
        )
        page.wait_for_function(
            "async (args) => !(await (" + HOLDS + ")(args))",
            arg=["role-assets-officer", old],
            timeout=20_000,
        )
        held = {path_of(url) for url in page.evaluate(CACHED_URLS, "role-assets-officer")}
        assert new in held and old not in held, held
    finally:
        portal.app.config["STATIC_DIR"] = original


def test_fonts_declare_the_subset_they_hold_in_unicode_range(phone):
    page = phone.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.evaluate("document.fonts.ready.then(() => true)")
    faces = page.evaluate(
        """() => [...document.fonts].filter((f) => f.family.includes('Fira Sans'))
            .map((f) => ({weight: f.weight, range: f.unicodeRange, status: f.status}))"""
    )
    # Latin up to Extended-A, punctuation and the euro; not the whole font.
    latin = [face for face in faces if face["range"].startswith("U+0-17F")]
    assert len(latin) == 3, faces
    for face in latin:
        assert "U+20AC" in face["range"], face
        assert "U+400" not in face["range"] and "U+600" not in face["range"], face
    assert {face["status"] for face in latin if face["weight"] in ("300 400", "600 900")} == {
        "loaded"
    }, faces
    # Cyrillic (Ukrainian) and Arabic have files of their own, which a German page never
    # fetches: the first view stays within its font budget.
    others = [face for face in faces if face not in latin]
    assert {face["range"].split(",")[0] for face in others} >= {"U+2BC", "U+600-6FF"}, faces
    assert {face["status"] for face in others} == {"unloaded"}, faces
    assert page.evaluate("""() => document.fonts.check('16px "Fira Sans"', 'Größe 12 € – „ß“')""")
