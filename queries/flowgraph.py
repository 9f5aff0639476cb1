"""The flow view of the claim graph: who passes technology, know-how or goods to whom.

Each flow claim becomes an arc in the direction the schema declares (a
``copy_of`` claim "J-11 copy_of Su-27" is an arc Su-27 -> J-11). Parallel claims
between the same two entities are kept together as one hop with several
pieces of evidence.

**Deals.** A transfer is one fact, so its claims do not meet at the item: the
deal is a node of its own (its id, ``deal:...``) and its claims become the arcs
supplier -> deal (``supplies``) and deal -> recipient (``transferred_to``,
``licensed_to``). Two deals of the same item share nothing, so no chain can join
the supplier of one to the recipient of another. What the recipient does with
the item continues from the deal: each flow arc out of the item (the J-11
copies the Su-27; the engine goes into the J-10) becomes an arc out of the
deal, but only towards entities on the recipient's side (the recipient, its
parts, what its country's firms make and develop), so a copy made in China
never follows a delivery to India. Likewise what went into the item reaches
the deal only from the supplier's side (the seller's own engine in the
aircraft it sells), so a maker is never joined to a third country's resale.

Deals with the same supplier, item and recipient (two engine contracts between
the same two states) share one node, named after the first of them: a chain
through it joins no facts its sources do not join, whichever contract a hop
cites, and the hop shows the claims of each with its own deal. So an analyst
sees one chain per supplier, item and recipient, not one per contract.

**A chain names a party of every deal it passes.** It enters a deal from its
supplier, or leaves it to its recipient, or both: what went into the item may
reach the deal's recipient, and the supplier's deal may go on to what the
recipient makes of the item, but a chain that came in through the item's
inputs does not go out through its uses. That would say that a deal carried the
one to the other without naming who sold or who bought, and every sale of a
much-traded item between the same two countries would repeat it
(:meth:`FlowGraph.onward`).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Iterator

import networkx as nx

from coopgraph.graph.deals import DEAL_PREFIX, deal_parties, item_of_deal
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.filters import ClaimFilter, edge_span, filtered_graph
from coopgraph.queries.selectors import ITEM_TYPES, state_of

_FAR_PAST = dt.date.min
_FAR_FUTURE = dt.date.max
#: states of one item a report asks for before its arc ends are indexed by every state (FlowGraph._near_in_state)
_SCANS_BEFORE_INDEX = 4
#: how far a "circa" date may stray either side
CIRCA_SLACK = dt.timedelta(days=366)


@dataclass(slots=True)
class Evidence:
    """One claim behind a hop, with the days it may stand for (read-only by convention: not frozen, because a
    frozen dataclass is three times as slow to make, and a flow view makes one per claim)."""

    claim: str
    subject: str
    object: str
    relation: str
    earliest: dt.date | None
    latest: dt.date | None
    confidence: float
    data: dict[str, Any]
    first: str | None = None  # the claim's own first and last dates, at their precision
    last: str | None = None
    #: whether the claim carries a date (kept as a field: the chain search asks millions of times)
    dated: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.dated = self.earliest is not None


def evidence_of(u: str, v: str, key: str, data: dict[str, Any]) -> Evidence:
    when = (data.get("date"), data.get("start"), data.get("end"), bool(data.get("circa")))
    try:
        earliest, latest, first, last = _days(*when)
    except TypeError:  # a date value that cannot be a cache key (not text): work it out directly
        earliest, latest, first, last = _days.__wrapped__(*when)
    return Evidence(key, u, v, data.get("type", ""), earliest, latest, float(data.get("confidence", 0.0)), data, first, last)


@lru_cache(maxsize=1 << 14)
def _days(date: Any, start: Any, end: Any, circa: bool) -> tuple[dt.date | None, dt.date | None, str | None, str | None]:
    # a large graph repeats a few thousand dates: work each combination out once
    first, last = edge_span({"date": date, "start": start, "end": end})
    earliest = first.earliest if first else None
    latest = last.latest if last else None
    if first and circa:
        earliest = max(_FAR_PAST + CIRCA_SLACK, earliest) - CIRCA_SLACK
        latest = min(_FAR_FUTURE - CIRCA_SLACK, latest) + CIRCA_SLACK
    return earliest, latest, first.isoformat() if first else None, last.isoformat() if last else None


class FlowGraph:
    """Adjacency of flow arcs, each arc holding its evidence.

    The arcs a deal takes from its item (see the module docstring) are not
    copied onto every deal: :meth:`successors` and :meth:`predecessors` work them
    out for the nodes a report asks about, from indexes of each item's deals by
    their parties' states, and keep them. A much-sold item's arcs are therefore
    looked up, not repeated per deal, and a search that stays near its ends never
    pays for the rest of the graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("system:j-11", "system:su-27", key="c1", type="copy_of", flow="reverse", confidence=0.9)
    >>> fg = FlowGraph(g)
    >>> list(fg.successors("system:su-27"))
    ['system:j-11']
    """

    def __init__(self, graph: nx.MultiDiGraph, claim_filter: ClaimFilter | None = None,
                 removed: set[str] | frozenset[str] = frozenset(), schema: Schema | None = None):
        self.graph = graph
        self.schema = schema or load_schema()
        self.deals: Mapping[str, dict[str, Any]] = graph.graph.get("deals", {})
        #: deal id -> its item (read without working out the deal's summary)
        self.deal_items: dict[str, str] = {deal: item_of_deal(self.deals, deal) for deal in self.deals}
        #: deal id -> the node standing for it and the deals of the same parties and item; node -> those deals
        self.group_of, self.groups = _deal_groups(self.deals)
        view = filtered_graph(graph, claim_filter)
        #: the arcs the claims make themselves (a deal's own arcs included), before any joins; an arc's list holds
        #: its claims as (u, v, key, data) until :func:`_ready` makes them Evidence, in place (the list is shared
        #: by both indexes and by the deals that join the arc): a report reads a few arcs of a large graph, and
        #: making Evidence of every claim took a quarter of the flow view's build
        self._own_succ: dict[str, dict[str, list]] = {}
        self._own_pred: dict[str, dict[str, list]] = {}
        #: deal id -> recipients its claims reach, and suppliers they name (in this view)
        delivered: dict[str, set[str]] = {}
        supplied: dict[str, set[str]] = {}
        succ, pred, group_of = self._own_succ, self._own_pred, self.group_of
        # the same pass gathers what member_states reads (ownership and origin claims), when it reads this graph
        # unfiltered and has not done so before: a pass over a large graph's claims costs as much as the arcs do
        members = _MemberClaims(graph, self.schema) if view is graph and "_member_states" not in graph.graph else None
        take = members.take if members is not None else None
        for u, v, key, data in multi_edges(view):
            if take is not None:
                take(u, v, data)
            flow = data.get("flow")
            if flow is None or flow == "none" or (removed and (u in removed or v in removed)):
                continue
            role = data.get("deal_role")
            if role is None:
                a, b = (u, v) if flow == "forward" else (v, u)
            else:
                deal = data["deal"]
                deal = group_of.get(deal, deal)
                if role == "supplier":
                    a, b = u, deal
                    parties = supplied.get(deal)
                    if parties is None:
                        parties = supplied[deal] = set()
                    parties.add(u)
                else:
                    a, b = deal, v
                    parties = delivered.get(deal)
                    if parties is None:
                        parties = delivered[deal] = set()
                    parties.add(v)
            if a == b:
                continue
            nbrs = succ.get(a)
            if nbrs is None:
                nbrs = succ[a] = {}
            evs = nbrs.get(b)
            if evs is None:
                evs = nbrs[b] = []
                before = pred.get(b)
                if before is None:
                    before = pred[b] = {}
                before[a] = evs
            evs.append((u, v, key, data))  # the claim, made Evidence when a report first asks for the arc (_ready)
        #: deal node -> the suppliers and the recipients its own claims name (in this view)
        self.suppliers_of, self.recipients_of = supplied, delivered
        self._belongs = member_states(graph, self.schema, members) if delivered else MemberStates({}, [])
        #: party -> its state (the graph's, whatever the view holds)
        self._state: dict[str, str | None] = {}
        self._index_deliveries()

    def _index_deliveries(self) -> None:
        """Index the delivered deals by item, and start the joins worked out from them afresh."""
        #: item -> its delivered deals' nodes (the deals that take the item's arcs)
        self._deals_of_item: dict[str, list[str]] = {}
        for deal in self.recipients_of:
            item = self.deal_items.get(deal)
            if item is not None:
                self._deals_of_item.setdefault(item, []).append(deal)
        self._by_party_state: dict[tuple[str, str], tuple[dict[str, list[str]], dict[str, list[str]]]] = {}
        #: (item, direction, state) -> the item's arc ends in the state; (item, direction) -> the ends with their
        #: states' masks, and -> each end's place among the item's arcs
        self._near_in: dict[tuple[str, str, str], list[str]] = {}
        #: (item, direction) -> how many of its states a report has asked for (:meth:`_near_in_state`)
        self._states_asked: dict[tuple[str, str], int] = {}
        self._every_state_indexed: set[tuple[str, str]] = set()
        self._arc_masks_of: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self._arc_order_of: dict[tuple[str, str], dict[str, int]] = {}
        self._succ: dict[str, dict[str, list[Evidence]]] = {}
        self._pred: dict[str, dict[str, list[Evidence]]] = {}

    # -- the joins, worked out per node ---------------------------------------------------------

    def _party_states(self, parties: set[str]) -> set[str]:
        found = set()
        for party in parties:
            state = self._state.get(party, "?")
            if state == "?":
                state = self._state[party] = state_of(self.graph, party, self.schema)
            if state:
                found.add(state)
        return found

    def _deals_by_party(self, item: str, side: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The item's delivered deals by each party on ``side`` (recipients, or suppliers), and by its state."""
        key = (item, side)
        index = self._by_party_state.get(key)
        if index is None:
            by_party: dict[str, list[str]] = {}
            by_state: dict[str, list[str]] = {}
            for deal in self._deals_of_item.get(item, ()):
                parties = self.recipients_of[deal] if side == "recipients" else self.suppliers_of.get(deal)
                if not parties:
                    continue  # a deal whose supplier is not named takes no inputs
                for party in parties:
                    by_party.setdefault(party, []).append(deal)
                for state in self._party_states(parties):
                    by_state.setdefault(state, []).append(deal)
            index = self._by_party_state[key] = (by_party, by_state)
        return index

    def _near_in_state(self, item: str, direction: str, state: str) -> list[str]:
        """The entities (not deals) of ``state`` that the item's own arcs reach (``out``) or come from (``in``),
        in the order of those arcs; worked out once per item, direction and state.

        At first only the states a report meets are worked out, one scan of the item's arc ends each: an
        entity can belong to many states (through ownership, and the items its makers make), and indexing
        a much-used item's arcs by every state of every node they reach can cost more than the look-ups
        it saves. When a report asks for a fourth state of the same item and direction, and the ends
        belong to four states or fewer on average, they are indexed by every state at once, since that
        costs no more than four more scans (a search across a large graph meets hundreds of states).
        """
        key = (item, direction, state)
        found = self._near_in.get(key)
        if found is None:
            ends = (item, direction)
            arcs = self._arc_masks(item, direction)
            if ends not in self._every_state_indexed:
                asked = self._states_asked[ends] = self._states_asked.get(ends, 0) + 1
                if asked == _SCANS_BEFORE_INDEX and sum(mask.bit_count() for _, mask in arcs) <= asked * len(arcs):
                    # a report that meets the item in many states: index its arc ends by every state at once, now
                    # that it costs no more than a few more scans (each end's states are few)
                    states_of = self._belongs.states
                    by_state: dict[str, list[str]] = {}
                    for node, mask in arcs:
                        for each in states_of(mask):
                            by_state.setdefault(each, []).append(node)
                    for each, nodes in by_state.items():
                        self._near_in.setdefault((item, direction, each), nodes)
                    self._every_state_indexed.add(ends)
            if ends in self._every_state_indexed:
                found = self._near_in.setdefault(key, [])  # a state none of the item's arc ends belongs to
            else:
                bit = self._belongs.bits((state,))
                found = self._near_in[key] = [node for node, mask in arcs if mask & bit]
        return found

    def _arc_masks(self, item: str, direction: str) -> list[tuple[str, int]]:
        """The entities (not deals) of the item's own arcs (``out`` or ``in``) that belong to some state, in
        the order of those arcs, each with its states' mask (:class:`MemberStates`)."""
        key = (item, direction)
        found = self._arc_masks_of.get(key)
        if found is None:
            mask_of = self._belongs.mask
            arcs = (self._own_succ if direction == "out" else self._own_pred).get(item, {})
            found = self._arc_masks_of[key] = [(node, mask) for node in arcs
                                                if (mask := mask_of(node)) and not node.startswith(DEAL_PREFIX)]
        return found

    def _arc_order(self, item: str, direction: str) -> dict[str, int]:
        """Each node of the item's own arcs (``out`` or ``in``) by its place among them."""
        key = (item, direction)
        order = self._arc_order_of.get(key)
        if order is None:
            arcs = (self._own_succ if direction == "out" else self._own_pred).get(item, {})
            order = self._arc_order_of[key] = {node: i for i, node in enumerate(arcs)}
        return order

    def _arcs_on_side(self, arcs: dict[str, list[Evidence]], parties: set[str],
                      states: set[str]) -> Iterator[tuple[str, list[Evidence]]]:
        """The ``arcs`` (node -> evidence), in their order, whose node is one of ``parties`` or an entity
        (not a deal) of one of their ``states``."""
        mask_of, wanted = self._belongs.mask, self._belongs.bits(states)
        for node, evidence in arcs.items():
            if node in parties or (mask_of(node) & wanted and not node.startswith(DEAL_PREFIX)):
                yield node, evidence

    def successors(self, node: str) -> dict[str, list[Evidence]]:
        """The arcs out of ``node`` (next node -> evidence, earliest first), its deals' joins included."""
        found = self._succ.get(node)
        if found is not None:
            return found
        own = self._own_succ.get(node, {})
        joined: dict[str, list[Evidence]] = {}
        if node.startswith(DEAL_PREFIX):
            item = self.deal_items[node] if node in self.deal_items and node in self.recipients_of else None
            if item is not None:  # on to what the recipients' side does with the item
                recipients = self.recipients_of[node]
                item_out = self._own_succ.get(item, {})
                states = self._party_states(recipients)
                if len(self._deals_of_item[item]) == 1:  # the item's only deal: look at its arcs directly
                    joined.update(self._arcs_on_side(item_out, recipients, states))
                else:  # a much-sold item: its arcs in each state, worked out once for all its deals
                    found_lists = [near for state in states if (near := self._near_in_state(item, "out", state))]
                    extra = [nxt for nxt in recipients if nxt in item_out]
                    if len(found_lists) == 1 and not extra:
                        chosen: Iterable[str] = found_lists[0]
                    else:  # in the item's own order, whatever order the sets came in
                        order = self._arc_order(item, "out")
                        chosen = sorted({n for found_list in found_lists for n in found_list} | set(extra), key=order.__getitem__)
                    for nxt in chosen:
                        joined[nxt] = item_out[nxt]
        elif self._deals_of_item:
            mine = self._belongs.get(node, ())
            for item, evidence in own.items():
                if item not in self._deals_of_item:
                    continue
                by_party, by_state = self._deals_by_party(item, "suppliers")
                deals = [deal for state in mine for deal in by_state.get(state, ())] + by_party.get(node, [])
                for deal in (sorted(set(deals)) if len(mine) > 1 or node in by_party else deals):
                    joined[deal] = evidence
        found = self._succ[node] = _merged(own, joined)
        return found

    def own_successors(self, node: str) -> dict[str, list[Evidence]]:
        """The arcs out of ``node`` that its own claims make (next node -> evidence, earliest first), without joins."""
        return {nxt: _ready(evidence) for nxt, evidence in self._own_succ.get(node, {}).items()}

    def recipient_arcs(self, deal: str) -> list[tuple[str, list[Evidence]]]:
        """The arcs from ``deal`` to its recipients, as :meth:`successors` has them, without its other joins."""
        known = self._succ.get(deal)
        recipients = self.recipients_of.get(deal, ())
        if known is not None:
            return [(nxt, evidence) for nxt, evidence in known.items() if nxt in recipients]
        item = self.deal_items.get(deal)
        item_out = self._own_succ.get(item, {}) if item is not None else {}
        arcs = []
        for nxt, evidence in self._own_succ.get(deal, {}).items():
            if nxt in recipients:
                also = item_out.get(nxt)  # the recipient is one of the item's own arcs too: both, as successors joins them
                arcs.append((nxt, _ready(evidence) if also is None else _both(_ready(evidence), _ready(also))))
        return arcs

    def predecessors(self, node: str) -> dict[str, list[Evidence]]:
        """The arcs into ``node`` (previous node -> evidence), its deals' joins included."""
        found = self._pred.get(node)
        if found is None:
            found = self._pred[node] = _merged(self._own_pred.get(node, {}), self._joined_into(node))
        return found

    def _joined_into(self, node: str) -> dict[str, list[Evidence]]:
        """The arcs into ``node`` that deals take from their items (see the module docstring)."""
        return dict(self._joined_arcs_into(node))

    def _joined_arcs_into(self, node: str, done: dict[tuple[str, str], int] | None = None
                          ) -> Iterator[tuple[str, list[Evidence]]]:
        """The arcs of :meth:`_joined_into`, one by one (a node may come more than once).

        Every deal of an item on one state's side is joined alike, so a breadth-first walk
        back (:meth:`distances_to`) passes ``done`` to go through the deals, or the item's
        inputs, of an item and a state once, at its nearest node: ``done`` holds, per item
        and side, the mask of the states gone through. A much-sold item's deals would
        otherwise be gone through again from every node its arcs reach, in each of that
        node's states.
        """
        belongs = self._belongs
        if node.startswith(DEAL_PREFIX):
            suppliers = self.suppliers_of.get(node)
            item = self.deal_items[node] if suppliers and node in self.deal_items and node in self.recipients_of else None
            if item is None:
                return
            item_in = self._own_pred.get(item, {})  # what went into the item, from the supplier's side
            states = self._party_states(suppliers)
            if len(self._deals_of_item[item]) == 1:  # the item's only deal: look at its arcs directly
                yield from self._arcs_on_side(item_in, suppliers, states)
                return
            wanted = belongs.bits(states)
            if done is not None:
                wanted &= ~done.get((item, "in"), 0)
                done[(item, "in")] = done.get((item, "in"), 0) | wanted
            if wanted:
                yield from ((before, item_in[before]) for before, mask in self._arc_masks(item, "in") if mask & wanted)
            yield from ((before, item_in[before]) for before in suppliers & item_in.keys())
        elif self._deals_of_item:
            mine = belongs.mask(node)
            for item, evidence in self._own_pred.get(node, {}).items():
                if item not in self._deals_of_item:
                    continue
                by_party, by_state = self._deals_by_party(item, "recipients")
                wanted = mine
                if done is not None:
                    wanted &= ~done.get((item, "recipients"), 0)
                    done[(item, "recipients")] = done.get((item, "recipients"), 0) | wanted
                for state in belongs.states(wanted) if wanted else ():
                    for deal in by_state.get(state, ()):
                        yield deal, evidence
                for deal in by_party.get(node, ()):  # the node is a recipient itself
                    yield deal, evidence

    @property
    def succ(self) -> dict[str, dict[str, list[Evidence]]]:
        """Every node's :meth:`successors` (the whole graph's arcs; a search should ask per node)."""
        return {node: nbrs for node in list(self._own_succ) if (nbrs := self.successors(node))}

    @property
    def pred(self) -> dict[str, dict[str, list[Evidence]]]:
        """Every node's :meth:`predecessors` (the whole graph's arcs; a search should ask per node)."""
        out: dict[str, dict[str, list[Evidence]]] = {}
        for a, nbrs in self.succ.items():
            for b, evs in nbrs.items():
                out.setdefault(b, {})[a] = evs
        return out

    def without(self, removed: set[str] | frozenset[str]) -> "FlowGraph":
        """This view with the entities ``removed`` taken out, as ``FlowGraph(graph, claim_filter, removed=removed)``
        builds it, but made from this view's arcs instead of a second pass over every claim.

        The claims that name a removed entity leave their arcs (a deal of a removed item
        loses all of its own), and the parties of the deals they belonged to are
        worked out again, so the joins are those of the view built without them. The
        arcs left whole share their evidence with this view. Only the order in which
        a node's arcs are listed may differ, where a removal took the first claim of an
        arc or of a deal: :func:`coopgraph.queries.impact.reachable` reads no order.

        Examples
        --------
        >>> g = nx.MultiDiGraph()
        >>> _ = g.add_edge("tech:a", "system:b", key="c1", type="component_of", flow="forward")
        >>> _ = g.add_edge("system:b", "service:c", key="c2", type="equips", flow="forward")
        >>> list(FlowGraph(g).without({"system:b"}).successors("tech:a"))
        []
        """
        if not removed:
            return self
        view = copy.copy(self)  # the graph, its deals and the states' members are the same
        succ, pred = dict(self._own_succ), dict(self._own_pred)
        copied: set[tuple[str, str]] = set()  # the inner dicts already copied, so this view's own

        def own(index: dict[str, dict[str, list]], side: str, node: str) -> dict[str, list]:
            if (side, node) not in copied:
                index[node] = dict(index[node])
                copied.add((side, node))
            return index[node]

        touched = set(removed) | self.deal_nodes_of(removed)
        arcs = {(node, nxt) for node in touched for nxt in self._own_succ.get(node, ())}
        arcs.update((before, node) for node in touched for before in self._own_pred.get(node, ()))
        deals_changed = set()
        for a, b in arcs:
            evidence = self._own_succ[a][b]
            left = [c for c in evidence if removed.isdisjoint(_claim_ends(c))]
            if len(left) == len(evidence):
                continue
            deals_changed.update(n for n in (a, b) if n.startswith(DEAL_PREFIX))
            out, into = own(succ, "out", a), own(pred, "in", b)
            if left:  # one list for both indexes, as the build makes it
                out[b] = into[a] = left
                continue
            del out[b], into[a]
            if not out:
                del succ[a]
            if not into:
                del pred[b]
        view._own_succ, view._own_pred = succ, pred
        # a deal's suppliers are the ends of the arcs into it, its recipients those of the arcs out of it
        view.suppliers_of, view.recipients_of = dict(self.suppliers_of), dict(self.recipients_of)
        for deal in deals_changed:
            for parties, arcs_of in ((view.suppliers_of, pred), (view.recipients_of, succ)):
                ends = set(arcs_of.get(deal, ()))
                if ends:
                    parties[deal] = ends
                else:
                    parties.pop(deal, None)
        if not view.recipients_of:
            view._belongs = MemberStates({}, [])
        view._index_deliveries()
        return view

    def deal_nodes_of(self, items: Iterable[str]) -> set[str]:
        """The nodes standing for the deals of ``items`` (a deal of several shares its group's node)."""
        items = set(items)
        return {self.group_of.get(deal, deal) for deal, item in self.deal_items.items() if item in items}

    @classmethod
    def of(cls, graph: nx.MultiDiGraph, claim_filter: ClaimFilter | None = None, schema: Schema | None = None) -> "FlowGraph":
        """The flow view of ``graph`` under ``claim_filter``, built once per graph and filter.

        The graph is taken as read-only once built (as ``store.graph()`` is): reports that
        search it many times (impact, the dossier, a loop over pairs) share one view.
        """
        cache = graph.graph.setdefault("_flow_views", {})
        key = (claim_filter, id(schema) if schema is not None else None)
        view = cache.get(key)
        if view is None:
            view = cache[key] = cls(graph, claim_filter, schema=schema)
        return view

    def onward(self, before: str, deal: str) -> set[str] | None:
        """Where a chain that reached ``deal`` from ``before`` may go next: ``None`` for anywhere,
        else only the deal's recipients (it came in through the item's inputs, not from a supplier)."""
        if before in self.suppliers_of.get(deal, ()):
            return None
        return self.recipients_of.get(deal, set())

    def info(self, node: str) -> dict[str, Any]:
        """A node's attributes: the entity's, or for a deal ``type`` "deal", its item's ``name`` and the deal's summary."""
        if node in self.graph:
            return self.graph.nodes[node]
        deal = self.deals.get(node)
        if deal is None:
            return {}
        members = [self.deals[d] for d in self.groups.get(node, (node,))]
        names = {m["item_name"] for m in members}
        name = deal["item_name"] if len(names) == 1 else deal["item_name"].split(" (")[0]
        return {"type": "deal", "name": name, "deal": deal, "deals": members}

    def arcs(self) -> int:
        return sum(len(self.successors(n)) for n in list(self._own_succ))

    def distances_to(self, targets: set[str], max_hops: int, passable=None,
                     starts: set[str] | None = None) -> dict[str, int]:
        """Fewest arcs from each node to any target (ignoring time), up to ``max_hops``.

        ``passable(node)`` says whether a chain may pass through a node on its way.
        With ``starts``, only those are given the distance ``max_hops`` (only a
        chain's first node can be that far), which spares the widest level.
        """
        dist = {t: 0 for t in targets}
        frontier = list(targets)
        done: dict[tuple[str, str], int] = {}
        for depth in range(1, max_hops + 1):
            if depth == max_hops and starts is not None:
                last = set(frontier)
                for start in starts:
                    if start not in dist and any(n in last for n in self.successors(start)):
                        dist[start] = depth
                break
            nxt = []
            for node in frontier:
                # the node's own arcs and the joined ones, without their evidence: only the ends count here
                joined = (before for before, _ in self._joined_arcs_into(node, done))
                for arcs in (self._own_pred.get(node, ()), joined):
                    for before in arcs:
                        if before in dist:
                            continue
                        dist[before] = depth
                        if passable is None or passable(before):
                            nxt.append(before)  # one that cannot be passed through can still start a chain
            frontier = nxt
            if not frontier:
                break
        return dist

    def to_digraph(self) -> nx.DiGraph:
        """The flow arcs as a simple ``DiGraph`` (for dominators, reachability)."""
        out = nx.DiGraph()
        out.add_nodes_from(self.graph.nodes)
        for a in list(self._own_succ):
            for b, evs in self.successors(a).items():
                out.add_edge(a, b, claims=len(evs), confidence=max(e.confidence for e in evs))
        return out



def _claim_ends(claim: tuple | Evidence) -> tuple[str, str]:
    """The subject and object of one claim in an arc's list, before or after :func:`_ready`."""
    return (claim[0], claim[1]) if type(claim) is tuple else (claim.subject, claim.object)


def _ready(evidence: list) -> list[Evidence]:
    """An arc's evidence: its claims made :class:`Evidence` the first time the arc is asked for, in place
    (other arcs and indexes share the list), earliest first."""
    if evidence and type(evidence[0]) is tuple:
        evidence[:] = [evidence_of(u, v, key, data) for u, v, key, data in evidence]
        if len(evidence) > 1:
            evidence.sort(key=_evidence_order)
    return evidence


def _evidence_order(e: Evidence) -> tuple:
    return (e.earliest or _FAR_FUTURE, -e.confidence, e.claim)


def _merged(own: dict[str, list], joined: dict[str, list]) -> dict[str, list[Evidence]]:
    """A node's own arcs with the joined ones, their claims made Evidence (:func:`_ready`); an arc both give
    holds the evidence of both, earliest first."""
    for evidence in own.values():
        _ready(evidence)
    if not joined:
        return own
    out = dict(own)
    for node, evidence in joined.items():
        have = out.get(node)
        out[node] = _ready(evidence) if have is None else _both(have, _ready(evidence))
    return out


def _both(evidence: list[Evidence], more: list[Evidence]) -> list[Evidence]:
    """The evidence of two arcs that join into one, earliest first."""
    return sorted(evidence + more, key=_evidence_order)


def multi_edges(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """``graph.edges(keys=True, data=True)``, read straight from a plain graph's adjacency dicts.

    The flow view reads every claim of a large graph; networkx's edge view costs
    about three times as much per edge. A filtered view goes through networkx.

    >>> g = nx.MultiDiGraph(); _ = g.add_edge("a", "b", key="c1", type="supplies")
    >>> list(multi_edges(g))
    [('a', 'b', 'c1', {'type': 'supplies'})]
    """
    adjacency = getattr(graph, "_succ", None)
    if type(adjacency) is not dict:
        yield from graph.edges(keys=True, data=True)
        return
    for u, nbrs in adjacency.items():
        for v, keyed in nbrs.items():
            for key, data in keyed.items():
                yield u, v, key, data


def _deal_groups(deals: Mapping[str, dict[str, Any]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Deals of the same suppliers, item and recipients, keyed to the first of them (see the module docstring).

    >>> deals = {"deal:b": {"suppliers": ["r"], "item": "x", "recipients": ["c"]},
    ...          "deal:a": {"suppliers": ["r"], "item": "x", "recipients": ["c"]},
    ...          "deal:c": {"suppliers": ["r"], "item": "x", "recipients": ["d"]}}
    >>> _deal_groups(deals)
    ({'deal:a': 'deal:a', 'deal:b': 'deal:a', 'deal:c': 'deal:c'}, {'deal:a': ['deal:a', 'deal:b'], 'deal:c': ['deal:c']})
    """
    by_parties: dict[tuple, list[str]] = {}
    group_of: dict[str, str] = {}  # in the deals' order, as they are taken
    for deal_id in sorted(deals):
        suppliers, item, recipients = deal_parties(deals, deal_id)
        key = (tuple(sorted(suppliers)), item, tuple(sorted(recipients)))
        members = by_parties.get(key)
        if members is None:
            members = by_parties[key] = []
        members.append(deal_id)
        group_of[deal_id] = members[0]
    return group_of, {members[0]: members for members in by_parties.values()}


class MemberStates(Mapping):
    """Each entity's states (entity id -> frozenset of state ids), held as bit masks over the states.

    An entity can belong to many states (through ownership, and through the items
    its makers make); as masks, the states of a million entities take a few bytes
    each, and "is this entity on that state's side" is one ``&``. The frozenset of
    a mask is made when it is first asked for and shared by every entity with it.

    >>> states = MemberStates({"firm:f": 0b01, "firm:g": 0b11}, ["state:r", "state:c"])
    >>> sorted(states["firm:g"]), states.get("firm:h", ()), bool(states.mask("firm:f") & states.bits(["state:c"]))
    (['state:c', 'state:r'], (), False)
    """

    __slots__ = ("_masks", "_names", "_bits", "_decoded")

    def __init__(self, masks: dict[str, int], names: list[str]) -> None:
        self._masks, self._names = masks, names
        self._bits = {name: 1 << i for i, name in enumerate(names)}
        self._decoded: dict[int, frozenset[str]] = {}

    def __getitem__(self, node: str) -> frozenset[str]:
        return self.states(self._masks[node])

    def __iter__(self) -> Iterator[str]:
        return iter(self._masks)

    def __len__(self) -> int:
        return len(self._masks)

    def __contains__(self, node: object) -> bool:
        return node in self._masks

    def get(self, node: str, default: Any = None) -> Any:
        mask = self._masks.get(node)
        return default if mask is None else self.states(mask)

    def mask(self, node: str) -> int:
        """The entity's states as a mask (0 for none)."""
        return self._masks.get(node, 0)

    def bits(self, states: Iterable[str]) -> int:
        """The mask of ``states`` (a state no entity belongs to has no bit)."""
        found = 0
        for state in states:
            found |= self._bits.get(state, 0)
        return found

    def states(self, mask: int) -> frozenset[str]:
        """The states of a mask."""
        found = self._decoded.get(mask)
        if found is None:
            digits = bin(mask)[:1:-1]  # lowest bit first
            names = self._names
            members = []
            at = digits.find("1")
            while at >= 0:
                members.append(names[at])
                at = digits.find("1", at + 1)
            found = self._decoded[mask] = frozenset(members)
        return found


def member_states(graph: nx.MultiDiGraph, schema: Schema, claims: _MemberClaims | None = None) -> MemberStates:
    """Each entity's states, worked out once for the whole graph (and kept with it).

    An entity belongs to a state as :func:`~coopgraph.queries.selectors.country_members`
    says: the state itself, what names it as ``country``, what belongs to those
    through the schema's ownership relations, and the items they make or develop
    (an origin claim that is not part of a deal). One pass over the graph instead
    of one per state, and one over the ownership relations, owners before what they
    own (a ring of owners shares its states).

    ``claims``, when given, holds the graph's claims already taken in (the flow
    view takes them in its own pass over the claims); else they are read here.

    Examples
    --------
    >>> from coopgraph.graph.schema import load_schema
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("state:r", type="state"); g.add_node("firm:f", type="firm", country="state:r")
    >>> g.add_node("firm:sub", type="firm"); g.add_node("tech:t", type="technology")
    >>> _ = g.add_edge("firm:sub", "firm:f", type="subsidiary_of"); _ = g.add_edge("firm:sub", "tech:t", type="manufactures")
    >>> sorted(n for n, s in member_states(g, load_schema()).items() if "state:r" in s)
    ['firm:f', 'firm:sub', 'state:r', 'tech:t']
    """
    cached = graph.graph.get("_member_states")
    if cached is not None:
        return cached
    if claims is None:
        claims = _MemberClaims(graph, schema)
        take = claims.take
        for u, v, _, data in multi_edges(graph):  # one pass over the claims
            take(u, v, data)
    owned, made = claims.owned, claims.made
    states: dict[str, int] = {}  # state id -> its bit
    masks: dict[str, int] = {}  # entity -> the states it is a root of: itself, its country
    for node, data in graph.nodes(data=True):
        mask = 0
        for root in ((node,) if data.get("type") == "state" else ()) + ((data["country"],) if data.get("country") else ()):
            mask |= states.setdefault(root, 1 << len(states))
        if mask:
            masks[node] = mask
    # down the ownership relations (what belongs to a member is a member), each ring of owners taken
    # as one, owners first: one union per relation, where handing each new state down one at a
    # time walked some entities thousands of times (50 s at a million generated claims)
    owners = nx.DiGraph()
    owners.add_edges_from((owner, child) for owner, children in owned.items() for child in children)
    rings = nx.condensation(owners)
    ring_mask: dict[int, int] = {}
    for ring in nx.topological_sort(rings):
        members = rings.nodes[ring]["members"]
        mask = 0
        for node in members:
            mask |= masks.get(node, 0)
        for above in rings.predecessors(ring):
            mask |= ring_mask[above]
        ring_mask[ring] = mask
        if mask:
            for node in members:
                masks[node] = mask
    products: dict[str, int] = {}  # the items, with their makers' states (not handed further down)
    for maker, item in made:
        mask = masks.get(maker)
        if mask:
            products[item] = products.get(item, 0) | mask
    for item, mask in products.items():
        masks[item] = masks.get(item, 0) | mask
    result = MemberStates(masks, list(states))
    graph.graph["_member_states"] = result
    return result


class _MemberClaims:
    """What :func:`member_states` reads from the claims, taken in one claim at a time: owner -> what
    belongs to it directly, and the (maker, item) of each origin claim outside a deal."""

    __slots__ = ("owned", "made", "_ownership", "_origin", "_nodes")

    def __init__(self, graph: nx.MultiDiGraph, schema: Schema) -> None:
        self.owned: dict[str, list[str]] = {}
        self.made: list[tuple[str, str]] = []
        self._ownership = frozenset(schema.ownership_relations)
        self._origin = frozenset(schema.origin_relations)
        self._nodes = graph._node

    def take(self, u: str, v: str, data: dict[str, Any]) -> None:
        rel = data.get("type")
        if rel in self._ownership:
            self.owned.setdefault(v, []).append(u)
        elif rel in self._origin and not data.get("deal_role") and self._nodes[v].get("type") in ITEM_TYPES:
            self.made.append((u, v))
