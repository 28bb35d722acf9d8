"""The production topology on one machine: two app nodes, a worker and nginx in front.

Each app node is a gunicorn started by ``deploy/entrypoint.sh app`` (what the image runs)
in a network namespace of its own, joined to the host by a veth pair; where the machine
does not allow ``ip netns``, the nodes run on separate loopback ports instead (said on
the console). Nodes never share a folder: each has its own instance folder, and every
key comes from the mounted secrets folder (``PORTAL_SECRETS_DIR``). nginx runs
``deploy/nginx/portal.conf`` as shipped, with only the addresses, ports and paths of this
machine put in; its stream module relays PostgreSQL, Redis and the object store into the
namespaces (they listen on the host's loopback only). Two more TLS servers in the same
nginx reach one node each, so a test can pin a request to node A or B.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STREAM_MODULE = Path("/usr/lib/nginx/modules/ngx_stream_module.so")
NODE_PORT = 8000
# Generous: once /api/health also waits for the worker's first heartbeat, a node reads as
# healthy only after the worker has written one.
STARTUP_SECONDS = 90


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``localhost`` and 127.0.0.1: (cert.pem, key.pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


# --- Network namespaces ------------------------------------------------------------------


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check)


@dataclass
class Namespace:
    """A network namespace joined to the host by a veth pair (a /30 of its own)."""

    name: str
    host_ip: str
    node_ip: str

    def create(self) -> None:
        """Make the namespace, its veth pair and addresses, and bring the links up."""
        host_if, node_if = f"{self.name}-h", f"{self.name}-n"
        _ip("netns", "add", self.name)
        _ip("link", "add", host_if, "type", "veth", "peer", "name", node_if)
        _ip("link", "set", node_if, "netns", self.name)
        _ip("addr", "add", f"{self.host_ip}/30", "dev", host_if)
        _ip("link", "set", host_if, "up")
        _ip("-n", self.name, "addr", "add", f"{self.node_ip}/30", "dev", node_if)
        _ip("-n", self.name, "link", "set", node_if, "up")
        _ip("-n", self.name, "link", "set", "lo", "up")

    def delete(self) -> None:
        """Remove the namespace (its veth end goes with it, and so the host's)."""
        _ip("link", "del", f"{self.name}-h", check=False)
        _ip("netns", "del", self.name, check=False)


def namespaces_allowed() -> bool:
    """True when this process may make network namespaces (root with ``ip netns``)."""
    if shutil.which("ip") is None or os.geteuid() != 0:
        return False
    probe = f"bpprobe{os.getpid() % 100000}"
    made = _ip("netns", "add", probe, check=False).returncode == 0
    if made:
        _ip("netns", "del", probe, check=False)
    return made


def namespace_pair() -> list[Namespace]:
    """Two namespaces with addresses unlikely to clash with another run's."""
    slot = os.getpid() % 60
    return [
        Namespace(
            f"bp{os.getpid() % 100000}{letter}",
            f"10.213.{slot}.{4 * i + 1}",
            f"10.213.{slot}.{4 * i + 2}",
        )
        for i, letter in enumerate("ab")
    ]


# --- Processes ---------------------------------------------------------------------------


@dataclass
class Process:
    """A started child process with its log file; stopped as a whole process group."""

    name: str
    popen: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the process and every child of it (gunicorn's workers)."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


def start(name: str, argv: list[str], env: Mapping[str, str], logs: Path) -> Process:
    """Start ``argv`` in its own process group, output to ``logs/<name>.log``."""
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    handle = log.open("ab")
    popen = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=dict(env),
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    return Process(name, popen, log)


def entrypoint(command: str) -> list[str]:
    """The image's entry point with ``command`` (migrate, app, worker, or a command)."""
    return ["bash", str(ROOT / "deploy" / "entrypoint.sh"), command]


def wait_until(
    condition, what: str, seconds: float = STARTUP_SECONDS, watch: Process | None = None
):
    """Poll ``condition`` until it returns something true; fail naming ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if watch is not None and not watch.alive():
            raise AssertionError(f"{watch.name} ended early:\n{watch.output()[-4000:]}")
        try:
            result = condition()
        except (requests.RequestException, OSError):
            result = None
        if result:
            return result
        time.sleep(0.2)
    detail = f"\n{watch.output()[-4000:]}" if watch is not None else ""
    raise AssertionError(f"timed out waiting for {what}{detail}")


# --- nginx -------------------------------------------------------------------------------


def _replace(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced; fails when the shipped config no longer has it."""
    assert old in text, f"deploy/nginx/portal.conf no longer contains {old!r}"
    return text.replace(old, new)


@dataclass
class Nginx:
    """The proxy: the shipped site on ``port`` (TLS), one pinned TLS port per node."""

    folder: Path
    port: int
    http_port: int
    pinned: dict[str, int] = field(default_factory=dict)
    process: Process | None = None

    @property
    def base(self) -> str:
        return f"https://localhost:{self.port}"

    def url(self, node: str | None = None) -> str:
        """The address of the whole site, or of one node (``"a"``/``"b"``) through nginx."""
        return self.base if node is None else f"https://localhost:{self.pinned[node]}"

    def render(
        self, nodes: dict[str, str], relays: list[tuple[str, int, int]], use_stream: bool
    ) -> Path:
        """Write nginx.conf: portal.conf with this machine's addresses, pinned servers,
        and the stream relays ``(listen address, port, loopback port)``."""
        tls = self.folder / "tls"
        make_certificate(tls)
        cache = self.folder / "cache"
        for sub in ("cache", "tmp"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        site = (ROOT / "deploy" / "nginx" / "portal.conf").read_text()
        servers = "".join(
            f"server {address} max_fails=1 fail_timeout=10s;\n    " for address in nodes.values()
        ).rstrip()
        site = _replace(site, "server app:8000 max_fails=1 fail_timeout=10s;", servers)
        site = _replace(site, "listen 80;", f"listen 127.0.0.1:{self.http_port};")
        site = _replace(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{self.port} ssl http2;")
        site = _replace(site, "/etc/nginx/portal/tls/", f"{tls}/")
        site = _replace(site, "/var/cache/nginx/portal", str(cache))
        (self.folder / "portal.conf").write_text(site)
        pinned = []
        for node, address in nodes.items():
            pinned.append(
                f"""
    upstream portal_node_{node} {{ server {address}; keepalive 8; }}
    server {{
        listen 127.0.0.1:{self.pinned[node]} ssl;
        ssl_certificate {tls}/cert.pem;
        ssl_certificate_key {tls}/key.pem;
        client_max_body_size 12m;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        proxy_set_header X-Forwarded-Port $server_port;
        location / {{ proxy_pass http://portal_node_{node}; }}
    }}"""
            )
        stream = ""
        if use_stream:
            stream = (
                "stream {\n"
                + "".join(
                    f"    server {{ listen {address}:{port}; proxy_pass 127.0.0.1:{target}; }}\n"
                    for address, port, target in relays
                )
                + "}\n"
            )
        tmp = self.folder / "tmp"
        conf = f"""
{f"load_module {STREAM_MODULE};" if use_stream else ""}
user root;
worker_processes 2;
daemon off;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {self.folder}/portal.conf;
    {"".join(pinned)}
}}
{stream}
"""
        path = self.folder / "nginx.conf"
        path.write_text(conf)
        return path

    def start(self, logs: Path) -> None:
        """Check the configuration, then run nginx in the foreground of its own group."""
        conf = self.folder / "nginx.conf"
        checked = subprocess.run(
            [NGINX, "-t", "-c", str(conf), "-p", str(self.folder)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        self.process = start(
            "nginx", [NGINX, "-c", str(conf), "-p", str(self.folder)], os.environ, logs
        )

    @property
    def ca(self) -> str:
        return str(self.folder / "tls" / "cert.pem")


def database_url_at(url: str, host: str, port: int, name: str) -> str:
    """``url`` pointing at ``host:port`` and database ``name`` instead."""
    parts = urlsplit(url)
    auth = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return f"{parts.scheme}://{auth}{host}:{port}/{name}"
