"""In-browser pass verification: 1,000 verifications in Chromium, beside the server's.

Run with ``python bench/bench_parking_browser.py [count] [seconds]`` (defaults: 1000
verifications in the browser, 2 seconds per server-side measurement). It prints, from
one run on one machine:

* the machine baseline (bench/measure.py) and the Chromium version;
* server side: ``app.passes.verify_pass`` per second, beside the bare ECDSA P-256
  verification of the ``cryptography`` package it is built on;
* browser side: ``count`` verifications by the scanner's own code
  (``pwa/src/lib/passes``, bundled with esbuild from the same source as the app's
  chunk) in headless Chromium, timed with ``performance.now()``: total, per pass,
  median / 99th percentile / slowest single verdict, the cold first verdict (key
  import included), beside the bare WebCrypto ECDSA P-256 verification of the same
  signature measured in the same page.

Both sides verify the same pass against the same key set, with a revocation list of
10,000 entries (none matching) and the zone check, exactly as the scanner does. The
officers' requirement is a verdict in under one second; the figures show by how much
that is met on this machine.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from measure import machine_baseline, rate  # noqa: E402

from app.passes import (  # noqa: E402
    encode_pass,
    generate_signing_key,
    new_claims,
    parse_keyset,
    revocation_entry,
    verify_pass,
)
from app.passes.codec import unwrap_pass  # noqa: E402
from app.passes.keyset import STATUS_CURRENT, build_keyset, public_key_record  # noqa: E402
from app.passes.qr import qr_version  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
REVOKED = 10_000

BROWSER_RUN = """async ({keyset, text, revoked, count, today, signature, data}) => {
    const P = globalThis.BPPasses;
    const t0 = performance.now();
    const parsed = await P.parseKeyset(keyset);
    const importMs = performance.now() - t0;
    const set = new Set(revoked);
    // The bare primitive: WebCrypto ECDSA P-256 over the same bytes, the same count,
    // before and after the run (the faster of the two counts, as for the server).
    const key = [...parsed.keys.values()][0].cryptoKey;
    const sig = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
    const msg = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bare = async () => {
        const b0 = performance.now();
        for (let i = 0; i < count; i += 1) {
            const ok = await crypto.subtle.verify({name: 'ECDSA', hash: 'SHA-256'}, key, sig, msg);
            if (!ok) throw new Error('bare verify failed');
        }
        return performance.now() - b0;
    };
    const day = P.isoToDay(today);
    const options = {keyset: parsed, revoked: set, zone: 'A', today: day};
    const t1 = performance.now();
    const first = await P.verifyPass(text, options);
    const firstMs = performance.now() - t1;
    const bareBefore = await bare();
    if (!first.valid) return {error: first.reason + ' ' + first.detail};
    const each = new Float64Array(count);
    const start = performance.now();
    for (let i = 0; i < count; i += 1) {
        const s = performance.now();
        const verdict = await P.verifyPass(text, options);
        each[i] = performance.now() - s;
        if (!verdict.valid) return {error: 'verdict changed: ' + verdict.reason};
    }
    const totalMs = performance.now() - start;
    const bareMs = Math.min(bareBefore, await bare());
    return {importMs, firstMs, totalMs, bareMs, each: Array.from(each)};
}"""


def bundle() -> str:
    """The scanner's verification code (pwa/src/lib/passes) as one classic script."""
    built = subprocess.run(
        [
            str(ESBUILD),
            str(ROOT / "pwa" / "src" / "lib" / "passes" / "index.js"),
            "--bundle",
            "--minify",
            "--format=iife",
            "--global-name=BPPasses",
            "--target=es2022",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return built.stdout + "\nglobalThis.BPPasses = BPPasses;\n"


def serve_blank_page() -> tuple[http.server.ThreadingHTTPServer, str]:
    """A page on http://127.0.0.1 (WebCrypto needs a secure context; about:blank is not)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-passes-"))
    (folder / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>bench</title>", encoding="utf-8"
    )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/index.html"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    key = generate_signing_key()
    claims = new_claims(
        permit_no="DN-2026-004711",
        plates=["DN-AB 1234"],
        zone="A",
        valid_from=date(2026, 5, 1),
        valid_to=date(2027, 4, 30),
        sequence=1,
        issuer="DN",
        issued_at=datetime(2026, 4, 28, 9, 30, tzinfo=UTC),
    )
    record = public_key_record(key.private_key.public_key(), 0, None, STATUS_CURRENT)
    keyset_json = build_keyset("DN", [record], issued_at=1777368600)
    keyset = parse_keyset(keyset_json)
    revoked = {revocation_entry(f"DN-2025-{n:06d}", 1) for n in range(REVOKED)}
    text = encode_pass(claims, key)
    today = date(2026, 6, 15)
    if not verify_pass(text, keyset, revoked, zone="A", today=today).valid:
        raise SystemExit("benchmark pass does not verify")
    message = unwrap_pass(text)
    tbs = message.to_be_signed()
    r = int.from_bytes(message.signature[:32], "big")
    s = int.from_bytes(message.signature[32:], "big")
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    der = encode_dss_signature(r, s)
    public = key.private_key.public_key()

    from playwright.sync_api import sync_playwright

    script = bundle()
    server, url = serve_blank_page()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        version = browser.version
        print(machine_baseline(f"Chromium {version}"))
        print(
            f"pass: {len(text)} characters, QR version {qr_version(text)}; "
            f"revocation list {REVOKED:,} entries (none matching); zone checked"
        )
        server_rate = rate(
            lambda: verify_pass(text, keyset, revoked, zone="A", today=today), seconds
        )
        bare_rate = rate(lambda: public.verify(der, tbs, ec.ECDSA(hashes.SHA256())), seconds)
        page = browser.new_page()
        page.goto(url)
        page.evaluate(script)
        result = page.evaluate(
            BROWSER_RUN,
            {
                "keyset": keyset_json,
                "text": text,
                "revoked": [entry.hex() for entry in revoked],
                "count": count,
                "today": today.isoformat(),
                "signature": base64.b64encode(message.signature).decode(),
                "data": base64.b64encode(tbs).decode(),
            },
        )
        browser.close()
    server.shutdown()
    if "error" in result:
        raise SystemExit(f"browser verification failed: {result['error']}")
    each = result["each"]
    browser_rate = count / (result["totalMs"] / 1000)
    browser_bare = count / (result["bareMs"] / 1000)
    print(
        f"server  app.passes.verify_pass          {server_rate:9.0f} /s  "
        f"({1e6 / server_rate:7.0f} µs each)"
    )
    print(
        f"  bare  cryptography ECDSA P-256 verify {bare_rate:9.0f} /s  "
        f"({1e6 / bare_rate:7.0f} µs each)  verify_pass = {server_rate / bare_rate:.2f} × bare"
    )
    print(
        f"browser pwa/src/lib/passes verifyPass   {browser_rate:9.0f} /s  "
        f"({result['totalMs'] * 1000 / count:7.0f} µs each)  "
        f"{count} verifications in {result['totalMs']:.0f} ms"
    )
    print(
        f"  bare  WebCrypto ECDSA P-256 verify    {browser_bare:9.0f} /s  "
        f"({result['bareMs'] * 1000 / count:7.0f} µs each)  "
        f"verifyPass = {browser_rate / browser_bare:.2f} × bare"
    )
    print(
        f"  single verdicts (timer resolution 0.1 ms): median {statistics.median(each):.2f} ms, "
        f"99th percentile {pct(each, 0.99):.2f} ms, slowest {max(each):.2f} ms; "
        f"cold first verdict {result['firstMs']:.1f} ms after importing the key set in "
        f"{result['importMs']:.1f} ms (budget: 1000 ms)"
    )
    print(f"browser / server: {browser_rate / server_rate:.2f}")
    print(
        json.dumps(
            {
                "server_per_s": round(server_rate),
                "server_bare_per_s": round(bare_rate),
                "browser_per_s": round(browser_rate),
                "browser_bare_per_s": round(browser_bare),
                "browser_count": count,
                "browser_total_ms": round(result["totalMs"], 1),
                "browser_p99_ms": round(pct(each, 0.99), 3),
                "browser_cold_first_ms": round(result["firstMs"], 2),
            }
        )
    )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.1f} s)")
