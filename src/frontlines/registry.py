"""Named registries for the pluggable parts: readers, pipeline stages, geocoders, exporters.

Our own implementations register here exactly as a third-party plugin does, either with
the `register` decorator or through a package entry point in the group `frontlines.<kind>`
(for example `[project.entry-points."frontlines.readers"] rss = "mypkg.rss:read_rss"`).
Installed plugins are looked up only when a name is asked for that is not built in, or when
the names are listed: start-up never scans the installed packages' metadata.  A built-in
part with costly imports is registered by where it lives (`register_lazy`) and imported the
first time its name is asked for: reading a text file imports no HTML or wikitext parser.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from .errors import ConfigError

T = TypeVar("T", bound=Callable[..., Any])


class Registry(Generic[T]):
    """A name -> callable map that also loads the entry points of installed plugins."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._lazy: dict[str, str] = {}  # name -> "module:attribute", imported when asked for
        self._plugins_loaded = False

    def register(self, name: str) -> Callable[[T], T]:
        def add(func: T) -> T:
            self._items[name] = func
            return func

        return add

    def register_lazy(self, name: str, target: str) -> None:
        """Register `name` as the callable at `target` ("package.module:attribute"), imported
        the first time the name is asked for (the module may register itself on import)."""
        self._lazy[name] = target

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        from importlib.metadata import entry_points  # costly: scans every installed package

        for ep in entry_points(group=f"frontlines.{self.kind}"):
            if ep.name not in self._items:
                self._items[ep.name] = ep.load()

    def get(self, name: str) -> T:
        if name not in self._items and name in self._lazy:
            module, attribute = self._lazy[name].split(":")
            self._items.setdefault(name, getattr(importlib.import_module(module), attribute))
        if name not in self._items:
            self._load_plugins()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self.names()))
            raise ConfigError(f"unknown {self.kind[:-1]} {name!r} (known: {known})") from None

    def names(self) -> list[str]:
        self._load_plugins()
        return list({**self._lazy, **self._items})

    def __contains__(self, name: object) -> bool:
        self._load_plugins()
        return name in self._items or name in self._lazy

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


readers: Registry[Callable[..., Any]] = Registry("readers")
stages: Registry[Callable[..., Any]] = Registry("stages")
geocoders: Registry[Callable[..., Any]] = Registry("geocoders")
exporters: Registry[Callable[..., Any]] = Registry("exporters")
