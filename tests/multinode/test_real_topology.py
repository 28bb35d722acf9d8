"""Two app nodes, a worker and nginx on PostgreSQL and Redis: nothing lives on one node.

Over HTTPS through nginx (pinned to node A or B where a step needs one): a citizen signs
in on A and goes on on B; uploads on A, downloads on B; a rate limit counts across both;
a clerk's decision on B reaches the citizen's push and e-mail; node A is killed while
requests are under way and the journey completes on B. Then, with A back, 60 s at 64
connections through nginx (wrk): throughput and p99 printed, no error allowed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import uuid

import pytest
import requests

from tests.api.service_answers import complete_answers
from tests.multinode import topology
from tests.multinode.conftest import STORAGES

pytestmark = pytest.mark.multinode

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 4096
SERVICE = "dog_tax_deregistration"  # area hundesteuer, an optional proof upload
LOAD_SECONDS = 60
LOAD_CONNECTIONS = 64


def test_one_citizen_across_two_nodes_through_nginx(site):
    # TLS with the test certificate, gzip at the proxy.
    anyone = site.browser("127.0.0.1")
    catalogue = anyone.call("GET", "/api/services", headers={"Accept-Encoding": "gzip"})
    assert catalogue.status_code == 200
    assert catalogue.headers.get("Content-Encoding") == "gzip"

    # Signed in on A, still signed in on B (sessions are in the database, not a node).
    citizen = site.browser("127.0.0.2")
    email = f"citizen-{site.storage}@example.org"
    me = citizen.sign_in(email, "a")
    # The node took the citizen's address from nginx's X-Forwarded-For (one trusted
    # proxy), not nginx's own address.
    logins = site.rows(
        "SELECT ip FROM audit_event WHERE action = 'login' AND actor_id = %s", me["user"]["id"]
    )
    assert logins == [("127.0.0.2",)]
    session_b = citizen.call("GET", "/api/auth/session", "b").json()
    assert session_b["authenticated"] and session_b["user"]["id"] == me["user"]["id"]

    # A draft started on B, a file uploaded on A, downloaded on B.
    draft = citizen.call(
        "POST",
        "/api/applications",
        "b",
        json={"service_id": SERVICE, "answers": {}},
        headers={"Idempotency-Key": f"draft-{uuid.uuid4()}"},
    )
    assert draft.status_code in (200, 201), draft.text
    draft = draft.json()
    uploaded = citizen.call(
        "POST",
        f"/api/applications/{draft['id']}/attachments",
        "a",
        data={"field_id": "proof"},
        files={"file": ("Nachweis.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    upload = uploaded.json()
    downloaded = citizen.call(
        "GET", f"/api/applications/{draft['id']}/attachments/{upload['upload_id']}", "b"
    )
    assert downloaded.status_code == 200 and downloaded.content == PDF
    if site.storage != "local":
        # In the shared storage, not on the disk of the node that took the upload.
        assert len(PDF) in site.stored_sizes()
        assert site.node_files_holding(PDF) == []

    # A rate limit counts across both nodes: 3 codes per address in 10 minutes.
    limited = site.browser("127.0.0.4")
    target = f"limit-{site.storage}@example.org"
    answers = [
        limited.call("POST", "/api/auth/email/start", node, json={"email": target}).status_code
        for node in ("a", "b", "a", "b")
    ]
    assert answers == [202, 202, 202, 429], answers

    # The clerk signs in while both nodes run; the citizen's phone takes pushes.
    site.flask(
        "users",
        "create",
        f"clerk-{site.storage}@example.org",
        "--role",
        "staff",
        "--area",
        "hundesteuer",
    )
    clerk = site.browser("127.0.0.3")
    clerk.sign_in(f"clerk-{site.storage}@example.org", "a")
    key = citizen.call("GET", "/api/push/public-key", "a").json()["public_key"]
    phone = site.push.subscribe(application_server_key=key)
    device = citizen.call(
        "POST",
        "/api/push/subscriptions",
        "a",
        json={**phone.info, "expirationTime": None, "language": "de"},
    )
    assert device.status_code == 201, device.text

    # Node A dies while reads are under way: nginx passes every request A had not
    # started to answer on to B, so none of those fails. An answer A was already
    # sending when it died cannot be passed on (its first bytes have reached the
    # browser): the browser sees a broken connection and asks again, which must work.
    failures: list[str] = []
    cut_off: list[str] = []
    stop = threading.Event()

    def keep_reading() -> None:
        reader = site.browser("127.0.0.5")
        while not stop.is_set():
            try:
                try:
                    response = reader.call("GET", "/api/services")
                except requests.exceptions.ChunkedEncodingError as error:
                    cut_off.append(str(error)[:200])
                    response = reader.call("GET", "/api/services")
            except Exception as error:
                failures.append(f"{type(error).__name__}: {str(error)[:200]}")
                continue
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:200]}")

    readers = [threading.Thread(target=keep_reading) for _ in range(4)]
    for thread in readers:
        thread.start()
    threading.Event().wait(1.0)
    site.nodes["a"].kill()
    threading.Event().wait(2.0)
    stop.set()
    for thread in readers:
        thread.join()
    print(f"\n[multinode] answers cut off by the kill and asked again: {len(cut_off)}")
    assert not failures, failures

    # The journey completes on the node that is left, through the whole site.
    answers = complete_answers(SERVICE) | {
        "proof": [{k: upload[k] for k in ("upload_id", "filename", "content_type", "size")}]
    }
    saved = citizen.call(
        "PUT",
        f"/api/applications/{draft['id']}",
        json={"answers": answers},
        headers={"If-Match": f'"{draft["revision"]}"'},
    )
    assert saved.status_code == 200, saved.text
    submitted = citizen.call(
        "POST",
        f"/api/applications/{draft['id']}/submit",
        headers={"Idempotency-Key": f"submit-{uuid.uuid4()}"},
    )
    assert submitted.status_code == 201, submitted.text
    reference = submitted.json()["reference"]

    # The clerk decides on B; push and mail reach the citizen through the worker.
    mails_before = len(site.smtp.messages_to(email))
    detail = clerk.call("GET", f"/api/staff/applications/{reference}", "b").json()
    [approve] = [a for a in detail["staff_actions"] if a["to"] == "approved"]
    assert approve["notify"] is True
    moved = clerk.call(
        "POST",
        f"/api/staff/applications/{reference}/transitions",
        "b",
        json={"to": "approved", "message": ""},
    )
    assert moved.status_code == 200, moved.text
    pushes = topology.wait_until(lambda: site.push.deliveries, "the push of the decision", 90)
    assert [push.payload["body"] for push in pushes] == ["Neuer Status: Genehmigt"]
    mails = topology.wait_until(
        lambda: [
            m
            for m in site.smtp.messages_to(email)[mails_before:]
            if "Entscheidung zu Ihrem Antrag" in str(m["Subject"])
        ],
        "the mail of the decision",
        60,
    )
    assert len(mails) == 1
    status = citizen.call("GET", f"/api/applications/{draft['id']}").json()["status"]
    assert status == "approved"

    # The citizen's file is still there for the clerk, whichever node answers.
    again = citizen.call(
        "GET", f"/api/applications/{draft['id']}/attachments/{upload['upload_id']}"
    )
    assert again.status_code == 200 and again.content == PDF

    if site.storage == STORAGES[-1]:
        site.restart("a")
        _load(site, citizen.headers["Cookie"])


WRK_SCRIPT = """
local paths = {"/api/services", "/api/auth/session", "/api/applications"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
"""


def _load(site, cookie: str) -> None:
    """60 s at 64 connections through nginx: print throughput and p99, allow no error."""
    wrk = shutil.which("wrk")
    assert wrk, "wrk is missing (scripts/test.sh installs it)"
    script = site.logs / "load.lua"
    script.write_text(WRK_SCRIPT)
    done = subprocess.run(
        [
            wrk,
            "-t",
            "2",
            "-c",
            str(LOAD_CONNECTIONS),
            "-d",
            f"{LOAD_SECONDS}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"Cookie: {cookie}",
            site.nginx.base,
        ],
        capture_output=True,
        text=True,
        timeout=LOAD_SECONDS + 60,
    )
    report = done.stdout
    print(f"\n[multinode] load through nginx, {site.mode}, storage={site.storage}:\n{report}")
    assert done.returncode == 0, done.stderr
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", report, re.MULTILINE).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    socket_errors = re.search(r"Socket errors: (.*)", report)
    print(
        f"[multinode] {rate:.0f} requests/s, p99 {p99}, "
        f"errors: {non_2xx.group(1) if non_2xx else 0} non-2xx, "
        f"{socket_errors.group(1) if socket_errors else 'no socket errors'}"
    )
    assert non_2xx is None and socket_errors is None, report
    assert rate > 0
