"""FIT-Connect: the application as a submission to a destination (Zustellpunkt).

A target names the destination and, where the definition's LeiKa key is not the
service the destination expects, the service::

    handoff:
      - id: hundesteuer_fachverfahren
        backend: fit_connect
        on: submitted
        settings:
          destination_id: 8e4a6a2c-2a5f-4b47-9c1c-3a52d1a0d0d1
          service_identifier: urn:de:fim:leika:leistung:99102013104000   # default: from leika
          service_name: Anmeldung zur Hundesteuer                         # optional
          schema_uri: urn:buergerportal:application:1                     # optional

``deliver`` reads the destination and checks its encryption key, creates the
submission (announcing one attachment per file), records submission, case and
attachment ids at once (so an attempt after a crash continues that submission instead
of creating a second one), uploads each file encrypted, then submits the encrypted
metadata and data set: ``sent``. ``follow_up`` reads the case's event log and turns
the receiver's signed ``accept-submission`` / ``reject-submission`` into ``accepted`` /
``rejected`` (with the receiver's problems). See ``docs/handoff.md``.

Outside production without ``FIT_CONNECT_SUBMISSION_URL`` a target delivers to the
built-in demo destination (``app.handoff.fit_connect.simulator``, "Testmodus").
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any

from jwcrypto import jwk

from app import env_values
from app.handoff.base import Backend, Delivery, DeliveryFailed, Outcome
from app.handoff.fit_connect import envelope, events, keys, simulator
from app.handoff.fit_connect.client import SubmissionClient

SETTINGS = ("destination_id", "service_identifier", "service_name", "schema_uri")
LEIKA_URN = "urn:de:fim:leika:leistung:{leika}"
DEFAULT_SCHEMA_URI = "urn:buergerportal:application:1"
_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$", re.IGNORECASE)
_LEIKA = re.compile(r"^\d{14}$")
# How long the Submission Service's key set is kept before it is read again.
JWKS_CACHE_SECONDS = 600
EVENT_PAGE = 500

_jwks: dict[str, tuple[dict[str, Any], float]] = {}
_jwks_lock = threading.Lock()


def _loopback(url: str) -> bool:
    return bool(re.match(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)", url))


def service_identifier(settings: Mapping[str, Any], leika: str) -> str:
    """The public service the submission is for: the target's ``service_identifier``,
    else the definition's LeiKa key as FIM URN; empty when neither is there."""
    given = str(settings.get("service_identifier") or "").strip()
    if given:
        return given
    return LEIKA_URN.format(leika=leika) if leika else ""


def _slot(attachment: Any) -> str:
    # The receipt's id changes once the receipt job has stored it; it is one slot.
    return "receipt" if attachment.kind == "receipt" else str(attachment.id)


class FitConnectBackend(Backend):
    """Sender of the FIT-Connect Submission API (``/v1``)."""

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        submission_url = env_values.text(env, "FIT_CONNECT_SUBMISSION_URL").rstrip("/")
        return {
            "FIT_CONNECT_SUBMISSION_URL": submission_url,
            "FIT_CONNECT_TOKEN_URL": env_values.text(env, "FIT_CONNECT_TOKEN_URL"),
            "FIT_CONNECT_CLIENT_ID": env_values.text(env, "FIT_CONNECT_CLIENT_ID"),
            "FIT_CONNECT_CLIENT_SECRET": env.get("FIT_CONNECT_CLIENT_SECRET") or "",
            "FIT_CONNECT_SCOPE": env_values.text(env, "FIT_CONNECT_SCOPE"),
            "FIT_CONNECT_JWKS_URL": env_values.text(
                env,
                "FIT_CONNECT_JWKS_URL",
                f"{submission_url}/.well-known/jwks.json" if submission_url else "",
            ),
            "FIT_CONNECT_TRUST_ANCHORS": env_values.text(env, "FIT_CONNECT_TRUST_ANCHORS"),
            "FIT_CONNECT_REQUIRE_CERTIFICATE": env_values.flag(
                env.get("FIT_CONNECT_REQUIRE_CERTIFICATE"), production
            ),
            "FIT_CONNECT_TIMEOUT_SECONDS": env_values.number(
                env, "FIT_CONNECT_TIMEOUT_SECONDS", 20.0
            ),
        }

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        if not config.get("FIT_CONNECT_CLIENT_ID") and not config.get("FIT_CONNECT_SUBMISSION_URL"):
            return []  # FIT-Connect is not used
        found = [
            f"{name} is not set"
            for name in (
                "FIT_CONNECT_SUBMISSION_URL",
                "FIT_CONNECT_TOKEN_URL",
                "FIT_CONNECT_CLIENT_ID",
                "FIT_CONNECT_CLIENT_SECRET",
                "FIT_CONNECT_TRUST_ANCHORS",
            )
            if not config.get(name)
        ]
        for name in ("FIT_CONNECT_SUBMISSION_URL", "FIT_CONNECT_TOKEN_URL", "FIT_CONNECT_JWKS_URL"):
            if config.get(name) and not str(config[name]).startswith("https://"):
                found.append(f"{name} must be an https:// address")
        if not config.get("FIT_CONNECT_REQUIRE_CERTIFICATE"):
            found.append(
                "FIT_CONNECT_REQUIRE_CERTIFICATE=0 would encrypt for keys without a checked "
                "certificate"
            )
        return found

    def check_target(
        self, settings: Mapping[str, Any], definition: Mapping[str, Any] | None = None
    ) -> list[str]:
        """Problems of a target's settings; ``definition`` (optional, the service's
        definition data) lets the LeiKa key stand in for ``service_identifier``. Each
        problem starts with the setting's name, so the service builder shows it there."""
        found = [
            f"{name}: is not a FIT-Connect setting" for name in settings if name not in SETTINGS
        ]
        destination = settings.get("destination_id")
        try:
            if (
                not isinstance(destination, str)
                or str(uuid.UUID(destination)) != destination.lower()
            ):
                raise ValueError
        except ValueError:
            found.append("destination_id: must be a UUID (the destination's id)")
        given = settings.get("service_identifier")
        if given is not None and (not isinstance(given, str) or not _URN.match(given)):
            found.append(
                "service_identifier: must be a URN, e.g. urn:de:fim:leika:leistung:<LeiKa>"
            )
        if given is None and definition is not None:
            leika = str(definition.get("leika") or "")
            if not _LEIKA.match(leika):
                found.append(
                    "service_identifier: is needed, the definition has no 14-digit leika key"
                )
        for name in ("service_name", "schema_uri"):
            value = settings.get(name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                found.append(f"{name}: must be a non-empty text")
        uri = settings.get("schema_uri")
        if isinstance(uri, str) and ":" not in uri:
            found.append("schema_uri: must be a URI")
        if self.production and not self.config.get("FIT_CONNECT_SUBMISSION_URL"):
            # Outside production the built-in demo destination stands in; production
            # must never pretend to have delivered.
            found.append(
                "FIT-Connect is not configured (FIT_CONNECT_SUBMISSION_URL is not set): "
                "production has no simulated destination"
            )
        return found

    @property
    def production(self) -> bool:
        return self.config.get("PORTAL_ENV") == "production"

    @property
    def simulated(self) -> bool:
        """Whether deliveries go to the built-in demo destination ("Testmodus")."""
        return not self.production and not self.config.get("FIT_CONNECT_SUBMISSION_URL")

    # --- the connection ------------------------------------------------------------------

    def client(self) -> SubmissionClient:
        """A Submission API client from the configuration (``DeliveryFailed`` when it
        is incomplete: nothing to retry until the settings change)."""
        missing = [
            name
            for name in (
                "FIT_CONNECT_SUBMISSION_URL",
                "FIT_CONNECT_TOKEN_URL",
                "FIT_CONNECT_CLIENT_ID",
                "FIT_CONNECT_CLIENT_SECRET",
            )
            if not self.config.get(name)
        ]
        if missing:
            raise DeliveryFailed(
                f"FIT-Connect is not configured: {', '.join(missing)}", retry=False
            )
        return SubmissionClient(
            submission_url=self.config["FIT_CONNECT_SUBMISSION_URL"],
            token_url=self.config["FIT_CONNECT_TOKEN_URL"],
            client_id=self.config["FIT_CONNECT_CLIENT_ID"],
            client_secret=self.config["FIT_CONNECT_CLIENT_SECRET"],
            scope=self.config.get("FIT_CONNECT_SCOPE", ""),
            timeout=float(self.config.get("FIT_CONNECT_TIMEOUT_SECONDS") or 20.0),
        )

    def _destination(self, client: SubmissionClient, destination_id: str) -> dict[str, Any]:
        body = client.call("GET", f"/v1/destinations/{destination_id}").body
        if not isinstance(body, dict):
            raise DeliveryFailed("FIT-Connect: the destination's description is not JSON")
        status = body.get("status")
        if status not in (None, "active"):
            raise DeliveryFailed(f"FIT-Connect: the destination is {status}", retry=False)
        return body

    def _encryption_key(
        self, client: SubmissionClient, destination_id: str, destination: Mapping[str, Any]
    ) -> tuple[jwk.JWK, str]:
        kid = destination.get("encryptionKid")
        if not isinstance(kid, str) or not kid:
            raise DeliveryFailed(
                "FIT-Connect: the destination names no encryption key", retry=False
            )
        data = client.call("GET", f"/v1/destinations/{destination_id}/keys/{kid}").body
        try:
            anchors = keys.load_trust_anchors(self.config.get("FIT_CONNECT_TRUST_ANCHORS", ""))
        except (OSError, ValueError) as exc:
            raise DeliveryFailed(
                "FIT-Connect: FIT_CONNECT_TRUST_ANCHORS cannot be read", retry=False
            ) from exc
        try:
            key = keys.encryption_key(
                data if isinstance(data, dict) else {},
                kid,
                require_certificate=bool(self.config.get("FIT_CONNECT_REQUIRE_CERTIFICATE")),
                trust_anchors=anchors,
            )
        except keys.KeyRefused as exc:
            raise DeliveryFailed(
                f"FIT-Connect: the destination's encryption key is refused: {exc}", retry=False
            ) from exc
        return key, kid

    # --- deliver -------------------------------------------------------------------------

    def deliver(self, delivery: Delivery, document: Any) -> Outcome:
        settings = delivery.settings
        destination_id = str(settings.get("destination_id") or "").lower()
        data = document.data
        service = data.get("service") or {}
        identifier = service_identifier(settings, str(service.get("leika") or ""))
        if not identifier:
            raise DeliveryFailed("FIT-Connect: no service identifier for this target", retry=False)
        schema_uri = str(settings.get("schema_uri") or DEFAULT_SCHEMA_URI)
        if self.simulated:
            return simulator.deliver(
                delivery,
                document,
                service_identifier=identifier,
                service_name=str(settings.get("service_name") or service.get("title") or ""),
                schema_uri=schema_uri,
            )
        client = self.client()
        destination = self._destination(client, destination_id)
        offered = self._offered_service(destination, identifier)
        schemas = [s.get("schemaUri") for s in (offered or {}).get("submissionSchemas") or []]
        if schemas and schema_uri not in schemas:
            raise DeliveryFailed(
                "FIT-Connect: the destination expects another data schema for this service",
                retry=False,
            )
        version = envelope.metadata_version(destination.get("metadataVersions"))
        if version is None:
            raise DeliveryFailed(
                "FIT-Connect: the destination supports none of our metadata versions", retry=False
            )
        key, kid = self._encryption_key(client, destination_id, destination)

        progress = dict(delivery.progress or {})
        if progress.get("submitted"):
            return self._sent(progress)
        if progress.get("submission_id") and progress.get("destination_id") == destination_id:
            if self._was_submitted(client, progress):
                progress["submitted"] = True
                delivery.record(progress)
                return self._sent(progress)
        else:
            progress = self._create(
                client, delivery, document, destination_id, identifier, settings
            )

        submission_id = progress["submission_id"]
        slots = progress["attachments"]
        if sorted(slots) != sorted(_slot(a) for a in document.attachments):
            raise DeliveryFailed(
                "FIT-Connect: the application's files differ from the announced ones", retry=False
            )
        uploaded = list(progress.get("uploaded") or [])
        tags = dict(progress.get("tags") or {})
        # The SHA-512 of each file as uploaded: the metadata must describe those bytes
        # even when the file is made again (a receipt rendered anew) on a later attempt.
        hashes = dict(progress.get("hashes") or {})
        described = []
        for attachment in document.attachments:
            attachment_id = slots[_slot(attachment)]
            if attachment_id not in uploaded or attachment_id not in hashes:
                content = attachment.read()
                if hashlib.sha256(content).hexdigest() != attachment.sha256:
                    raise DeliveryFailed(
                        "FIT-Connect: a stored file does not match its checksum", retry=False
                    )
                compact = envelope.encrypt(content, key, kid, attachment.media_type)
                client.call(
                    "PUT",
                    f"/v1/submissions/{submission_id}/attachments/{attachment_id}",
                    data=compact,
                    content_type="application/jose",
                    expect=(200, 204),
                )
                uploaded.append(attachment_id)
                tags[attachment_id] = envelope.authentication_tag(compact)
                hashes[attachment_id] = hashlib.sha512(content).hexdigest()
                progress.update(uploaded=uploaded, tags=tags, hashes=hashes)
                delivery.record(progress)
            described.append(
                {
                    "attachmentId": attachment_id,
                    "purpose": "form" if attachment.kind == "receipt" else "attachment",
                    "filename": attachment.filename,
                    "mimeType": attachment.media_type,
                    "sha512": hashes[attachment_id],
                }
            )

        data_bytes = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        reply_email = ""
        if "eMail" in (destination.get("replyChannels") or {}):
            reply_email = str((data.get("applicant") or {}).get("email") or "")
        meta = envelope.metadata(
            version=version,
            data=data_bytes,
            schema_uri=schema_uri,
            attachments=described,
            service_identifier=identifier,
            service_name=str(settings.get("service_name") or service.get("title") or ""),
            reply_email=reply_email,
        )
        encrypted_meta = envelope.encrypt(
            json.dumps(meta, ensure_ascii=False).encode(), key, kid, "application/json"
        )
        encrypted_data = envelope.encrypt(data_bytes, key, kid, "application/json")
        client.call(
            "PUT",
            f"/v1/submissions/{submission_id}",
            json_body={"encryptedMetadata": encrypted_meta, "encryptedData": encrypted_data},
            expect=(200, 202),
        )
        tags["metadata"] = envelope.authentication_tag(encrypted_meta)
        tags["data"] = envelope.authentication_tag(encrypted_data)
        progress.update(submitted=True, tags=tags)
        delivery.record(progress)
        return self._sent(progress)

    @staticmethod
    def _offered_service(destination: Mapping[str, Any], identifier: str) -> dict[str, Any] | None:
        services = destination.get("services")
        if not services:
            return None
        for offered in services:
            if isinstance(offered, dict) and offered.get("identifier") == identifier:
                return offered
        raise DeliveryFailed(
            "FIT-Connect: the destination does not offer this service", retry=False
        )

    def _create(
        self,
        client: SubmissionClient,
        delivery: Delivery,
        document: Any,
        destination_id: str,
        identifier: str,
        settings: Mapping[str, Any],
    ) -> dict[str, Any]:
        slots = {_slot(a): str(uuid.uuid4()) for a in document.attachments}
        service = document.data.get("service") or {}
        answer = client.call(
            "POST",
            "/v1/submissions",
            json_body={
                "destinationId": destination_id,
                "announcedAttachments": list(slots.values()),
                "serviceType": {
                    "name": str(settings.get("service_name") or service.get("title") or ""),
                    "identifier": identifier,
                },
            },
            expect=(201,),
        )
        body = answer.body if isinstance(answer.body, dict) else {}
        submission_id, case_id = body.get("submissionId"), body.get("caseId")
        if not submission_id or not case_id:
            raise DeliveryFailed("FIT-Connect: the new submission has no submissionId or caseId")
        progress = {
            "destination_id": destination_id,
            "submission_id": str(submission_id),
            "case_id": str(case_id),
            "attachments": slots,
            "uploaded": [],
            "tags": {},
        }
        # Before any upload: an attempt after a crash continues this submission.
        delivery.record(progress)
        return progress

    @staticmethod
    def _sent(progress: Mapping[str, Any]) -> Outcome:
        return Outcome(
            "sent",
            remote_id=progress["submission_id"],
            details={"case_id": progress["case_id"]},
        )

    def _was_submitted(self, client: SubmissionClient, progress: Mapping[str, Any]) -> bool:
        return any(
            event.uri == events.SUBMIT and event.submission_id == progress["submission_id"]
            for event in self._events(client, progress)
        )

    # --- follow up -----------------------------------------------------------------------

    def follow_up(self, delivery: Delivery) -> Outcome | None:
        progress = delivery.progress or {}
        if progress.get("simulated"):
            return None  # the demo destination answered at once
        if not progress.get("case_id") or not progress.get("submission_id"):
            return None
        client = self.client()
        submission_id = progress["submission_id"]
        destination_id = progress.get("destination_id", "")
        for event in self._events(client, progress):
            if event.submission_id != submission_id:
                continue
            if event.uri == events.REJECT and event.issuer == destination_id:
                return Outcome(
                    "rejected",
                    remote_id=submission_id,
                    problems=events.problems(event),
                    details={"event": event.jti},
                )
            if event.uri == events.ACCEPT and event.issuer == destination_id:
                if not self._tags_match(event, progress):
                    continue
                return Outcome("accepted", remote_id=submission_id, details={"event": event.jti})
            if event.uri == events.DELETE:
                return Outcome(
                    "rejected",
                    remote_id=submission_id,
                    problems=(
                        "Der Zustelldienst hat die Einreichung gelöscht, ohne dass der "
                        "Empfänger sie angenommen hat.",
                    ),
                    details={"event": event.jti},
                )
        return None

    @staticmethod
    def _tags_match(event: events.Event, progress: Mapping[str, Any]) -> bool:
        """An accept counts only when it quotes the authentication tags of what this
        portal encrypted (metadata, data set and every attachment): the receiver
        accepts exactly that, not something a third party put in its place."""
        quoted = event.payload.get("authenticationTags")
        sent = progress.get("tags") or {}
        expected = {
            "metadata": sent.get("metadata"),
            "data": sent.get("data"),
            "attachments": {k: v for k, v in sent.items() if k not in ("metadata", "data")},
        }
        if not sent.get("metadata") or not sent.get("data"):
            return False
        if (
            not isinstance(quoted, dict)
            or {
                "metadata": quoted.get("metadata"),
                "data": quoted.get("data"),
                "attachments": quoted.get("attachments") or {},
            }
            != expected
        ):
            events.log.warning("FIT-Connect accept event lacks or misquotes authentication tags")
            return False
        return True

    def _events(self, client: SubmissionClient, progress: Mapping[str, Any]) -> list[events.Event]:
        case_id = progress["case_id"]
        tokens: list[str] = []
        offset = 0
        while True:
            body = client.call(
                "GET",
                f"/v1/cases/{case_id}/events",
                params={"offset": offset, "limit": EVENT_PAGE},
            ).body
            page = (body or {}).get("eventLog") if isinstance(body, dict) else None
            if not isinstance(page, list):
                raise DeliveryFailed("FIT-Connect: the event log is not a list")
            tokens += [t for t in page if isinstance(t, str)]
            offset += len(page)
            total = body.get("totalCount")
            if not page or not isinstance(total, int) or offset >= total:
                break
        destination_id = progress.get("destination_id", "")
        return events.checked(
            tokens,
            lambda issuer, kid: self._signing_key(client, destination_id, issuer, kid),
            case_id=case_id,
        )

    def _trust_anchors(self) -> list[Any]:
        """The configured roots for the receiving system's signature key."""
        try:
            return keys.load_trust_anchors(self.config.get("FIT_CONNECT_TRUST_ANCHORS", ""))
        except (OSError, ValueError) as exc:
            raise DeliveryFailed(
                "FIT-Connect: FIT_CONNECT_TRUST_ANCHORS cannot be read", retry=False
            ) from exc

    def _signing_key(
        self, client: SubmissionClient, destination_id: str, issuer: str, kid: str
    ) -> jwk.JWK:
        if issuer == destination_id:
            # The receiving system signs with a key its destination publishes; its
            # accept or reject decides the delivery, so the key is checked against the
            # trust anchors like the encryption key.
            data = client.call("GET", f"/v1/destinations/{destination_id}/keys/{kid}").body
            return keys.signature_key(
                data if isinstance(data, dict) else {},
                kid,
                require_certificate=bool(self.config.get("FIT_CONNECT_REQUIRE_CERTIFICATE")),
                trust_anchors=self._trust_anchors(),
            )
        for fresh in (False, True):
            for data in self._service_keys(client, fresh=fresh).get("keys") or []:
                if isinstance(data, dict) and data.get("kid") == kid:
                    return keys.signature_key(data, kid)
        raise keys.KeyRefused("the Submission Service publishes no key of that kid")

    def _service_keys(self, client: SubmissionClient, *, fresh: bool) -> dict[str, Any]:
        url = self.config.get("FIT_CONNECT_JWKS_URL") or (
            f"{self.config['FIT_CONNECT_SUBMISSION_URL']}/.well-known/jwks.json"
        )
        with _jwks_lock:
            cached = _jwks.get(url)
            if cached and not fresh and cached[1] > time.monotonic():
                return cached[0]
        body = client.url_get(url, "GET /.well-known/jwks.json").body
        found = body if isinstance(body, dict) else {}
        with _jwks_lock:
            _jwks[url] = (found, time.monotonic() + JWKS_CACHE_SECONDS)
        return found
