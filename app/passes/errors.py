"""Exceptions raised by the parking-pass format library."""


class PassFormatError(ValueError):
    """Bytes or text that do not follow the pass format (wrong structure, types or encoding)."""


class CoseDecodeError(PassFormatError):
    """A COSE_Sign1 structure that this format does not accept."""


class UnknownKeyError(LookupError):
    """The key identifier is not in the public key set (or the key no longer covers the data)."""


class BadSignatureError(ValueError):
    """The signature does not match the signed content."""
