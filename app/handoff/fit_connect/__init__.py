"""FIT-Connect (the federal submission infrastructure), sender side.

``client`` speaks the Submission API over HTTP (OAuth2 client credentials, errors as
:class:`~app.handoff.base.DeliveryFailed`), ``keys`` checks a destination's public
encryption key and the keys that sign the event log, ``envelope`` builds the
encrypted parts of a submission (JWE) and its metadata, ``events`` reads the event log
(Security Event Tokens). The backend ``app.handoff.backends.fit_connect`` puts them
together; ``docs/handoff.md`` describes the flow.
"""
