"""Names of a package imported from their modules on first use (PEP 562).

``coopgraph.graph``, ``coopgraph.loaders`` and ``coopgraph.queries`` export their
public names this way, so that importing one module of a package (or running a
quick command such as ``coopgraph search``) does not import every other.

Examples
--------
>>> namespace = {"__name__": "demo", "__all__": ["dumps"]}
>>> getattr_, dir_ = lazy_names(namespace, {"dumps": "json"})
>>> getattr_("dumps").__module__, "dumps" in namespace, dir_()
('json', True, ['__all__', '__name__', 'dumps'])
"""

from __future__ import annotations

import importlib
from typing import Any, Callable


def lazy_names(namespace: dict[str, Any], table: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module's ``__getattr__`` and ``__dir__`` for the names in ``table`` (name -> module to import it from).

    A name, once imported, is kept in ``namespace`` (the module's globals), so it is looked up only once.
    """

    def __getattr__(name: str) -> Any:
        if name in table:
            value = namespace[name] = getattr(importlib.import_module(table[name]), name)
            return value
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(namespace.get("__all__", ())))

    return __getattr__, __dir__
