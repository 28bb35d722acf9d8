"""Bürgerportal's domain: accounts, services engine, payments, parking, push, eID.

No HTTP here and no assembly: ``api`` is the HTTP surface and ``portal`` builds the
running portal from both.
"""
