"""A real eID-Server over TR-03130 SOAP, with mutually authenticated TLS.

The eID-Server knows the portal by its TLS client certificate (``EID_CLIENT_CERT`` and
``EID_CLIENT_KEY``, PEM); the portal checks the server against ``EID_SERVER_CA`` (a
PEM bundle, default: the system's CAs). useID and getResult go to ``EID_SERVER_URL``.
"""

from __future__ import annotations

import requests

from app.eid import messages
from app.eid.adapters import (
    AdapterSettings,
    EidServerAdapter,
    EidServerUnavailable,
    register,
)
from app.eid.xmlsafe import MAX_BYTES


@register("tr03130_soap")
class Tr03130SoapAdapter(EidServerAdapter):
    """SOAP 1.1 client for the eID-Server interface of BSI TR-03130."""

    def __init__(self, settings: AdapterSettings) -> None:
        super().__init__(settings)
        self.http = requests.Session()
        self.cert = (settings.client_cert, settings.client_key) if settings.client_cert else None
        self.verify: str | bool = settings.server_ca or True

    @classmethod
    def problems(cls, settings: AdapterSettings) -> list[str]:
        found = []
        if not settings.server_url:
            found.append("EID_SERVER_URL is not set")
        if bool(settings.client_cert) != bool(settings.client_key):
            found.append("EID_CLIENT_CERT and EID_CLIENT_KEY must be set together")
        return found

    def _call(self, action: str, body: bytes) -> bytes:
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": f'"{action}"',
            "Accept": "text/xml",
        }
        try:
            response = self.http.post(
                self.settings.server_url,
                data=body,
                headers=headers,
                timeout=self.settings.timeout_seconds,
                allow_redirects=False,
                stream=True,
                # Passed per request: a session-level setting would lose against
                # REQUESTS_CA_BUNDLE in the environment, replacing the configured CA.
                verify=self.verify,
                cert=self.cert,
            )
            # Read at most one byte past the limit: a huge answer is refused, not buffered.
            content = response.raw.read(MAX_BYTES + 1, decode_content=True)
            response.close()
        except (requests.RequestException, OSError) as exc:
            raise EidServerUnavailable(f"{type(exc).__name__}: {exc}") from exc
        # SOAP 1.1 sends faults with status 500; anything else but 200 is not an answer.
        if response.status_code not in (200, 500):
            raise EidServerUnavailable(f"eID-Server answered HTTP {response.status_code}")
        if len(content) > MAX_BYTES:
            raise EidServerUnavailable("eID-Server answer is too large")
        return content

    def use_id(self, request: messages.UseIdRequest) -> messages.UseIdResponse:
        answer = self._call(messages.SOAP_ACTION_USE_ID, messages.build_use_id_request(request))
        return messages.parse_use_id_response(answer)

    def get_result(self, request: messages.GetResultRequest) -> messages.GetResultResponse:
        answer = self._call(
            messages.SOAP_ACTION_GET_RESULT, messages.build_get_result_request(request)
        )
        return messages.parse_get_result_response(answer)
