"""Plugin classes by name: the registry behind payment providers and hand-off backends.

Where several providers of one thing are built per use from the configuration, their
classes are registered under a name; a second, different class under a taken name is a
mistake that fails at once, and tests may swap one for the span of a ``with`` block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Plugin = TypeVar("Plugin", bound=type)


class ClassRegistry(Generic[Plugin]):
    """Classes of one kind by name (``kind`` names them in error messages)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._classes: dict[str, Plugin] = {}

    def register(self, name: str) -> Callable[[Plugin], Plugin]:
        """Class decorator: make ``cls`` the one called ``name`` (and set its ``name``)."""

        def decorate(cls: Plugin) -> Plugin:
            known = self._classes.get(name)
            if known is not None and known is not cls:
                raise ValueError(f"{self.kind} {name!r} is registered already ({known!r})")
            cls.name = name
            self._classes[name] = cls
            return cls

        return decorate

    def remove(self, name: str) -> None:
        """Forget ``name`` (tests that register a class of their own)."""
        self._classes.pop(name, None)

    @contextmanager
    def replaced(self, name: str, cls: Plugin) -> Iterator[Plugin]:
        """Use ``cls`` as ``name`` inside a ``with`` block; the one registered before
        (if any) comes back afterwards."""
        before = self._classes.pop(name, None)
        self.register(name)(cls)
        try:
            yield cls
        finally:
            self.remove(name)
            if before is not None:
                self.register(name)(before)

    def classes(self) -> dict[str, Plugin]:
        """Every registered class by name."""
        return dict(self._classes)

    def find(self, name: str) -> Plugin | None:
        """The class registered as ``name``, or None."""
        return self._classes.get(name)

    def names(self) -> list[str]:
        """Every registered name, sorted."""
        return sorted(self._classes)
