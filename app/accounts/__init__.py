"""Citizen accounts: sign-in by e-mail code and passkey, sessions, profile, privacy."""
