"""Turn what a user types (an id, a name, an alias) into one entity."""

from __future__ import annotations

from coopgraph.graph.errors import AmbiguousNameError, NotFoundError
from coopgraph.graph.model import Entity
from coopgraph.graph.sqlite_store import fold
from coopgraph.graph.store import Store


def resolve_entity(store: Store, text: str) -> Entity:
    """Find the one entity ``text`` names.

    An exact id wins; then an exact name or alias (case-insensitive); then a
    unique partial match. Several equally good matches raise
    :class:`AmbiguousNameError` listing them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import open_or_build
    >>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
    >>> resolve_entity(store, "su-27").id
    'system:su-27'
    """
    text = text.strip()
    entity = store.entity(text)
    if entity is not None:
        return entity
    found = store.find_entities(text, limit=50)
    if not found:
        raise NotFoundError(f"no entity matches '{text}'; try 'coopgraph search {text}'")
    wanted = fold(text)
    exact = [e for e in found if any(fold(n) == wanted for n in e.names + (e.id.split(":", 1)[-1],))]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise AmbiguousNameError(text, [(e.id, e.name) for e in exact])
    if len(found) == 1:
        return found[0]
    raise AmbiguousNameError(text, [(e.id, e.name) for e in found])
