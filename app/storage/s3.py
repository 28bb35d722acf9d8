"""Files in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, …) through boto3.

Keys are ``PORTAL_S3_PREFIX`` + the storage key. Uploads go through boto3's managed
transfer: files above :data:`MULTIPART_THRESHOLD` are sent as a multipart upload, part
by part as they are read (boto3 aborts the upload when a part fails, so no partial
object appears). An object only becomes visible once complete, which makes every write
atomic. Reads stream the ``get_object`` body.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from datetime import UTC
from typing import Any, BinaryIO

from app.storage.base import (
    Entry,
    FileMissing,
    Storage,
    StorageUnavailable,
    as_stream,
    check_key,
)

MULTIPART_THRESHOLD = 8 * 1024 * 1024
MULTIPART_CHUNK = 8 * 1024 * 1024
_MISSING = ("404", "NoSuchKey", "NotFound")


class _Counting:
    """A read-only stream that counts what was read through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        piece = self.stream.read(size)
        self.count += len(piece)
        return piece


def _error_code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


class S3Storage(Storage):
    """Objects in ``bucket`` below ``prefix``."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix
        # Without explicit credentials boto3 uses its own chain (environment, shared
        # files, instance roles).
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
        )
        self.transfer = TransferConfig(
            multipart_threshold=MULTIPART_THRESHOLD,
            multipart_chunksize=MULTIPART_CHUNK,
            # The parts of one upload are read one after the other from the stream.
            max_concurrency=1,
            use_threads=False,
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> S3Storage:
        return cls(
            bucket=config["PORTAL_S3_BUCKET"],
            prefix=config.get("PORTAL_S3_PREFIX") or "",
            endpoint_url=config.get("PORTAL_S3_ENDPOINT_URL"),
            region=config.get("PORTAL_S3_REGION"),
            access_key_id=config.get("PORTAL_S3_ACCESS_KEY_ID"),
            secret_access_key=config.get("PORTAL_S3_SECRET_ACCESS_KEY"),
        )

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        found = []
        if not config.get("PORTAL_S3_BUCKET"):
            found.append("PORTAL_S3_BUCKET is not set (PORTAL_STORAGE=s3 needs a bucket)")
        if bool(config.get("PORTAL_S3_ACCESS_KEY_ID")) != bool(
            config.get("PORTAL_S3_SECRET_ACCESS_KEY")
        ):
            found.append(
                "PORTAL_S3_ACCESS_KEY_ID and PORTAL_S3_SECRET_ACCESS_KEY go together "
                "(set both, or neither for boto3's own credentials)"
            )
        endpoint = str(config.get("PORTAL_S3_ENDPOINT_URL") or "")
        if endpoint and not endpoint.startswith(("http://", "https://")):
            found.append(f"PORTAL_S3_ENDPOINT_URL must be an http(s) address, got {endpoint!r}")
        return found

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: BinaryIO | bytes) -> int:
        stream = _Counting(as_stream(data))
        self.client.upload_fileobj(stream, self.bucket, self._name(key), Config=self.transfer)
        return stream.count

    @contextlib.contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if _error_code(exc) in _MISSING:
                raise FileMissing(key) from exc
            raise
        body = answer["Body"]
        try:
            yield body
        finally:
            body.close()

    def delete(self, key: str) -> None:
        # S3 answers a deletion of a missing key with success too.
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def entries(self, prefix: str = "") -> Iterator[Entry]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][len(self.prefix) :]
                yield Entry(key, int(item["Size"]), item["LastModified"].astimezone(UTC))

    def stat(self, key: str) -> Entry:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if _error_code(exc) in _MISSING:
                raise FileMissing(key) from exc
            raise
        return Entry(key, int(head["ContentLength"]), head["LastModified"].astimezone(UTC))

    def check(self) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"bucket {self.bucket!r} cannot be reached: {exc}") from exc
