"""Serving the built PWA: shell for app routes, files with the right caching, 404s."""

from __future__ import annotations

import pytest


@pytest.fixture
def built(app, tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><head><title>Bürgerportal</title></head><body>Shell</body></html>"
    )
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "sw.js").write_text("self.addEventListener('fetch', () => {})")
    monkeypatch.setitem(app.config, "STATIC_DIR", str(tmp_path))
    return tmp_path


def test_app_routes_get_the_shell(client, built):
    for path in ("/", "/konto", "/anmelden"):
        response = client.get(path)
        assert response.status_code == 200 and b"Shell" in response.data
        # The active city's name and data, rendered by the server (one build, any city).
        assert "<title>Bürgerportal Düren</title>" in response.text
        assert '<script type="application/json" id="city-data">' in response.text
        assert response.headers["Cache-Control"] == "no-cache"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_hashed_assets_are_immutable_and_worker_is_not(client, built):
    asset = client.get("/assets/index-abc123.js")
    assert asset.status_code == 200 and "immutable" in asset.headers["Cache-Control"]
    assert client.get("/sw.js").headers["Cache-Control"] == "no-cache"


def test_missing_files_and_traversal_are_404(client, built):
    assert client.get("/assets/missing.js").status_code == 404
    assert client.get("/../pyproject.toml").status_code == 404
    assert client.get("/assets/..%2f..%2fpyproject.toml").status_code == 404
    assert client.get("/api/unknown").get_json()["code"] == "not_found"


def test_unbuilt_app_says_how_to_build(client, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "STATIC_DIR", str(tmp_path / "nothing"))
    body = client.get("/").get_json()
    assert body["code"] == "app_not_built"


def test_development_sends_ip_address_to_localhost(client, app, built, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ENV", "development")
    response = client.get("/konto?x=1", base_url="http://127.0.0.1:5000")
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost:5000/konto?x=1"


def test_precompressed_copies_are_sent_to_clients_that_accept_gzip(client, built):
    import gzip

    (built / "assets" / "scan-abc.wasm").write_bytes(b"\x00asm\x01\x00\x00\x00")
    (built / "assets" / "scan-abc.wasm.gz").write_bytes(gzip.compress(b"\x00asm\x01\x00\x00\x00"))
    (built / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(b"console.log(1)"))
    packed = client.get("/assets/scan-abc.wasm", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Content-Type"] == "application/wasm"
    script = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert (
        script.headers["Content-Encoding"] == "gzip"
        and "charset=utf-8" in script.headers["Content-Type"]
    )
    plain = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data == b"console.log(1)"
    assert "Accept-Encoding" in plain.headers["Vary"]
