"""A module imported on first use: how a facade keeps its generated endpoints (and the HTTP stack) out of import.

    if TYPE_CHECKING:
        from . import operations as ops
    else:
        ops = LazyModule(__name__, ".operations")

Type checkers see the real module; at run time `ops.get_invitation(...)` imports it on that first call, so
`import vortex_sdk` and constructing a client load neither the generated client nor httpx.

A package re-exports names the same way with `lazy_attributes`, importing them for type checkers only:

    if TYPE_CHECKING:
        from .signatures import RequestValidator
    __getattr__ = lazy_attributes(__name__, {"RequestValidator": ".signatures"})
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for a module until an attribute of it is first read; then imports it and hands attributes over."""

    __slots__ = ("_module", "_name", "_package")

    def __init__(self, package_module: str, name: str) -> None:
        self._package = package_module.rpartition(".")[0] if name.startswith(".") else None
        self._name = name
        self._module: ModuleType | None = None

    def load(self) -> ModuleType:
        """The module, imported now if it was not yet."""
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name, self._package)
        return module

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.load(), attribute)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<LazyModule {self._name!r} ({state})>"


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: each name of `homes` is imported from its module (a name relative to
    `package`, such as `".errors"`) when first read, and then kept in `package`, so the next read is a plain one."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


__all__ = ["LazyModule", "lazy_attributes"]
