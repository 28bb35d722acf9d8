"""Readable paths into nested data: ``steps[1].fields[0].type``."""

from __future__ import annotations

from collections.abc import Iterable


def format_path(parts: Iterable[str | int]) -> str:
    """Join keys and list indexes into a dotted path with ``[n]`` for indexes."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
