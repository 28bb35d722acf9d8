"""The configured service provider (and, in test mode, the simulated identity provider)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from app.bundid import keys
from app.bundid.saml import ServiceProvider, SpSettings
from app.bundid.simulator import SimulatedIdp
from app.env_values import ConfigError

#: Where the simulated identity provider lives (outside /api: it plays another site).
SIMULATOR_PREFIX = "/bundid-simulator"
ACS_PATH = "/api/bundid/acs"


@dataclass(frozen=True)
class BundidSetup:
    """What the HTTP layer needs: the service provider and the simulator, if any."""

    sp: ServiceProvider
    simulator: SimulatedIdp | None

    @property
    def test_mode(self) -> bool:
        return self.simulator is not None


def load_metadata(source: str, timeout: float) -> str:
    """The identity provider's metadata XML from a file or an http(s) URL."""
    if source.startswith(("https://", "http://")):
        try:
            answer = requests.get(source, timeout=timeout)
            answer.raise_for_status()
        except requests.RequestException as exc:
            raise ConfigError(f"BUNDID_IDP_METADATA: cannot fetch {source}: {exc}") from exc
        return answer.text
    path = Path(source)
    if not path.is_file():
        raise ConfigError(f"BUNDID_IDP_METADATA: no such file {source}")
    return path.read_text(encoding="utf-8")


def build(config: Mapping[str, Any]) -> BundidSetup | None:
    """The BundID set-up the settings describe (None when BundID is off)."""
    mode = config["BUNDID_MODE"]
    if mode == "off":
        return None
    base = str(config["BASE_URL"]).rstrip("/")
    folder = Path(config["INSTANCE_PATH"]) / "bundid"
    entity_id = config["BUNDID_SP_ENTITY_ID"]
    if config.get("BUNDID_SP_KEY"):
        key_pem, cert_pem = config["BUNDID_SP_KEY"], config["BUNDID_SP_CERT"]
    else:
        # Development and tests only: production refuses to start without a real pair.
        key_pem, cert_pem = keys.instance_pair(folder, "sp", "Buergerportal SAML SP")
    key_file, cert_file = keys.pem_files(folder, "sp", key_pem, cert_pem)
    simulator = None
    if mode == "simulator":
        idp_key, idp_cert = keys.instance_pair(folder, "simulator-idp", "BundID Testmodus")
        idp_key_file, idp_cert_file = keys.pem_files(folder, "simulator-idp", idp_key, idp_cert)
        simulator = SimulatedIdp(
            f"{base}{SIMULATOR_PREFIX}/idp",
            f"{base}{SIMULATOR_PREFIX}/sso",
            idp_key_file,
            idp_cert_file,
        )
        metadata = simulator.metadata()
    else:
        metadata = load_metadata(
            config["BUNDID_IDP_METADATA"], float(config["BUNDID_METADATA_TIMEOUT_SECONDS"])
        )
    try:
        sp = ServiceProvider(
            SpSettings(
                entity_id=entity_id,
                acs_url=f"{base}{ACS_PATH}",
                key_file=key_file,
                cert_file=cert_file,
                idp_metadata=metadata,
                skew_seconds=int(config["BUNDID_CLOCK_SKEW_SECONDS"]),
            )
        )
    except Exception as exc:  # pysaml2 refuses bad metadata in many ways
        raise ConfigError(f"BUNDID_IDP_METADATA: {type(exc).__name__}: {exc}") from exc
    if simulator is not None:
        simulator.trust(sp.metadata())
    return BundidSetup(sp, simulator)


class BundidProvider:
    """The set-up of one app, built at start for BundID itself (a bad metadata file or
    key stops the start) and on first use for the simulator (most development starts
    and tests never sign in with BundID, and building it loads four RSA keys)."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.mode = config["BUNDID_MODE"]
        self._config = dict(config)
        self._lock = threading.Lock()
        self._setup: BundidSetup | None = None
        if self.mode == "live":
            self._setup = build(self._config)

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    @property
    def test_mode(self) -> bool:
        return self.mode == "simulator"

    def get(self) -> BundidSetup | None:
        """The service provider (and simulator); None when BundID is off."""
        if self._setup is None and self.enabled:
            with self._lock:
                if self._setup is None:
                    self._setup = build(self._config)
        return self._setup

    def form_origin(self) -> str | None:
        """Where the pages post the AuthnRequest to, when it is another site (live only)."""
        return self._setup.sp.sso_url if self.mode == "live" and self._setup else None
