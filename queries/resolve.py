"""Turn what a user types (an id, a name, an alias) into one entity."""

from __future__ import annotations

from coopgraph.graph.errors import AmbiguousNameError, NotFoundError
from coopgraph.graph.model import Entity
from coopgraph.graph.names import announce, close_entities, fold, not_found_message, squash
from coopgraph.graph.store import Store


def resolve_entity(store: Store, text: str) -> Entity:
    """Find the one entity ``text`` names.

    An exact id wins; then an exact name or alias (case-insensitive); then the
    one name that differs only by hyphens and spaces (``Su27`` for ``Su-27``); then
    a unique partial match. The last two are announced through
    :data:`coopgraph.graph.names.on_inexact_match`. Several equally good matches
    raise :class:`AmbiguousNameError` listing them; none raises
    :class:`NotFoundError` naming the closest entities.

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
    wanted = fold(text)
    exact = [e for e in found if any(fold(n) == wanted for n in e.names + (e.id.split(":", 1)[-1],))]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise AmbiguousNameError(text, [(e.id, e.name) for e in exact])
    index, entities = None, None
    if squash(text):
        # the same name but for hyphens, spaces and case (Su27, su 27): read every name once
        entities = store.dataset(claims=False).entities
        index = _name_index(entities.values())
        spelled = sorted({i for name, ids in index.items() if squash(name) == squash(text) for i in ids})
        if len(spelled) == 1:
            announce(text, spelled[0], entities[spelled[0]].name, "spelling")
            return entities[spelled[0]]
        if len(spelled) > 1:
            raise AmbiguousNameError(text, [(i, entities[i].name) for i in spelled])
    if len(found) == 1:
        announce(text, found[0].id, found[0].name, "partial")
        return found[0]
    if not found:
        if entities is None:
            entities = store.dataset(claims=False).entities
            index = _name_index(entities.values())
        raise NotFoundError(not_found_message(text, close_entities(text, index, {i: e.name for i, e in entities.items()})))
    raise AmbiguousNameError(text, [(e.id, e.name) for e in found])


def _name_index(entities) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for e in entities:
        for name in (e.id, e.id.split(":", 1)[-1], *e.names):
            if name:
                index.setdefault(fold(str(name)), set()).add(e.id)
    return index
