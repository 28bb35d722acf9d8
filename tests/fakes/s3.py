"""An S3-compatible object store on loopback for tests: moto's standalone server
(``ThreadedMotoServer``).

boto3 talks real HTTP (SigV4, XML, multipart uploads) to it, exactly as to AWS S3 or
MinIO; only the far side is a fake. :func:`s3_server` runs it on a free port.
"""

from __future__ import annotations

import multiprocessing
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

ACCESS_KEY_ID = "test-access-key"
SECRET_ACCESS_KEY = "test-secret-key"
REGION = "eu-central-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class S3Server:
    """A running fake: its address and a way to make buckets."""

    endpoint_url: str

    def client(self):
        import boto3

        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
        )

    def new_bucket(self) -> str:
        name = f"portal-{secrets.token_hex(6)}"
        self.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        return name

    def env(self, bucket: str) -> dict[str, str]:
        """The portal's settings for ``bucket`` on this server."""
        return {
            "PORTAL_STORAGE": "s3",
            "PORTAL_S3_BUCKET": bucket,
            "PORTAL_S3_ENDPOINT_URL": self.endpoint_url,
            "PORTAL_S3_REGION": REGION,
            "PORTAL_S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "PORTAL_S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        }


def _serve(port: int, stop) -> None:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    stop.wait()
    server.stop()


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """moto's server on a free loopback port, stopped afterwards.

    It runs in a process of its own, so what it keeps in memory (every object stored)
    never counts towards the memory the portal's code is measured to use.
    """
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    port = free_port()
    process = context.Process(target=_serve, args=(port, stop), daemon=True)
    process.start()
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or not process.is_alive():
                process.kill()
                raise RuntimeError("the S3 fake did not start") from None
            time.sleep(0.1)
    try:
        yield S3Server(f"http://127.0.0.1:{port}")
    finally:
        stop.set()
        process.join(10)
        if process.is_alive():
            process.kill()
