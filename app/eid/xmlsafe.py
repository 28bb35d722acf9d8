"""Parsing XML from outside without DTDs, entities or unbounded size.

eID-Servers, AusweisApp test tools and the simulator only ever send plain XML, so a
document type declaration is refused outright: that rules out entity expansion and
external entities without depending on an extra package.
"""

from __future__ import annotations

# ElementTree only builds and serialises here; parsing goes through expat directly,
# with DTDs refused before any entity could be declared.
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from xml.parsers import expat

MAX_BYTES = 512 * 1024


class XmlError(ValueError):
    """The bytes are not acceptable XML."""


def _refuse(*_args: object) -> None:
    raise XmlError("DTDs and entity declarations are not accepted")


def _qualified(name: str) -> str:
    # expat reports "uri}local" with the separator below; ElementTree wants "{uri}local".
    return "{" + name if "}" in name else name


def parse(data: bytes | str) -> ET.Element:
    """Parse ``data`` into an element tree, refusing DTDs and documents over 512 KiB."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise XmlError("document too large")
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.StartElementHandler = lambda name, attrs: builder.start(
        _qualified(name), {_qualified(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_qualified(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(raw, True)
        return builder.close()
    except expat.ExpatError as exc:
        raise XmlError(f"not well-formed XML: {exc}") from exc


def local(tag: str) -> str:
    """The local name of a ``{namespace}name`` tag."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    """The namespace of a ``{namespace}name`` tag ('' when unqualified)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """Direct children with local name ``name`` (in whatever namespace)."""
    return (child for child in element if local(child.tag) == name)


def child(element: ET.Element | None, name: str) -> ET.Element | None:
    """The first direct child with local name ``name``, or None."""
    if element is None:
        return None
    return next(children(element, name), None)


def descendant(element: ET.Element, name: str) -> ET.Element | None:
    """The first element below ``element`` with local name ``name``, or None."""
    return next((e for e in element.iter() if e is not element and local(e.tag) == name), None)


def text(element: ET.Element | None, name: str | None = None) -> str | None:
    """The stripped text of ``element`` (or of its child ``name``); None when absent."""
    target = element if name is None else child(element, name)
    if target is None:
        return None
    return (target.text or "").strip()


def to_bytes(element: ET.Element) -> bytes:
    """Serialise with an XML declaration, UTF-8."""
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)
