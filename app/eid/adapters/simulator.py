"""The built-in eID-Server simulator as an adapter (development and tests only).

The messages are the same TR-03130 SOAP documents a real eID-Server gets; they are
handed to the simulator in-process instead of over the network, so a single-process
development server cannot deadlock calling itself. The simulator also answers the same
documents over HTTP at ``/api/eid/simulator/soap``: pointing the ``tr03130_soap``
adapter there exercises the real SOAP client without an eID-Server.
"""

from __future__ import annotations

from app.eid import messages
from app.eid.adapters import AdapterSettings, EidServerAdapter, EidServerUnavailable, register
from app.eid.simulator.server import SimulatedEidServer

SIMULATOR_PATH = "/api/eid/simulator"


def simulator_for(settings: AdapterSettings) -> SimulatedEidServer:
    """The simulator of this portal (its state lives in the instance folder)."""
    return SimulatedEidServer(
        settings.instance / "eid-simulator",
        provider_id=settings.base_url,
        server_address=f"{settings.base_url}{SIMULATOR_PATH}/paos",
    )


@register("simulator")
class SimulatorAdapter(EidServerAdapter):
    simulated = True

    def __init__(self, settings: AdapterSettings) -> None:
        super().__init__(settings)
        self.server = simulator_for(settings)

    def _exchange(self, body: bytes) -> bytes:
        status, answer = self.server.handle(body)
        if status not in (200, 500):
            raise EidServerUnavailable(f"simulator answered {status}")
        return answer

    def use_id(self, request: messages.UseIdRequest) -> messages.UseIdResponse:
        answer = self._exchange(messages.build_use_id_request(request))
        return messages.parse_use_id_response(answer)

    def get_result(self, request: messages.GetResultRequest) -> messages.GetResultResponse:
        answer = self._exchange(messages.build_get_result_request(request))
        return messages.parse_get_result_response(answer)
