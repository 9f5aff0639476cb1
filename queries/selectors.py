"""Say which entities a report starts from or goes to.

A selector is one of:

``Su-27`` / ``system:su-27``
    one entity, by id, name or alias;
``type:program,armed_service``
    every entity of these types;
``country:Russia``
    the state, everything whose ``country`` is it, everything that belongs to
    those (``part_of``, ``subsidiary_of``: the schema's *ownership* relations),
    and the items they make, develop or supply (the schema's *origin* relations);
``org:PLA``
    the organisation, everything that belongs to it, and the programmes it develops;
``*``
    every entity.

Terms joined by ``&`` intersect: ``country:China&type:program``. Several
selectors given together are united.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable

import networkx as nx

from coopgraph.graph.errors import AmbiguousNameError, NotFoundError
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.graph.names import announce, close_entities, fold, not_found_message, squash

ITEM_TYPES = ("weapon_system", "technology")


def _names(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    cached = graph.graph.get("_name_index")
    if cached is None:
        cached = {}
        for node, data in graph.nodes(data=True):
            for name in [node, node.split(":", 1)[-1], data.get("name") or ""] + list(data.get("aliases") or ()):
                if name:
                    cached.setdefault(fold(str(name)), set()).add(node)
        graph.graph["_name_index"] = cached
    return cached


def resolve_node(graph: nx.MultiDiGraph, text: str) -> str:
    """The id of the one node ``text`` names (id, name, alias, or a unique part of one).

    An exact id wins; then an exact name or alias (case and spaces ignored); then
    the one name that differs only by hyphens and spaces (``Su27``); then the one
    name or alias that contains ``text``. The last two are announced
    (:data:`coopgraph.graph.names.on_inexact_match`).

    Raises
    ------
    NotFoundError
        When nothing matches; the message names the closest entities (did you mean).
    AmbiguousNameError
        When several match equally well; the message lists them.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("system:su-27", name="Su-27", aliases=["Flanker"])
    >>> resolve_node(g, "flanker"), resolve_node(g, "SU27")
    ('system:su-27', 'system:su-27')
    """
    if text in graph:
        return text
    index = _names(graph)
    wanted = fold(text)
    exact = index.get(wanted, set())
    if len(exact) == 1:
        return next(iter(exact))
    if len(exact) > 1:
        raise AmbiguousNameError(text, sorted((n, graph.nodes[n].get("name", n)) for n in exact))
    squashed = squash(text)
    spelled = sorted({node for name, nodes in index.items() if squashed and squash(name) == squashed for node in nodes})
    if len(spelled) == 1:
        announce(text, spelled[0], graph.nodes[spelled[0]].get("name", spelled[0]), "spelling")
        return spelled[0]
    if len(spelled) > 1:
        raise AmbiguousNameError(text, [(n, graph.nodes[n].get("name", n)) for n in spelled])
    partial = sorted({node for name, nodes in index.items() if wanted and wanted in name for node in nodes})
    if len(partial) == 1:
        announce(text, partial[0], graph.nodes[partial[0]].get("name", partial[0]), "partial")
        return partial[0]
    if not partial:
        names = {n: graph.nodes[n].get("name", n) for n in graph.nodes}
        raise NotFoundError(not_found_message(text, close_entities(text, index, names)))
    raise AmbiguousNameError(text, [(n, graph.nodes[n].get("name", n)) for n in partial])


def select(graph: nx.MultiDiGraph, selectors: str | Iterable[str], schema: Schema | None = None) -> set[str]:
    """The set of node ids the selector(s) name (see the module docstring).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("state:r", type="state", name="R")
    >>> g.add_node("firm:f", type="firm", name="F", country="state:r")
    >>> g.add_node("tech:t", type="technology", name="T")
    >>> _ = g.add_edge("firm:f", "tech:t", type="manufactures")
    >>> sorted(select(g, "country:R"))
    ['firm:f', 'state:r', 'tech:t']
    >>> sorted(select(g, "country:R&type:technology"))
    ['tech:t']
    """
    schema = schema or load_schema()
    if isinstance(selectors, str):
        selectors = [selectors]
    chosen: set[str] = set()
    for selector in selectors:
        for alternative in selector.split("|"):
            terms = [t.strip() for t in alternative.split("&") if t.strip()]
            if not terms:
                continue
            found = _term(graph, terms[0], schema)
            for term in terms[1:]:
                found &= _term(graph, term, schema)
            chosen |= found
    return chosen


def _term(graph: nx.MultiDiGraph, term: str, schema: Schema) -> set[str]:
    if term == "*":
        return set(graph.nodes)
    kind, _, value = term.partition(":")
    if kind == "type" and value:
        types = {t.strip() for t in value.split(",") if t.strip()}
        for etype in types:
            schema.entity_type(etype)  # raises with the list of known types
        return {n for n, t in graph.nodes(data="type") if t in types}
    if kind == "country" and value:
        return country_members(graph, resolve_node(graph, value), schema)
    if kind == "org" and value:
        return org_members(graph, resolve_node(graph, value), schema)
    return {resolve_node(graph, term)}


def _owned_closure(graph: nx.MultiDiGraph, roots: set[str], schema: Schema) -> set[str]:
    """Roots plus everything that belongs to them, transitively."""
    ownership = set(schema.ownership_relations)
    members = set(roots)
    queue = deque(roots)
    while queue:
        node = queue.popleft()
        for child, _, rel in graph.in_edges(node, data="type"):
            if rel in ownership and child not in members:
                members.add(child)
                queue.append(child)
    return members


def country_members(graph: nx.MultiDiGraph, state: str, schema: Schema | None = None) -> set[str]:
    """The state, what belongs to it, and the items those make, develop or supply.

    A supply that is part of a deal does not make the item the supplier's: an
    exporter is not always the origin (Belarus re-exports Soviet tanks).
    """
    schema = schema or load_schema()
    roots = {state} | {n for n, c in graph.nodes(data="country") if c == state}
    members = _owned_closure(graph, roots, schema)
    origin = set(schema.origin_relations)
    products = {v for u in members for _, v, data in graph.out_edges(u, data=True)
                if data.get("type") in origin and not data.get("deal_role") and graph.nodes[v].get("type") in ITEM_TYPES}
    return members | products


def state_of(graph: nx.MultiDiGraph, node: str, schema: Schema | None = None) -> str | None:
    """The state an entity belongs to: itself if a state, else its ``country``, else through ownership.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("state:c", type="state"); g.add_node("service:pla", type="armed_service")
    >>> g.add_node("service:plan", type="armed_service")
    >>> _ = g.add_edge("service:pla", "state:c", type="part_of"); _ = g.add_edge("service:plan", "service:pla", type="part_of")
    >>> state_of(g, "service:plan")
    'state:c'
    """
    schema = schema or load_schema()
    ownership = set(schema.ownership_relations)
    seen = set()
    queue = deque([node])
    while queue:
        current = queue.popleft()
        if current in seen or current not in graph:
            continue
        seen.add(current)
        data = graph.nodes[current]
        if data.get("type") == "state":
            return current
        if data.get("country"):
            return data["country"]
        queue.extend(v for _, v, rel in graph.out_edges(current, data="type") if rel in ownership)
    return None


def org_members(graph: nx.MultiDiGraph, org: str, schema: Schema | None = None) -> set[str]:
    """The organisation, what belongs to it, and the programmes it develops."""
    schema = schema or load_schema()
    members = _owned_closure(graph, {org}, schema)
    origin = set(schema.origin_relations)
    programs = {v for u in members for _, v, rel in graph.out_edges(u, data="type")
                if graph.nodes[v].get("type") == "program" and rel in origin}
    return members | programs
