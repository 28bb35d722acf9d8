"""Resident parking permits (Bewohnerparkausweis) with signed QR passes.

The service itself is a definition (``service_definitions/builtin/resident_parking.yaml``);
this package adds what a definition cannot express:

* ``zones``: zones and street ranges in the database (seeded from YAML), address → zone.
* ``eligibility``: checks before submission and the rule set ``resident_parking``.
* ``permits``: issue on approval, renew (same number), change plates, cancel, expire.
* ``keys`` / ``revocation``: the signing key store and the signed revocation list.
* ``printout``: QR code (PNG/SVG) and the print@home PDF, delivered to the inbox.
* ``officers``: server-side verification and the plate look-up (no names).
* ``jobs``: event handlers (approval → permit, account deletion → revocation) and jobs.

The wire format of passes, key set and revocation list is ``docs/pass-format.md``; the
service rules, API contract and operations are in ``docs/parking.md``.
"""
