"""Strict YAML reading for definition and data files.

PyYAML silently keeps the last of two equal keys; in a definition that hides a typo
(two ``label`` entries, one of them meant for a neighbouring field). This loader
rejects duplicate keys and reports the line. It also reads a key spelled ``on``,
``off``, ``yes`` or ``no`` as that word (YAML 1.1 makes it a boolean, YAML 1.2 does
not): a hand-off target's ``on: submitted`` must arrive as ``"on"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.service_definitions.errors import DefinitionError
from app.service_definitions.problems import problem


class _StrictLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate mapping keys."""


_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _value_node in node.value:
        if (
            isinstance(key_node, yaml.ScalarNode)
            and key_node.tag == _BOOL_TAG
            and key_node.style is None
            and key_node.value.lower() not in ("true", "false")
        ):
            key_node.tag = _STR_TAG
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, source: str | None = None) -> Any:
    """Parse the YAML file at ``path``; syntax problems raise ``DefinitionError``."""
    source = source or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(
            source, [problem("", "unreadable_file", problem=str(exc.strerror))]
        ) from exc
    return parse_yaml(text, source)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML ``text``; syntax problems raise ``DefinitionError`` naming ``source``."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        text = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError(source, [problem(where, "invalid_yaml", problem=text)]) from exc
