"""The running topology for the multi-node test (see topology.py), once per storage."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg2
import pytest
import redis
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from requests.adapters import HTTPAdapter

from tests.fakes.push_service import FakePushService
from tests.fakes.smtp_server import SmtpServer
from tests.multinode import topology
from tests.multinode.topology import BIN, NODE_PORT, Nginx, Process

# The storage package (app/storage, settings PORTAL_STORAGE and PORTAL_S3_*) comes with
# another part of the same change. Until it is there, nodes share one instance folder for
# files and get their keys in the environment too, and the run says so.
STORAGE_PACKAGE = importlib.util.find_spec("app.storage") is not None
STORAGES = ["postgres", "s3"] if STORAGE_PACKAGE else ["local"]
BUCKET = "portal-files"


def _urls() -> tuple[str, str]:
    pg, rd = os.environ.get("TEST_POSTGRES_URL"), os.environ.get("TEST_REDIS_URL")
    if not (pg and rd):
        message = (
            "the multi-node test needs TEST_POSTGRES_URL and TEST_REDIS_URL "
            "(scripts/test.sh sets them when PostgreSQL and Redis run)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return pg, rd


class SourceAddress(HTTPAdapter):
    """Connections from one loopback address: each client is a different machine to
    nginx and so to the portal's per-address rate limits."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Browser:
    """A citizen's or clerk's browser: its own address, session cookie and CSRF token,
    sending to the whole site or pinned to node ``"a"`` or ``"b"`` (through nginx)."""

    def __init__(self, site: Site, address: str) -> None:
        self.site = site
        self.http = requests.Session()
        self.http.verify = site.nginx.ca
        adapter = SourceAddress(address)
        self.http.mount("https://", adapter)
        self.headers = {"Origin": site.nginx.base, "Accept-Language": "de"}

    def call(self, method: str, path: str, node: str | None = None, **options: Any):
        headers = {**self.headers, **options.pop("headers", {})}
        return self.http.request(
            method,
            self.site.nginx.url(node) + path,
            headers=headers,
            timeout=60,
            verify=self.site.nginx.ca,
            **options,
        )

    def sign_in(self, email: str, node: str) -> dict[str, Any]:
        """Sign in with the e-mail code the worker mailed, on ``node``."""
        before = len(self.site.smtp.messages_to(email))
        started = self.call("POST", "/api/auth/email/start", node, json={"email": email})
        assert started.status_code == 202, started.text
        mail = topology.wait_until(
            lambda: self.site.smtp.messages_to(email)[before:], f"the code mail to {email}", 60
        )[0]
        code = re.search(r"\b(\d{6})\b", str(mail["Subject"]) + mail.get_content())
        assert code, mail.get_content()
        verified = self.call(
            "POST", "/api/auth/email/verify", node, json={"email": email, "code": code.group(1)}
        )
        assert verified.status_code == 200, verified.text
        jar = SimpleCookie(verified.headers.get("Set-Cookie", ""))
        # Behind TLS the session cookie is a __Host- cookie: Secure, no Domain, path /.
        cookie = jar.get("__Host-bp_session")
        assert cookie is not None and cookie["secure"], verified.headers
        body = verified.json()
        self.headers |= {
            "Cookie": f"{cookie.key}={cookie.value}",
            "X-CSRF-Token": body["csrf_token"],
        }
        return body


@dataclass
class Site:
    """Everything the journeys talk to or look into."""

    storage: str
    nginx: Nginx
    nodes: dict[str, Process]
    node_commands: dict[str, tuple[list[str], dict[str, str]]]
    worker: Process
    smtp: SmtpServer
    push: FakePushService
    env: dict[str, str]
    logs: Path
    mode: str
    database_url: str
    folder: Path
    s3_endpoint: str

    def rows(self, query: str, *params: Any) -> list[tuple]:
        """What the portal's database holds (read directly, as an operator would)."""
        connection = psycopg2.connect(self.database_url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def stored_sizes(self) -> list[int]:
        """The sizes of the files in the shared storage (the database or the bucket)."""
        if self.storage == "postgres":
            return [size for (size,) in self.rows("SELECT size FROM stored_file")]
        if self.storage == "s3":
            import boto3

            client = boto3.client(
                "s3",
                endpoint_url=self.s3_endpoint,
                region_name="eu-central-1",
                aws_access_key_id="multinode",
                aws_secret_access_key="multinode-secret",
            )
            listing = client.list_objects_v2(Bucket=BUCKET)
            return [item["Size"] for item in listing.get("Contents", [])]
        raise AssertionError(f"no shared storage to look into with {self.storage}")

    def node_files_holding(self, content: bytes) -> list[Path]:
        """Files in the nodes' own instance folders whose content is ``content``."""
        return [
            path
            for node in "ab"
            for path in (self.folder / f"instance-{node}").rglob("*")
            if path.is_file()
            and path.stat().st_size == len(content)
            and path.read_bytes() == content
        ]

    def browser(self, address: str) -> Browser:
        return Browser(self, address)

    def flask(self, *args: str) -> str:
        """A command of the portal's command line, run as the image runs it."""
        import subprocess

        done = subprocess.run(
            [
                "bash",
                str(topology.ROOT / "deploy" / "entrypoint.sh"),
                "flask",
                "--app",
                "portal",
                *args,
            ],
            cwd=topology.ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def restart(self, node: str) -> None:
        """Start a killed node again, as the orchestrator would, and wait until it serves."""
        argv, env = self.node_commands[node]
        self.nodes[node] = topology.start(f"node-{node}", argv, env, self.logs)
        self.wait_serving(node)

    def wait_serving(self, node: str) -> None:
        """Wait until ``node`` answers its health check through nginx."""
        last: list[str] = []

        def healthy() -> bool:
            try:
                response = self.browser("127.0.0.1").call("GET", "/api/health", node)
            except requests.RequestException as exc:
                last[:] = [repr(exc)]
                return False
            last[:] = [f"{response.status_code} {response.text[:500]}"]
            return response.status_code == 200

        try:
            assert self.nginx.process.alive(), self.nginx.process.output()
            topology.wait_until(healthy, f"node {node} to serve", watch=self.nodes[node])
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nlast answer: {last}") from None


def _fresh_database(url: str) -> str:
    """A new empty database next to the one in ``url``; its name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_multinode"
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return name


def _write_secrets(folder: Path) -> dict[str, str]:
    """The mounted secrets folder: one file per key, as compose mounts them."""
    folder.mkdir(mode=0o700)
    vapid = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    values = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "VAPID_PRIVATE_KEY": vapid,
        "PASS_KEY_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "PORTAL_S3_SECRET_ACCESS_KEY": "multinode-secret",
    }
    for name, value in values.items():
        (folder / name).write_text(value)
    return values


@pytest.fixture(scope="module", params=STORAGES)
def site(request, tmp_path_factory) -> Iterator[Site]:
    """The topology with files in ``request.param`` storage, ready to serve."""
    pg_url, redis_url = _urls()
    storage = request.param
    folder = tmp_path_factory.mktemp(f"multinode-{storage}")
    folder.chmod(0o755)
    logs = folder / "logs"
    database = _fresh_database(pg_url)
    redis_parts = urlsplit(redis_url)
    redis.Redis.from_url(redis_url).flushdb()
    pg_parts = urlsplit(pg_url)

    # MULTINODE_NETNS=0 runs the fallback (loopback ports) on a machine that has netns.
    use_netns = os.environ.get("MULTINODE_NETNS") != "0" and topology.namespaces_allowed()
    namespaces = topology.namespace_pair() if use_netns else []
    mode = (
        "network namespaces " + ", ".join(f"{ns.name} ({ns.node_ip})" for ns in namespaces)
        if use_netns
        else "separate loopback ports (no `ip netns` here, or MULTINODE_NETNS=0)"
    )
    print(f"\n[multinode] storage={storage}; nodes in {mode}")
    if not STORAGE_PACKAGE:
        print("[multinode] app.storage is not there yet: files in a shared instance folder")

    with contextlib.ExitStack() as stack:
        for ns in namespaces:
            stack.callback(ns.delete)
            ns.delete()
            ns.create()
        smtp = stack.enter_context(SmtpServer())
        push = stack.enter_context(FakePushService())
        moto_port = topology.free_port()
        if storage == "s3":
            from moto.server import ThreadedMotoServer

            moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
            moto.start()
            stack.callback(moto.stop)
            import boto3

            boto3.client(
                "s3",
                endpoint_url=f"http://127.0.0.1:{moto_port}",
                region_name="eu-central-1",
                aws_access_key_id="multinode",
                aws_secret_access_key="multinode-secret",
            ).create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
            )

        nginx = Nginx(folder / "nginx", topology.free_port(), topology.free_port())
        nginx.folder.mkdir()
        nginx.pinned = {"a": topology.free_port(), "b": topology.free_port()}
        secret_values = _write_secrets(folder / "secrets")
        shared_instance = folder / "instance-shared"

        def env_for(host: str, instance: Path) -> dict[str, str]:
            """The settings of a portal process that reaches the services at ``host``."""
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(
                    (
                        "PORTAL_",
                        "DATABASE_",
                        "REDIS_",
                        "RATELIMIT_",
                        "SMTP_",
                        "PUSH_",
                        "VAPID_",
                        "HUEY_",
                        "SECRET_KEY",
                    )
                )
            }
            env.update(
                PATH=f"{BIN}:{env.get('PATH', '')}",
                PORTAL_ENV="development",
                PORTAL_BASE_URL=nginx.base,
                PORTAL_PROXY_COUNT="1",
                PORTAL_SECRETS_DIR=str(folder / "secrets"),
                PORTAL_INSTANCE=str(instance if STORAGE_PACKAGE else shared_instance),
                DATABASE_URL=topology.database_url_at(
                    pg_url, host, pg_parts.port or 5432, database
                ),
                DATABASE_POOL_SIZE="6",
                REDIS_URL=f"redis://{host}:{redis_parts.port or 6379}{redis_parts.path or '/0'}",
                HUEY_IMMEDIATE="0",
                SMTP_HOST="127.0.0.1",
                SMTP_PORT=str(smtp.port),
                SMTP_STARTTLS="0",
                PUSH_ALLOWED_HOSTS=f"fcm.googleapis.com,{push.origin}",
                PORTAL_STORAGE=storage,
                PORTAL_S3_BUCKET=BUCKET,
                PORTAL_S3_ENDPOINT_URL=f"http://{host}:{moto_port}",
                PORTAL_S3_REGION="eu-central-1",
                PORTAL_S3_ACCESS_KEY_ID="multinode",
                PORTAL_S3_PREFIX="files/",
                WEB_CONCURRENCY="2",
                PORTAL_THREADS="4",
            )
            if not STORAGE_PACKAGE:  # keys through the environment until then
                env.update(
                    SECRET_KEY=secret_values["SECRET_KEY"],
                    VAPID_PRIVATE_KEY=secret_values["VAPID_PRIVATE_KEY"],
                )
            return env

        host_env = env_for("127.0.0.1", folder / "instance-host")
        migrate = topology.start("migrate", topology.entrypoint("migrate"), host_env, logs)
        assert migrate.popen.wait(timeout=180) == 0, migrate.output()

        nodes: dict[str, Process] = {}
        commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        addresses: dict[str, str] = {}
        relays: list[tuple[str, int, int]] = []
        for index, node in enumerate("ab"):
            if use_netns:
                ns = namespaces[index]
                env = env_for(ns.host_ip, folder / f"instance-{node}")
                env["PORTAL_BIND"] = f"{ns.node_ip}:{NODE_PORT}"
                argv = ["ip", "netns", "exec", ns.name, *topology.entrypoint("app")]
                addresses[node] = f"{ns.node_ip}:{NODE_PORT}"
                for port in (pg_parts.port or 5432, redis_parts.port or 6379, moto_port):
                    relays.append((ns.host_ip, port, port))
            else:
                port = topology.free_port()
                env = env_for("127.0.0.1", folder / f"instance-{node}")
                env["PORTAL_BIND"] = f"127.0.0.1:{port}"
                argv = topology.entrypoint("app")
                addresses[node] = f"127.0.0.1:{port}"
            commands[node] = (argv, env)

        nginx.render(addresses, relays, use_stream=use_netns)
        nginx.start(logs)
        stack.callback(nginx.process.kill, 15)
        for node, (argv, env) in commands.items():
            nodes[node] = topology.start(f"node-{node}", argv, env, logs)
        worker = topology.start("worker", topology.entrypoint("worker"), host_env, logs)
        stack.callback(lambda: worker.kill(15))
        stack.callback(lambda: [n.kill(15) for n in nodes.values()])

        result = Site(
            storage=storage,
            nginx=nginx,
            nodes=nodes,
            node_commands=commands,
            worker=worker,
            smtp=smtp,
            push=push,
            env=host_env,
            logs=logs,
            mode=mode,
            database_url=host_env["DATABASE_URL"],
            folder=folder,
            s3_endpoint=f"http://127.0.0.1:{moto_port}",
        )
        for node in "ab":
            result.wait_serving(node)
        yield result
