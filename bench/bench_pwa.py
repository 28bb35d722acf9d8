"""Size of the production build on first load, against its budget, and Lighthouse scores.

Run with ``python bench/bench_pwa.py`` after ``npm run build``. It prints:

* the JavaScript and CSS a first visit downloads (the entry script, everything it
  imports statically, the stylesheets), gzipped, against the budget (JS ≤ 80 KB,
  CSS ≤ 40 KB); screens loaded later, fonts and the service worker are listed apart;
* the font bytes the start page downloads in Chromium (the subset files the build
  makes), next to the size of the same faces un-subset as @kern-ux/native ships them,
  against the budget (≤ 80 KB);
* Lighthouse performance and accessibility scores for the start page on a phone
  profile, if Lighthouse is installed (``npm install --no-save lighthouse@12``) and
  Chromium runs; otherwise why not.

The exit status is 1 when a budget is exceeded. Sizes are gzip level 9, as a server
would send them; the machine baseline is printed because Lighthouse's performance
score depends on the CPU.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DIST = ROOT / "static" / "dist"
BUDGET_JS = 80 * 1024
BUDGET_CSS = 40 * 1024
BUDGET_FIRST_VIEW_FONTS = 80 * 1024
UNSUBSET_FONTS = ROOT / "node_modules" / "@kern-ux" / "native" / "dist" / "fonts" / "fira-sans"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def kb(size: int) -> str:
    return f"{size / 1024:6.1f} KB"


def first_load_files() -> tuple[list[Path], list[Path]]:
    """The scripts and stylesheets a first visit loads, following static imports."""
    html = (DIST / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]+src="/([^"]+\.js)"', html)
    scripts += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="/([^"]+)"', html)
    styles = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="/([^"]+)"', html)
    seen: list[Path] = []
    queue = [DIST / name for name in scripts]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.append(path)
        code = path.read_text(encoding="utf-8")
        # Static imports only ("import x from" / "import"), not import() of lazy screens.
        for name in re.findall(r'(?:from|import)\s*"\./([^"]+\.js)"', code):
            queue.append(path.parent / name)
    return seen, [DIST / name for name in styles]


def tool_version(command: list[str]) -> str:
    try:
        return (
            subprocess.run(command, capture_output=True, text=True, timeout=20)
            .stdout.strip()
            .splitlines()[0]
        )
    except (OSError, subprocess.SubprocessError, IndexError):
        return "not found"


def baseline() -> str:
    return (
        f"baseline: {os.cpu_count()} CPUs, {platform.platform()}, {platform.machine()}, "
        f"Python {platform.python_version()}, Node {tool_version(['node', '--version'])}, "
        f"{tool_version([CHROME, '--version'])}"
    )


def serve() -> tuple[str, object]:
    """The portal with the built app and the built-in services, on a free port."""
    from portal.local import start_local_portal

    running = start_local_portal(Path(tempfile.mkdtemp(prefix="bench-pwa-")))
    return running.base, running.server


def first_view_fonts() -> bool:
    """Prints the fonts the start page fetches in Chromium; False when over budget."""
    if not Path(CHROME).exists():
        print(f"fonts on the first view: not measured – no Chromium at {CHROME} (set CHROME_PATH)")
        return True
    from playwright.sync_api import sync_playwright

    logging.disable(logging.INFO)
    base, server = serve()
    fetched: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROME, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            page.on(
                "response",
                lambda response: response.url.endswith(".woff2") and fetched.append(response.url),
            )
            page.goto(f"{base}/", wait_until="networkidle")
            page.evaluate("document.fonts.ready.then(() => true)")
            browser.close()
    finally:
        server.shutdown()
    built = [DIST / "assets" / url.rsplit("/", 1)[1] for url in dict.fromkeys(fetched)]
    total = unsubset_total = 0
    print("fonts on the first view (start page):")
    for path in built:
        # assets/FiraSans-Regular-<hash>.woff2 was made from FiraSans-Regular.woff2.
        original = UNSUBSET_FONTS / (path.name.rsplit("-", 1)[0] + ".woff2")
        size, unsubset = path.stat().st_size, original.stat().st_size
        total, unsubset_total = total + size, unsubset_total + unsubset
        print(f"  {path.name:40} {kb(size)}  un-subset {kb(unsubset)}")
    ok = bool(built) and total <= BUDGET_FIRST_VIEW_FONTS
    print(
        f"fonts first view {kb(total)}  un-subset {kb(unsubset_total)}  "
        f"budget {kb(BUDGET_FIRST_VIEW_FONTS)}  {'OK' if ok else 'OVER BUDGET'}"
    )
    return ok


def lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        print("lighthouse: not run – not installed (npm install --no-save lighthouse@12 adds it)")
        return
    if not Path(CHROME).exists():
        print(f"lighthouse: not run – no Chromium at {CHROME} (set CHROME_PATH)")
        return
    logging.disable(logging.INFO)  # the request log of the server would drown the figures
    base, server = serve()
    report = Path(tempfile.mkdtemp(prefix="lighthouse-")) / "report.json"
    command = [
        str(LIGHTHOUSE),
        f"{base}/",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    try:
        run = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "CHROME_PATH": CHROME},
        )
    except subprocess.TimeoutExpired:
        print("lighthouse: not run – it did not finish within 5 minutes")
        return
    finally:
        server.shutdown()
    if run.returncode != 0 or not report.exists():
        reason = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
        print(f"lighthouse: failed – {reason[0]}")
        return
    data = json.loads(report.read_text(encoding="utf-8"))
    categories = data["categories"]
    audits = data["audits"]
    print(
        f"lighthouse {data['lighthouseVersion']} (mobile, simulated throttling): "
        f"performance {round(categories['performance']['score'] * 100)}, "
        f"accessibility {round(categories['accessibility']['score'] * 100)}"
    )
    for name in (
        "first-contentful-paint",
        "largest-contentful-paint",
        "total-blocking-time",
        "cumulative-layout-shift",
    ):
        print(f"  {audits[name]['title']}: {audits[name]['displayValue']}")
    shifts = audits.get("layout-shifts", {}).get("details", {}).get("items", [])
    for shift in shifts[:3]:
        snippet = shift.get("node", {}).get("snippet", "")[:80]
        print(f"  layout shift {shift.get('score', 0):.3f}: {snippet}")
    accessibility = {ref["id"] for ref in categories["accessibility"]["auditRefs"]}
    failed = [
        audit_id
        for audit_id in accessibility
        if audits[audit_id].get("scoreDisplayMode") == "binary"
        and audits[audit_id].get("score") == 0
    ]
    if failed:
        print(f"  accessibility audits failed: {', '.join(failed)}")
    shutil.rmtree(report.parent, ignore_errors=True)


def main() -> None:
    if not (DIST / "index.html").exists():
        raise SystemExit("No production build in static/dist: run 'npm run build' first.")
    print(baseline())
    scripts, styles = first_load_files()
    js = sum(gz(path) for path in scripts)
    css = sum(gz(path) for path in styles)
    every_js = sorted((DIST / "assets").glob("*.js"))
    lazy = [path for path in every_js if path not in scripts]
    fonts = sorted((DIST / "assets").glob("*.woff2"))
    print("first load (gzip -9):")
    for path in scripts + styles:
        print(f"  {path.name:40} {kb(gz(path))}")
    ok_js, ok_css = js <= BUDGET_JS, css <= BUDGET_CSS
    print(f"JS  first load {kb(js)}  budget {kb(BUDGET_JS)}  {'OK' if ok_js else 'OVER BUDGET'}")
    print(f"CSS first load {kb(css)}  budget {kb(BUDGET_CSS)}  {'OK' if ok_css else 'OVER BUDGET'}")
    print(f"later screens: {len(lazy)} chunks, {kb(sum(gz(p) for p in lazy))} gzip in total")
    font_bytes = sum(path.stat().st_size for path in fonts)
    print(f"service worker: {kb(gz(DIST / 'sw.js'))} gzip")
    print(f"fonts: {len(fonts)} files, {kb(font_bytes)} (precached for offline use)")
    ok_fonts = first_view_fonts()
    lighthouse()
    if not (ok_js and ok_css and ok_fonts):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
