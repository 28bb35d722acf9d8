"""Files in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, …) through boto3.

Keys are ``PORTAL_S3_PREFIX`` + the storage key. A file of :data:`PART_SIZE` or more
is sent as a multipart upload, part by part as it is read (a failed upload is aborted,
so no partial object appears); a smaller one with one ``PutObject``. An object only
becomes visible once complete, which makes every write atomic. Reads stream the
``get_object`` body.
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

# Files of this size and more go as a multipart upload in parts of this size (S3's
# smallest part is 5 MiB); one part is in memory at a time.
PART_SIZE = 5 * 1024 * 1024
_MISSING = ("404", "NoSuchKey", "NotFound")


def _read_full(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes of ``stream`` (fewer only at its end), read into one buffer."""
    buffer = bytearray(size)
    view, filled = memoryview(buffer), 0
    read_into = getattr(stream, "readinto", None)
    while filled < size:
        if read_into is not None:
            count = read_into(view[filled:])
        else:
            piece = stream.read(size - filled)
            count = len(piece)
            view[filled : filled + count] = piece
        if not count:
            break
        filled += count
    view.release()
    del buffer[filled:]
    return bytes(buffer)


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
        name = self._name(key)
        stream = as_stream(data)
        first = _read_full(stream, PART_SIZE)
        if len(first) < PART_SIZE:
            self.client.put_object(Bucket=self.bucket, Key=name, Body=first)
            return len(first)
        # A multipart upload, one part in memory at a time; the object appears only when
        # it is completed, and a failure aborts it (no part is left to pay for).
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=name)["UploadId"]
        parts, written, part = [], 0, first
        del first  # one part in memory: ``part`` holds it
        try:
            while part:
                answer = self.client.upload_part(
                    Bucket=self.bucket,
                    Key=name,
                    UploadId=upload,
                    PartNumber=len(parts) + 1,
                    Body=part,
                )
                parts.append({"PartNumber": len(parts) + 1, "ETag": answer["ETag"]})
                written += len(part)
                part = b""  # let the part go before reading the next
                part = _read_full(stream, PART_SIZE)
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=name, UploadId=upload, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload)
            raise
        return written

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
