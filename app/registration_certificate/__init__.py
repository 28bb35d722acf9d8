"""The registration certificate (Meldebescheinigung) as a plugin of the engine.

``plugin.register_builtin()`` registers the rule set ``registration_certificate`` (issue
at once when the eID confirmed every stated detail) and the document generator
``registration_certificate`` (the certificate PDF in the inbox); the service's
definition names both.
"""

from app.registration_certificate.plugin import CertificateGenerator, VerifiedDataRule

__all__ = ["CertificateGenerator", "VerifiedDataRule"]
