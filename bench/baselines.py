"""The baselines bench/run.py measures coopgraph against: what a competent user of the peer tool writes.

Each baseline does the same work as the coopgraph step it stands beside and gives the same
answers; none of them calls coopgraph's code (``coopgraph.queries``, the loaders, the stores).
They read the store's SQLite tables or the generated CSV files themselves, and take the
relation types' properties (which way a flow runs, which relations are a deal's sides, which
say who owns whom or where an item comes from) from the schema file, ``graph/schema.yaml``.

**chains** (the question of run.py's chains row, every chain):

* :func:`nx_search`: the claims read from the store into a ``networkx.MultiDiGraph``, the flow arcs
  in a ``DiGraph``, then a depth-first search pruned by breadth-first distances back from the goals,
  each node's onward arcs kept nearest first, the time rule applied hop by hop during the search,
  states never passed through, and deals respected (below). A deal's joins to its item's arcs
  (rule 3) are worked out when the search first meets the deal, through indexes of each item's
  deals by party and party state.
* :func:`cte_search`: the same question as SQL on the store. Question-independent helper tables
  (each deal claim's deal and deal node, the claims' own arcs with their first and last days, the
  entities' states, the parties' states) are built with ``CREATE TEMP TABLE ... AS SELECT``; the
  distances back from the goals are one recursive CTE that looks the deals' joins up as it meets
  them; only the arcs between nodes that can still reach a goal are then made, with time bands
  (rule 4 as ranges of the day reached); the search is one recursive CTE, and the tails, stand-ins
  and the rank are SQL too. SQLite has no SHA-1, so the implied deals' ids (rule 2) come from a
  Python function registered with ``create_function``; everything else is SQL.

Both rank their chains as coopgraph does (fewest hops, strongest weakest link, fewest undated hops,
earliest, then the nodes), but compare the first dates as days, not as text at their precision, so
ties may be broken in another order; run.py compares the set of chains and each hop's claims, not
the order.

The rules both apply are coopgraph's documented ones (``queries/flowgraph.py``'s module docstring,
``queries/chains.py``), restated here:

1. A flow claim is an arc in the direction its relation's ``flow`` says; parallel claims between
   two nodes are one hop with several pieces of evidence.
2. A claim with a deal role (``supplies``; ``transferred_to``, ``licensed_to``) belongs to its
   deal: the ``deal`` column, else its implied deal ``deal:auto-<sha1 of item, dates, quantity,
   key and sorted citations>``. A deal's parties are its record's supplier and recipient plus its
   claims' parties; deals of the same suppliers, item and recipients are one node, named after
   the smallest id. A supplier's claim is the arc supplier -> deal, a recipient's deal -> recipient.
3. A deal that has a recipient claim also takes its item's arcs: deal -> Y for each arc item -> Y
   whose Y (not a deal) is on the recipients' side, and X -> deal for each arc X -> item whose X
   is on the suppliers' side (when its claims name a supplier). A node is on a side when it is
   one of the parties, or when one of its states (the state itself, its ``country``, what it
   belongs to through ownership claims, and for an item the states of whoever makes or develops
   it outside a deal) is the state of a party (the party itself if a state, else its
   ``country``, else the first state found walking up its ownership claims breadth first).
4. Time: a hop may use a dated claim only if the claim's last day is no earlier than the day the
   chain has reached (undated claims are always usable); the chain's day becomes the latest of
   itself and the earliest first day of the hop's usable dated claims. A date stands for the
   span of its precision (``2015`` is the whole year, ``1990s`` ten years), ``circa`` widens it
   by 366 days each side, and a claim's span runs from its ``date`` (else ``start``, else ``end``)
   to its ``end`` (else ``date``, else ``start``).
5. A chain is a simple path of at most ``hops`` arcs from a start to a goal. It never passes
   through a goal or a state. It names a party of every deal it passes: a chain that entered a
   deal from somewhere other than the deal's supplier claims leaves it only to a recipient.
6. Goals are the targets, the deals of a target item, and each state (not a target) that a target
   armed service belongs to: a *stand-in*, reached only from a deal. Starts are the sources and,
   for a source item, its deals (those a source supplied, else all).
7. Left out: a chain whose nodes, each deal read as its item, are a proper tail of another
   found chain read the same way; among chains that read the same, all but those through the
   most deals; and a chain that ends at a stand-in when its last deal is on a chain that reaches
   a goal that is not a stand-in.

Limits of the SQL (none is met by the bench's data; each is checked or bounded, never silent): node
ids must not hold ``|`` or ``,`` (the CTE separates nodes and bands with them; the run stops if one
does), a party's state is looked for at most 64 ownership claims up (coopgraph walks on), and days
are compared as ISO text, which needs four-digit years.

Every baseline step runs in a fresh process (``python bench/baselines.py STEP ARGS``) and prints
one JSON line; run.py reads its whole-process peak memory from outside, and compares the answers
each writes (one sorted line per chain: its nodes, then each hop's claim ids).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import importlib.resources
import json
import resource
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

DEAL = "deal:"
ITEM_TYPES = ("weapon_system", "technology")
CIRCA = dt.timedelta(days=366)


class Budget(Exception):
    """The search ran out of its time budget."""


# --- the schema's relation properties ----------------------------------------------------------

class Relations:
    """Which way each relation's flow runs, its deal role, and which relations own or originate."""

    def __init__(self) -> None:
        text = importlib.resources.files("coopgraph.graph").joinpath("schema.yaml").read_text(encoding="utf-8")
        types = yaml.safe_load(text)["relation_types"]
        self.flow = {name: r["flow"] for name, r in types.items() if r.get("flow", "none") != "none"}
        self.role = {name: r["deal_role"] for name, r in types.items() if r.get("deal_role")}
        self.ownership = {name for name, r in types.items() if r.get("ownership")}
        self.origin = {name for name, r in types.items() if r.get("origin")}


def implied_deal(item: str, date: str | None, start: str | None, end: str | None, quantity: int | None,
                 key: str | None, citations: Iterable[tuple[str, str, str]]) -> str:
    """The implied deal of a deal claim that names none (rule 2)."""
    cites = sorted("\x1e".join(c) for c in citations)
    parts = [item, date or "", start or "", end or "", "" if quantity is None else str(quantity), key or "", *cites]
    return "deal:auto-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _bounds(text: str) -> tuple[dt.date, dt.date]:
    if text.endswith("s"):  # a decade, 1990s
        year = int(text[:4])
        return dt.date(year, 1, 1), dt.date(year + 9, 12, 31)
    if len(text) == 4:
        year = int(text)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return dt.date(year, month, 1), nxt - dt.timedelta(days=1)
    day = dt.date.fromisoformat(text)
    return day, day


@lru_cache(maxsize=1 << 14)
def span(date: str | None, start: str | None, end: str | None, circa: bool) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a claim may stand for (rule 4); ``None, None`` when undated."""
    first, last = date or start or end, end or date or start
    if not first:
        return None, None
    earliest, latest = _bounds(first)[0], _bounds(last)[1]
    if circa:
        earliest, latest = earliest - CIRCA, latest + CIRCA
    return earliest, latest


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def chain_line(nodes: Iterable[str], hops: Iterable[Iterable[str]]) -> str:
    """One answer as a line: the nodes, a tab, each hop's claim ids (sorted) joined by ';'."""
    return " ".join(nodes) + "\t" + ";".join(",".join(sorted(h)) for h in hops)


def write_answers(path: str, lines: list[str]) -> None:
    lines.sort()
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)


# --- (a) networkx --------------------------------------------------------------------------------

def read_store(path: str) -> nx.MultiDiGraph:
    """The store's entities, claims (with their citations) and deal records as a MultiDiGraph.

    Claims are added in id order, so each node's neighbours are in the order the store lists them.
    """
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    was = gc.isenabled()
    gc.disable()
    try:
        g = nx.MultiDiGraph()
        g.add_nodes_from((eid, {"type": etype, "name": name, "country": country or None})
                         for eid, etype, name, country in conn.execute("SELECT id, type, name, country FROM entities ORDER BY id"))
        cites: dict[str, list[tuple[str, str, str]]] = {}
        for cid, doc, loc, quote in conn.execute("SELECT claim_id, document, locator, quote FROM citations ORDER BY claim_id, seq"):
            cites.setdefault(cid, []).append((doc, loc, quote))
        g.add_edges_from(
            (s, o, cid, {"relation": rel, "date": date, "start": start, "end": end, "circa": bool(circa), "status": status,
                         "confidence": conf, "quantity": qty, "key": key, "deal": deal, "citations": cites.get(cid, [])})
            for cid, s, rel, o, date, start, end, circa, status, conf, qty, key, deal in conn.execute(
                'SELECT id, subject, relation, object, date, start, "end", circa, status, confidence, quantity, key, deal '
                "FROM claims ORDER BY id"))
        g.graph["deals"] = {did: (item, supplier or None, recipient or None) for did, item, supplier, recipient
                            in conn.execute("SELECT id, item, supplier, recipient FROM deals")}
    finally:
        conn.close()
        if was:
            gc.enable()
    return g


class Flow:
    """The flow arcs of a claim graph, deals as nodes (rules 1-3); a deal's joins are worked out when asked for."""

    def __init__(self, g: nx.MultiDiGraph, rel: Relations):
        self.g, self.rel = g, rel
        item_of: dict[str, str] = {}
        parties: dict[str, tuple[set[str], set[str]]] = {}
        for did, (item, supplier, recipient) in g.graph["deals"].items():
            item_of[did] = item
            parties[did] = ({supplier} if supplier else set(), {recipient} if recipient else set())
        deal_of: dict[str, str] = {}
        for u, v, k, d in g.edges(keys=True, data=True):
            role = rel.role.get(d["relation"])
            if role is None:
                continue
            item = v if role == "supplier" else u
            deal = d["deal"] or implied_deal(item, d["date"], d["start"], d["end"], d["quantity"], d["key"], d["citations"])
            deal_of[k] = deal
            item_of.setdefault(deal, item)
            sides = parties.setdefault(deal, (set(), set()))
            (sides[0] if role == "supplier" else sides[1]).add(u if role == "supplier" else v)
        first: dict[tuple, str] = {}
        node_of: dict[str, str] = {}
        for did in sorted(item_of):  # one node for the deals of the same suppliers, item and recipients
            sup, rec = parties[did]
            node_of[did] = first.setdefault((tuple(sorted(sup)), item_of[did], tuple(sorted(rec))), did)
        self.item_of, self.node_of = item_of, node_of
        self.by_item: dict[str, list[str]] = {}
        for did, item in item_of.items():
            self.by_item.setdefault(item, []).append(did)
        self.deal_suppliers = {did: p[0] for did, p in parties.items()}
        # the arcs the claims make themselves; each arc's evidence: (claim, first day, last day)
        arcs: dict[tuple[str, str], list[tuple]] = {}
        self.suppliers: dict[str, set[str]] = {}
        self.recipients: dict[str, set[str]] = {}
        for u, v, k, d in g.edges(keys=True, data=True):
            flow = rel.flow.get(d["relation"])
            if flow is None:
                continue
            role = rel.role.get(d["relation"])
            if role == "supplier":
                a, b = u, node_of[deal_of[k]]
                self.suppliers.setdefault(b, set()).add(u)
            elif role == "recipient":
                a, b = node_of[deal_of[k]], v
                self.recipients.setdefault(a, set()).add(v)
            else:
                a, b = (u, v) if flow == "forward" else (v, u)
            if a == b:
                continue
            arcs.setdefault((a, b), []).append((k, *span(d["date"], d["start"], d["end"], d["circa"]), d["confidence"]))
        own = self.own = nx.DiGraph()
        own.add_edges_from((a, b, {"ev": ev}) for (a, b), ev in arcs.items())
        # deals that take their item's arcs (rule 3): those with a recipient claim
        self.delivered: dict[str, list[str]] = {}
        for deal in self.recipients:
            self.delivered.setdefault(item_of[deal], []).append(deal)
        self.belongs = self._member_states() if self.recipients else {}
        self._state: dict[str, str | None] = {}
        self._party_states: dict[tuple[str, str], frozenset[str]] = {}
        self._index: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._out: dict[str, dict[str, tuple]] = {}
        self._in: dict[str, set[str]] = {}

    # rule 3: sides and states
    def _member_states(self) -> dict[str, set[str]]:
        g, ownership = self.g, self.rel.ownership
        belongs: dict[str, set[str]] = {}
        for node, d in g.nodes(data=True):
            roots = ({node} if d["type"] == "state" else set()) | ({d["country"]} if d["country"] else set())
            if roots:
                belongs[node] = roots
        # down the ownership relations, owners first (a ring of owners as one): one union per relation
        owners = nx.DiGraph((owner, child) for child, owner, relation in g.edges(data="relation") if relation in ownership)
        rings = nx.condensation(owners)
        ring_states: dict[int, set[str]] = {}
        for ring in nx.topological_sort(rings):
            members = rings.nodes[ring]["members"]
            states = set().union(*(belongs.get(n, ()) for n in members), *(ring_states[r] for r in rings.predecessors(ring)))
            ring_states[ring] = states
            if states:
                for n in members:
                    belongs[n] = set(states)
        made: dict[str, set[str]] = {}
        for maker, item, relation in g.edges(data="relation"):
            if relation in self.rel.origin and relation not in self.rel.role and maker in belongs \
                    and g.nodes[item]["type"] in ITEM_TYPES:
                made.setdefault(item, set()).update(belongs[maker])
        for item, states in made.items():
            belongs.setdefault(item, set()).update(states)
        return belongs

    def state_of(self, node: str) -> str | None:
        if node in self._state:
            return self._state[node]
        g, seen, queue, found = self.g, set(), deque([node]), None
        while queue:
            current = queue.popleft()
            if current in seen or current not in g:
                continue
            seen.add(current)
            d = g.nodes[current]
            if d["type"] == "state":
                found = current
                break
            if d["country"]:
                found = d["country"]
                break
            queue.extend(v for _, v, relation in g.out_edges(current, data="relation") if relation in self.rel.ownership)
        self._state[node] = found
        return found

    def _states(self, deal: str, side: str) -> frozenset[str]:
        key = (deal, side)
        if key not in self._party_states:
            parties = self.suppliers[deal] if side == "s" else self.recipients[deal]
            self._party_states[key] = frozenset(s for s in map(self.state_of, parties) if s)
        return self._party_states[key]

    def on_side(self, node: str, deal: str, side: str) -> bool:
        parties = self.suppliers[deal] if side == "s" else self.recipients[deal]
        return node in parties or not self._states(deal, side).isdisjoint(self.belongs.get(node, ()))

    def deals_beside(self, node: str, item: str, side: str) -> list[str]:
        """The item's delivered deals that have ``node`` on their suppliers' (``s``) or recipients' (``r``)
        side, through an index of the item's deals by party and by party state."""
        index = self._index.get((item, side))
        if index is None:
            index = self._index[(item, side)] = {}
            for deal in self.delivered.get(item, ()):
                parties = self.suppliers.get(deal) if side == "s" else self.recipients[deal]
                if parties:
                    for key in parties | self._states(deal, side):
                        index.setdefault(key, []).append(deal)
        if not index:
            return []
        found = list(index.get(node, ()))
        for state in self.belongs.get(node, ()):
            found.extend(index.get(state, ()))
        return list(dict.fromkeys(found))

    def near_beside(self, item: str, deal: str, side: str) -> list[str]:
        """The item's own neighbours (after it for ``r``, before it for ``s``; no deals) on the deal's side,
        through an index of those neighbours by their states."""
        key = (item, "after" if side == "r" else "before")
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = {}
            for node in (self.own.succ[item] if side == "r" else self.own.pred[item]):
                if not node.startswith(DEAL):
                    for state in self.belongs.get(node, ()):
                        index.setdefault(state, []).append(node)
        near = self.own.succ[item] if side == "r" else self.own.pred[item]
        parties = self.suppliers[deal] if side == "s" else self.recipients[deal]
        found = [p for p in parties if p in near]
        for state in self._states(deal, side):
            found.extend(index.get(state, ()))
        return list(dict.fromkeys(found))

    # the arcs, own and joined
    def out(self, node: str) -> dict[str, tuple]:
        """Next node -> (evidence: (claim, first day, last day, confidence) each, earliest last day of its dated
        claims, earliest first day of them)."""
        found = self._out.get(node)
        if found is not None:
            return found
        own = self.own
        arcs = {b: list(d["ev"]) for b, d in own.succ[node].items()} if node in own else {}
        if node.startswith(DEAL):
            item = self.item_of.get(node)
            if node in self.recipients and item in own:
                after = own.succ[item]
                for nxt in self.near_beside(item, node, "r"):
                    arcs.setdefault(nxt, []).extend(after[nxt]["ev"])
        elif node in own:
            for item, d in own.succ[node].items():
                for deal in self.deals_beside(node, item, "s"):
                    arcs.setdefault(deal, []).extend(d["ev"])
        found = self._out[node] = {}
        for nxt, ev in arcs.items():
            dated = [e for e in ev if e[1] is not None]
            found[nxt] = (tuple(ev), min((e[2] for e in dated), default=None), min((e[1] for e in dated), default=None))
        return found

    def into(self, node: str) -> set[str]:
        """The nodes with an arc to ``node``, own and joined."""
        found = self._in.get(node)
        if found is not None:
            return found
        own = self.own
        found = set(own.pred[node]) if node in own else set()
        if node.startswith(DEAL):
            item = self.item_of.get(node)
            if node in self.recipients and node in self.suppliers and item in own:
                found.update(self.near_beside(item, node, "s"))
        elif node in own:
            for item in own.pred[node]:
                found.update(self.deals_beside(node, item, "r"))
        self._in[node] = found
        return found


def nx_search(g: nx.MultiDiGraph, sources: set[str], targets: set[str], hops: int, budget: float = float("inf"),
              rel: Relations | None = None) -> list[tuple[tuple[str, ...], tuple[tuple, ...]]]:
    """Every chain (rules 4-7): ``(nodes, evidence of each hop)``; raises :class:`Budget` past ``budget`` seconds."""
    rel = rel or Relations()
    flow = Flow(g, rel)
    deadline = time.perf_counter() + budget
    node_of = flow.node_of
    # rule 6: starts, goals, stand-ins
    starts = set(sources)
    for item in sources & flow.by_item.keys():
        own = [d for d in flow.by_item[item] if flow.deal_suppliers[d] & sources]
        starts.update(node_of[d] for d in own or flow.by_item[item])
    goals = set(targets)
    for item in targets & flow.by_item.keys():
        goals.update(node_of[d] for d in flow.by_item[item])
    stand_ins = set()
    for target in targets:
        if target in g and g.nodes[target]["type"] == "armed_service":
            for _, state, relation in g.out_edges(target, data="relation"):
                if relation in rel.ownership and g.nodes[state]["type"] == "state" and state not in targets:
                    stand_ins.add(state)
    goals |= stand_ins
    types = dict(g.nodes(data="type"))

    def passable(node: str) -> bool:
        return node not in goals and (node.startswith(DEAL) or types.get(node, "state") != "state")

    # reachability pruning: fewest arcs back from the goals, through passable nodes
    dist = dict.fromkeys(goals, 0)
    frontier = list(goals)
    for depth in range(1, hops + 1):
        grown = []
        for node in frontier:
            for before in flow.into(node):
                if before not in dist:
                    dist[before] = depth
                    if passable(before):
                        grown.append(before)
        frontier = grown
    found: list[tuple[tuple[str, ...], tuple[tuple, ...]]] = []
    path: list[str] = []
    evidence: list[tuple] = []
    on_path: set[str] = set()
    steps = [0]
    pruned: dict[str, list[tuple]] = {}

    def next_steps(node: str) -> list[tuple]:
        # the arcs out of a node whose head can still reach a goal, nearest first, worked out once per node
        out = pruned.get(node)
        if out is None:
            out = []
            from_deal = node.startswith(DEAL)
            for nxt, arc in flow.out(node).items():
                d = dist.get(nxt)
                if d is not None:
                    goal = nxt in goals and (nxt not in stand_ins or from_deal)
                    if goal or passable(nxt):
                        out.append((d, nxt, goal, *arc))
            out.sort(key=lambda x: x[0])
            pruned[node] = out
        return out

    def walk(node: str, when: dt.date | None) -> None:
        steps[0] += 1
        if steps[0] & 0x3FF == 0 and time.perf_counter() > deadline:
            raise Budget
        left = hops - len(path)  # arcs still allowed after the next one
        only = None
        if node.startswith(DEAL) and len(path) > 1 and path[-2] not in flow.suppliers.get(node, ()):
            only = flow.recipients.get(node, set())  # in through the item's inputs: out only to a recipient
        for d, nxt, goal, ev, first_end, first_start in next_steps(node):
            if d > left:
                break
            if nxt in on_path or (only is not None and nxt not in only):
                continue
            if when is None or first_end is None or first_end >= when:
                usable, start = ev, first_start
            else:
                usable = tuple(e for e in ev if e[1] is None or e[2] >= when)
                if not usable:
                    continue
                start = min((e[1] for e in usable if e[1] is not None), default=None)
            reached = when if start is None else start if when is None else max(when, start)
            if goal:
                found.append((tuple(path) + (nxt,), tuple(evidence) + (usable,)))
            else:
                path.append(nxt)
                on_path.add(nxt)
                evidence.append(usable)
                walk(nxt, reached)
                path.pop()
                on_path.discard(nxt)
                evidence.pop()

    for start in sorted(starts):
        if dist.get(start, hops + 1) <= hops:
            path[:], evidence[:], on_path = [start], [], {start}
            walk(start, None)
    # rule 7: tails, then stand-ins
    def plain(nodes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(flow.item_of[n] if n.startswith(DEAL) else n for n in nodes)

    tails = {plain(nodes)[cut:] for nodes, _ in found for cut in range(1, len(nodes) - 1)}
    same: dict[tuple[str, ...], list] = {}
    for chain in found:
        key = plain(chain[0])
        if key not in tails:
            same.setdefault(key, []).append(chain)
    kept = []
    for chains in same.values():
        deals = [sum(n.startswith(DEAL) for n in c[0]) for c in chains]
        kept.extend(c for c, n in zip(chains, deals) if n == max(deals))
    if stand_ins:
        reaching = {n for nodes, _ in kept if nodes[-1] not in stand_ins for n in nodes if n.startswith(DEAL)}
        kept = [c for c in kept if c[0][-1] not in stand_ins or c[0][-2] not in reaching]
    return kept


def rank_key(chain: tuple[tuple[str, ...], tuple[tuple, ...]]) -> tuple:
    """Fewest hops, then the strongest weakest link, fewest undated hops, earliest first day, then the nodes."""
    nodes, hops = chain
    score = round(min(max(e[3] for e in hop) for hop in hops), 3)
    undated = sum(1 for hop in hops if all(e[1] is None for e in hop))
    first = min((e[1] for hop in hops for e in hop if e[1] is not None), default=dt.date.max)
    return (len(hops), -score, undated, first, nodes)


def nx_rows(g: nx.MultiDiGraph, chains: list, where: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """The chains as rows with each hop's claims and citations (the work coopgraph's answer does too)."""
    rows = []
    for nodes, hops in chains:
        steps = []
        for i, ev in enumerate(hops):
            claims = []
            for claim, *_ in ev:
                u, v = where[claim]
                d = g.edges[u, v, claim]
                claims.append({"claim": claim, "relation": d["relation"], "date": d["date"], "status": d["status"],
                               "confidence": d["confidence"], "deal": d["deal"],
                               "citations": [{"document": c[0], "locator": c[1], "quote": c[2]} for c in d["citations"]]})
            steps.append({"from": nodes[i], "to": nodes[i + 1], "claims": claims})
        rows.append({"nodes": list(nodes), "steps": steps})
    return rows


def step_chains_nx(store: str, source: str, target: str, hops: str, budget: str, answers: str) -> dict:
    t0 = time.perf_counter()
    g = read_store(store)
    build = time.perf_counter() - t0
    gc.collect()  # start the search from a settled heap, as coopgraph's step does
    t1 = time.perf_counter()
    rel = Relations()
    try:
        chains = nx_search(g, {source}, {target}, int(hops), float(budget), rel)
    except Budget:
        return {"build": build, "query": time.perf_counter() - t1, "stopped": True, "peak_mb": peak_mb()}
    # the rows (claims and citations of each hop), as coopgraph's answer carries them
    chains.sort(key=rank_key)
    rows = nx_rows(g, chains, {k: (u, v) for u, v, k in g.edges(keys=True)})
    query = time.perf_counter() - t1
    out = {"build": build, "query": query, "stopped": False, "chains": len(rows), "peak_mb": peak_mb()}
    write_answers(answers, [chain_line(nodes, ([e[0] for e in ev] for ev in hops_)) for nodes, hops_ in chains])
    return out


# --- (b) SQLite, one recursive CTE ------------------------------------------------------------

def _first_day(x: str) -> str:
    return (f"CASE WHEN {x} IS NULL THEN NULL WHEN {x} LIKE '%s' THEN substr({x}, 1, 4) || '-01-01' "
            f"WHEN length({x}) = 4 THEN {x} || '-01-01' WHEN length({x}) = 7 THEN {x} || '-01' ELSE {x} END")


def _last_day(x: str) -> str:
    return (f"CASE WHEN {x} IS NULL THEN NULL WHEN {x} LIKE '%s' THEN printf('%04d-12-31', substr({x}, 1, 4) + 9) "
            f"WHEN length({x}) = 4 THEN {x} || '-12-31' WHEN length({x}) = 7 THEN date({x} || '-01', '+1 month', '-1 day') "
            f"ELSE {x} END")


FIRST = "coalesce(nullif(c.date, ''), nullif(c.start, ''), nullif(c.\"end\", ''))"
LAST = "coalesce(nullif(c.\"end\", ''), nullif(c.date, ''), nullif(c.start, ''))"
#: a claim's first and last day (rule 4) as ISO text, which compares as dates do
EARLIEST = f"CASE WHEN c.circa THEN date({_first_day(FIRST)}, '-366 days') ELSE {_first_day(FIRST)} END"
LATEST = f"CASE WHEN c.circa THEN date({_last_day(LAST)}, '+366 days') ELSE {_last_day(LAST)} END"
#: "no day reached yet": earlier than every date, later than every band's open lower end ('')
NO_DAY, NO_END = "0000-00-00", "9999-99-99"

CTE_PREPARE = f"""
-- the relation types' properties (filled from the schema file)
CREATE TEMP TABLE rel (name TEXT PRIMARY KEY, flow TEXT, role TEXT, ownership INT, origin INT);
-- rule 2: each deal claim's deal, item and party
CREATE TEMP TABLE cdeal AS
SELECT c.id AS claim, r.role AS role,
       CASE r.role WHEN 'supplier' THEN c.object ELSE c.subject END AS item,
       CASE r.role WHEN 'supplier' THEN c.subject ELSE c.object END AS party,
       coalesce(c.deal, 'deal:auto-' || substr(sha1(
           (CASE r.role WHEN 'supplier' THEN c.object ELSE c.subject END) || char(31) || coalesce(c.date, '') || char(31)
           || coalesce(c.start, '') || char(31) || coalesce(c."end", '') || char(31) || coalesce(CAST(c.quantity AS TEXT), '')
           || char(31) || coalesce(c.key, '') || coalesce(char(31) || (
               SELECT group_concat(t, char(31)) FROM (
                   SELECT document || char(30) || locator || char(30) || quote AS t FROM citations
                   WHERE claim_id = c.id ORDER BY t)), '')), 1, 16)) AS deal
FROM claims c JOIN rel r ON r.name = c.relation WHERE r.role IS NOT NULL;
CREATE INDEX temp.cdeal_deal ON cdeal(deal);
CREATE TEMP TABLE dparty AS
SELECT id AS deal, 'supplier' AS role, supplier AS party FROM deals WHERE nullif(supplier, '') IS NOT NULL
UNION SELECT id, 'recipient', recipient FROM deals WHERE nullif(recipient, '') IS NOT NULL
UNION SELECT deal, role, party FROM cdeal;
CREATE INDEX temp.dparty_deal ON dparty(deal, role);
CREATE TEMP TABLE ditem AS
SELECT id AS deal, item FROM deals
UNION ALL SELECT deal, min(item) FROM cdeal WHERE deal NOT IN (SELECT id FROM deals) GROUP BY deal;
-- deals of the same suppliers, item and recipients: one node, the smallest id
CREATE TEMP TABLE dgroup (deal TEXT PRIMARY KEY, node TEXT, item TEXT);
INSERT INTO dgroup
SELECT deal, min(deal) OVER (PARTITION BY k), item FROM (
    SELECT i.deal, i.item, i.item || char(31)
        || coalesce((SELECT group_concat(party, char(30)) FROM (SELECT DISTINCT party FROM dparty p
                     WHERE p.deal = i.deal AND p.role = 'supplier' ORDER BY party)), '') || char(31)
        || coalesce((SELECT group_concat(party, char(30)) FROM (SELECT DISTINCT party FROM dparty p
                     WHERE p.deal = i.deal AND p.role = 'recipient' ORDER BY party)), '') AS k
    FROM ditem i);
CREATE INDEX temp.dgroup_item ON dgroup(item);
-- rules 1-2: the arcs the claims make themselves, one row per claim, with its first and last day
CREATE TEMP TABLE own AS
SELECT a, b, claim, earliest, latest FROM (
    SELECT CASE WHEN r.role = 'supplier' OR (r.role IS NULL AND r.flow = 'forward') THEN c.subject
                WHEN r.role = 'recipient' THEN g.node ELSE c.object END AS a,
           CASE WHEN r.role = 'supplier' THEN g.node
                WHEN r.role = 'recipient' OR r.flow = 'forward' THEN c.object ELSE c.subject END AS b,
           c.id AS claim, {EARLIEST} AS earliest, {LATEST} AS latest
    FROM claims c JOIN rel r ON r.name = c.relation AND r.flow IS NOT NULL
    LEFT JOIN cdeal cd ON cd.claim = c.id LEFT JOIN dgroup g ON g.deal = cd.deal)
WHERE a <> b;
CREATE INDEX temp.own_ab ON own(a, b);
CREATE INDEX temp.own_b ON own(b);
CREATE TEMP TABLE dsup AS SELECT DISTINCT g.node AS deal, cd.party FROM cdeal cd JOIN dgroup g ON g.deal = cd.deal
    WHERE cd.role = 'supplier';
CREATE TEMP TABLE drec AS SELECT DISTINCT g.node AS deal, cd.party FROM cdeal cd JOIN dgroup g ON g.deal = cd.deal
    WHERE cd.role = 'recipient';
CREATE UNIQUE INDEX temp.dsup_key ON dsup(deal, party);
CREATE UNIQUE INDEX temp.drec_key ON drec(deal, party);
-- rule 3: each entity's states
CREATE TEMP TABLE belongs AS
WITH RECURSIVE m(node, state) AS (
    SELECT id, id FROM entities WHERE type = 'state'
    UNION SELECT id, country FROM entities WHERE nullif(country, '') IS NOT NULL
    UNION SELECT c.subject, m.state FROM m JOIN claims c ON c.object = m.node
          WHERE c.relation IN (SELECT name FROM rel WHERE ownership))
SELECT node, state FROM m
UNION SELECT c.object, m.state FROM claims c JOIN m ON m.node = c.subject JOIN entities e ON e.id = c.object
      WHERE c.relation IN (SELECT name FROM rel WHERE origin AND role IS NULL) AND e.type IN {ITEM_TYPES!r};
CREATE UNIQUE INDEX temp.belongs_key ON belongs(node, state);
-- rule 3: each party's state: itself, its country, else breadth first up its ownership claims, each
-- node's owners in the order of their first claim id (the walk key), the first found winning
CREATE TEMP TABLE party AS SELECT party FROM dsup UNION SELECT party FROM drec;
CREATE TEMP TABLE up AS SELECT subject AS u, object AS v, min(id) AS k FROM claims
    WHERE subject IN (SELECT id FROM entities WHERE type <> 'state' AND nullif(country, '') IS NULL)
    GROUP BY subject, object HAVING sum(relation IN (SELECT name FROM rel WHERE ownership)) > 0;
CREATE INDEX temp.up_u ON up(u);
CREATE TEMP TABLE depth AS
WITH RECURSIVE w(origin, node, d) AS (
    SELECT p.party, p.party, 0 FROM party p JOIN entities e ON e.id = p.party
    WHERE e.type <> 'state' AND nullif(e.country, '') IS NULL
    UNION
    SELECT w.origin, up.v, w.d + 1 FROM w JOIN up ON up.u = w.node WHERE w.d < 64)
SELECT origin, node, min(d) AS d FROM w GROUP BY origin, node;
CREATE UNIQUE INDEX temp.depth_key ON depth(origin, node);
CREATE TEMP TABLE stateof AS
SELECT p.party, CASE WHEN e.type = 'state' THEN e.id ELSE e.country END AS state FROM party p JOIN entities e ON e.id = p.party
WHERE e.type = 'state' OR nullif(e.country, '') IS NOT NULL
UNION ALL
SELECT origin, state FROM (
    WITH RECURSIVE w(origin, node, d, k) AS (
        SELECT origin, node, 0, '' FROM depth WHERE d = 0
        UNION ALL
        SELECT w.origin, up.v, w.d + 1, w.k || up.k FROM w JOIN up ON up.u = w.node
        JOIN depth x ON x.origin = w.origin AND x.node = up.v AND x.d = w.d + 1)
    SELECT w.origin, CASE WHEN e.type = 'state' THEN e.id ELSE e.country END AS state,
           row_number() OVER (PARTITION BY w.origin ORDER BY w.d, w.k) AS n
    FROM w JOIN entities e ON e.id = w.node WHERE e.type = 'state' OR nullif(e.country, '') IS NOT NULL)
WHERE n = 1;
CREATE TEMP TABLE pstate AS
SELECT DISTINCT 's' AS side, s.deal, st.state FROM dsup s JOIN stateof st ON st.party = s.party
UNION SELECT DISTINCT 'r', r.deal, st.state FROM drec r JOIN stateof st ON st.party = r.party;
CREATE UNIQUE INDEX temp.pstate_key ON pstate(side, deal, state);
-- the arcs between entities and items (no deals), both ways, and the deals that take their item's arcs
CREATE TEMP TABLE ownarc AS SELECT DISTINCT a, b FROM own;
CREATE INDEX temp.ownarc_a ON ownarc(a);
CREATE INDEX temp.ownarc_b ON ownarc(b);
CREATE TEMP TABLE delivered AS SELECT DISTINCT r.deal, g.item, r.deal IN (SELECT deal FROM dsup) AS supplied
    FROM drec r JOIN dgroup g ON g.deal = r.deal;
CREATE UNIQUE INDEX temp.delivered_deal ON delivered(deal);
CREATE INDEX temp.delivered_item ON delivered(item);
"""

# rule 6, then the nodes a chain may reach or pass, and the fewest arcs from each to a goal
CTE_ENDS = """
CREATE TEMP TABLE source (id TEXT PRIMARY KEY);
CREATE TEMP TABLE target (id TEXT PRIMARY KEY);
INSERT INTO source VALUES (:source);
INSERT INTO target VALUES (:target);
CREATE TEMP TABLE start AS
SELECT id FROM source
UNION SELECT g.node FROM dgroup g JOIN source s ON s.id = g.item
WHERE g.deal IN (SELECT deal FROM dparty WHERE role = 'supplier' AND party IN (SELECT id FROM source))
   OR NOT EXISTS (SELECT 1 FROM dgroup g2 JOIN dparty p ON p.deal = g2.deal AND p.role = 'supplier'
                  WHERE g2.item = g.item AND p.party IN (SELECT id FROM source));
CREATE TEMP TABLE standin AS
SELECT DISTINCT c.object AS id FROM target t JOIN entities e ON e.id = t.id AND e.type = 'armed_service'
JOIN claims c ON c.subject = t.id AND c.relation IN (SELECT name FROM rel WHERE ownership)
JOIN entities s ON s.id = c.object AND s.type = 'state' WHERE c.object NOT IN (SELECT id FROM target);
CREATE TEMP TABLE goal AS
SELECT id FROM target UNION SELECT g.node FROM dgroup g JOIN target t ON t.id = g.item UNION SELECT id FROM standin;
CREATE TEMP TABLE node (id TEXT PRIMARY KEY, passable INT, goal INT, standin INT, plain TEXT);
INSERT INTO node
SELECT e.id, e.type <> 'state' AND e.id NOT IN (SELECT id FROM goal), e.id IN (SELECT id FROM goal),
       e.id IN (SELECT id FROM standin), e.id FROM entities e;
INSERT INTO node
SELECT DISTINCT g.node, g.node NOT IN (SELECT id FROM goal), g.node IN (SELECT id FROM goal), 0, g.item
FROM dgroup g WHERE g.node = g.deal;
-- the fewest arcs from each node to a goal, through passable nodes. A deal's joins (rule 3) are looked up
-- as the walk back meets them: arcs into a deal from its item's inputs on the suppliers' side, and arcs
-- into an entity from the deals of the items that reach it, when it is on their recipients' side
CREATE TEMP TABLE dist (node TEXT PRIMARY KEY, d INT);
INSERT INTO dist
WITH RECURSIVE r(node, d) AS (
    SELECT id, 0 FROM goal
    UNION
    SELECT o.a, r.d + 1 FROM r JOIN node n ON n.id = r.node JOIN ownarc o ON o.b = r.node
    WHERE r.d < :hops AND (r.d = 0 OR n.passable)
    UNION
    SELECT o.a, r.d + 1 FROM r JOIN node n ON n.id = r.node JOIN delivered dl ON dl.deal = r.node AND dl.supplied
    JOIN ownarc o ON o.b = dl.item
    WHERE r.d < :hops AND (r.d = 0 OR n.passable) AND o.a NOT LIKE 'deal:%' AND (
        EXISTS (SELECT 1 FROM dsup WHERE dsup.deal = dl.deal AND dsup.party = o.a)
        OR EXISTS (SELECT 1 FROM belongs bl JOIN pstate ps ON ps.side = 's' AND ps.deal = dl.deal AND ps.state = bl.state
                   WHERE bl.node = o.a))
    UNION
    SELECT dl.deal, r.d + 1 FROM r JOIN node n ON n.id = r.node JOIN ownarc o ON o.b = r.node
    JOIN delivered dl ON dl.item = o.a
    WHERE r.d < :hops AND (r.d = 0 OR n.passable) AND r.node NOT LIKE 'deal:%' AND (
        EXISTS (SELECT 1 FROM drec WHERE drec.deal = dl.deal AND drec.party = r.node)
        OR EXISTS (SELECT 1 FROM belongs bl JOIN pstate ps ON ps.side = 'r' AND ps.deal = dl.deal AND ps.state = bl.state
                   WHERE bl.node = r.node)))
SELECT node, min(d) FROM r GROUP BY node;
"""

# reachability pruning: every node of a chain can still reach a goal, so only the arcs between nodes of
# `dist` are made: the claims' own arcs, and the deals' joins (rule 3) on the right side, each with its
# claims; then the time bands of those arcs (rule 4), and the steps a search may take
CTE_ARCS = f"""
CREATE TEMP TABLE joined AS
SELECT dl.deal AS a, o.b AS b, dl.item AS fa, o.b AS fb FROM delivered dl JOIN dist da ON da.node = dl.deal
JOIN ownarc o ON o.a = dl.item JOIN dist db ON db.node = o.b
WHERE o.b NOT LIKE 'deal:%' AND (EXISTS (SELECT 1 FROM drec r WHERE r.deal = dl.deal AND r.party = o.b)
    OR EXISTS (SELECT 1 FROM belongs bl JOIN pstate ps ON ps.side = 'r' AND ps.deal = dl.deal AND ps.state = bl.state
               WHERE bl.node = o.b))
UNION ALL
SELECT o.a, dl.deal, o.a, dl.item FROM delivered dl JOIN dist dd ON dd.node = dl.deal
JOIN ownarc o ON o.b = dl.item JOIN dist dx ON dx.node = o.a
WHERE dl.supplied AND o.a NOT LIKE 'deal:%'
  AND (EXISTS (SELECT 1 FROM dsup s WHERE s.deal = dl.deal AND s.party = o.a)
    OR EXISTS (SELECT 1 FROM belongs bl JOIN pstate ps ON ps.side = 's' AND ps.deal = dl.deal AND ps.state = bl.state
               WHERE bl.node = o.a));
CREATE TEMP TABLE arc_claim AS
SELECT o.a, o.b, o.claim, o.earliest, o.latest FROM dist da JOIN own o ON o.a = da.node JOIN dist db ON db.node = o.b
UNION ALL SELECT j.a, j.b, o.claim, o.earliest, o.latest FROM joined j JOIN own o ON o.a = j.fa AND o.b = j.fb;
CREATE INDEX temp.arc_claim_ab ON arc_claim(a, b, latest);
-- rule 4 as bands: while the day a chain has reached lies in (lo, hi], an arc's usable claims are its
-- undated ones and the dated ones ending on or after hi, and the earliest first day of those is nt
CREATE TEMP TABLE band (id INTEGER PRIMARY KEY, a TEXT, b TEXT, lo TEXT, hi TEXT, nt TEXT);
INSERT INTO band (a, b, lo, hi, nt)
WITH per AS (SELECT DISTINCT a, b, latest AS hi FROM arc_claim WHERE latest IS NOT NULL)
SELECT a, b, coalesce((SELECT max(latest) FROM arc_claim c WHERE c.a = per.a AND c.b = per.b AND c.latest < per.hi), ''),
       hi, (SELECT min(earliest) FROM arc_claim c WHERE c.a = per.a AND c.b = per.b AND c.latest >= per.hi)
FROM per
UNION ALL
SELECT a, b, coalesce(max(latest), ''), '{NO_END}', NULL FROM arc_claim GROUP BY a, b HAVING sum(latest IS NULL) > 0;
CREATE TEMP TABLE step AS
SELECT bd.id, bd.a, bd.b, bd.lo, bd.hi, bd.nt, dist.d, n.goal, n.standin, n.passable, n.plain
FROM band bd JOIN dist ON dist.node = bd.b JOIN node n ON n.id = bd.b
WHERE n.goal OR n.passable;
CREATE INDEX temp.step_a ON step(a, d);
"""

# rules 4-5: the search. A row is a chain so far: its nodes ('|a|b|'), the same with each deal read as
# its item, its last two nodes, the day it has reached, the time band each hop used, how many deals it
# passes, and whether it has reached a goal (then it grows no further).
CTE_SEARCH = f"""
CREATE TEMP TABLE found AS
WITH RECURSIVE s(hops, path, plain, last, prev, t, bands, deals, done) AS (
    SELECT 0, '|' || st.id || '|', '|' || n.plain || '|', st.id, NULL, '{NO_DAY}', '', st.id LIKE 'deal:%', 0
    FROM start st JOIN dist ON dist.node = st.id AND dist.d <= :hops JOIN node n ON n.id = st.id
    UNION ALL
    SELECT s.hops + 1, s.path || x.b || '|', s.plain || x.plain || '|', x.b, s.last,
           CASE WHEN x.nt IS NULL THEN s.t ELSE max(s.t, x.nt) END, s.bands || x.id || ',',
           s.deals + (x.b LIKE 'deal:%'), x.goal AND (NOT x.standin OR s.last LIKE 'deal:%')
    FROM s JOIN step x ON x.a = s.last AND x.d <= :hops - s.hops - 1
    WHERE NOT s.done AND x.lo < s.t AND x.hi >= s.t
      AND instr(s.path, '|' || x.b || '|') = 0
      AND ((x.goal AND (NOT x.standin OR s.last LIKE 'deal:%')) OR x.passable)
      AND (s.prev IS NULL OR s.last NOT LIKE 'deal:%'
           OR EXISTS (SELECT 1 FROM dsup WHERE dsup.deal = s.last AND dsup.party = s.prev)
           OR EXISTS (SELECT 1 FROM drec WHERE drec.deal = s.last AND drec.party = x.b)))
SELECT hops, path, plain, last, prev AS pen, bands, deals FROM s WHERE done;
"""

# rule 7 in SQL: every proper tail (two nodes or more) of each chain read with deals as items; the
# chains that are none, most deals first; then the stand-ins whose deal reaches a goal of its own
CTE_LEAVE_OUT = """
CREATE TEMP TABLE tail AS
WITH RECURSIVE suf(rest, n) AS (
    SELECT substr(plain, instr(substr(plain, 2), '|') + 1), hops FROM found WHERE hops >= 2
    UNION ALL
    SELECT substr(rest, instr(substr(rest, 2), '|') + 1), n - 1 FROM suf WHERE n > 2)
SELECT DISTINCT rest FROM suf;
CREATE UNIQUE INDEX temp.tail_rest ON tail(rest);
CREATE TEMP TABLE kept AS
SELECT path, last, pen, bands FROM (
    SELECT f.*, max(deals) OVER (PARTITION BY plain) AS most FROM found f WHERE plain NOT IN (SELECT rest FROM tail))
WHERE deals = most;
CREATE TEMP TABLE reaching AS
WITH RECURSIVE part(rest, node) AS (
    SELECT substr(k.path, 2), NULL FROM kept k JOIN node n ON n.id = k.last WHERE NOT n.standin
    UNION ALL
    SELECT substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1) FROM part WHERE rest <> '')
SELECT DISTINCT node FROM part WHERE node LIKE 'deal:%';
CREATE TEMP TABLE answer AS
SELECT k.path, k.bands FROM kept k JOIN node n ON n.id = k.last WHERE NOT (n.standin AND k.pen IN (SELECT node FROM reaching));
"""

# each hop's claims (those its band allows) with their citations: the rows of the answer
CTE_ROWS = """
CREATE TEMP TABLE used AS
WITH RECURSIVE part(rest, id) AS (
    SELECT bands, NULL FROM answer
    UNION ALL
    SELECT substr(rest, instr(rest, ',') + 1), CAST(substr(rest, 1, instr(rest, ',') - 1) AS INTEGER) FROM part WHERE rest <> '')
SELECT DISTINCT id FROM part WHERE id IS NOT NULL;
CREATE TEMP TABLE band_claim AS
SELECT bd.id AS band, ac.claim, ac.earliest FROM used u JOIN band bd ON bd.id = u.id
JOIN arc_claim ac ON ac.a = bd.a AND ac.b = bd.b AND (ac.latest IS NULL OR ac.latest >= bd.hi);
-- the rank: fewest hops, the strongest weakest link, fewest undated hops, earliest first day, then the nodes
CREATE TEMP TABLE band_stat AS
SELECT bc.band, max(c.confidence) AS conf, min(bc.earliest) AS first FROM band_claim bc JOIN claims c ON c.id = bc.claim
GROUP BY bc.band;
CREATE TEMP TABLE hop AS
WITH RECURSIVE part(chain, rest, band) AS (
    SELECT rowid, bands, NULL FROM answer
    UNION ALL
    SELECT chain, substr(rest, instr(rest, ',') + 1), CAST(substr(rest, 1, instr(rest, ',') - 1) AS INTEGER) FROM part
    WHERE rest <> '')
SELECT chain, band FROM part WHERE band IS NOT NULL;
CREATE TEMP TABLE ranked AS
SELECT a.path, a.bands FROM answer a JOIN hop h ON h.chain = a.rowid JOIN band_stat bs ON bs.band = h.band
GROUP BY a.rowid
ORDER BY count(*), round(min(bs.conf), 3) DESC, sum(bs.first IS NULL), coalesce(min(bs.first), '9999-99-99'), a.path;
"""
CTE_CLAIMS = """
SELECT c.id, c.relation, c.date, c.status, c.confidence, c.deal,
       (SELECT json_group_array(json_object('document', document, 'locator', locator, 'quote', quote))
        FROM (SELECT * FROM citations WHERE claim_id = c.id ORDER BY seq))
FROM claims c WHERE c.id IN (SELECT claim FROM band_claim)
"""


def cte_search(store: str, source: str, target: str, hops: int, budget: float = float("inf"),
               times: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """Every chain as SQL on the store (rules 1-7); raises :class:`Budget` past ``budget`` seconds."""
    times = {} if times is None else times
    rel = Relations()
    conn = sqlite3.connect(Path(store).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA temp_store = FILE")  # the helper tables spill to a temporary file, not to RAM
        conn.execute("PRAGMA cache_size = -262144")  # with a 256 MB page cache
        # SQLite has no SHA-1 of its own: the implied deals' ids (rule 2) come from Python's hashlib
        conn.create_function("sha1", 1, lambda text: hashlib.sha1(text.encode("utf-8")).hexdigest(), deterministic=True)
        deadline = time.perf_counter() + budget
        conn.set_progress_handler(lambda: int(time.perf_counter() > deadline), 100_000)
        if conn.execute("SELECT 1 FROM entities WHERE instr(id, '|') OR instr(id, ',') LIMIT 1").fetchone():
            raise SystemExit("an entity id holds '|' or ',', which the CTE uses to separate nodes and bands")
        t = time.perf_counter()
        try:
            conn.execute(CTE_PREPARE.split(";", 1)[0])
            conn.executemany("INSERT INTO rel VALUES (?, ?, ?, ?, ?)",
                             [(n, rel.flow.get(n), rel.role.get(n), n in rel.ownership, n in rel.origin)
                              for n in set(rel.flow) | rel.ownership | rel.origin | set(rel.role)])
            conn.executescript(CTE_PREPARE.split(";", 1)[1])
            times["prepare"] = time.perf_counter() - t
            t = time.perf_counter()
            params = {"source": source, "target": target, "hops": hops}
            for sql in (CTE_ENDS, CTE_ARCS, CTE_SEARCH, CTE_LEAVE_OUT, CTE_ROWS):
                for statement in filter(str.strip, sql.split(";")):
                    conn.execute(statement, {k: v for k, v in params.items() if f":{k}" in statement})
        except sqlite3.OperationalError as exc:
            if str(exc) == "interrupted":
                raise Budget from None
            raise
        times["search"] = time.perf_counter() - t
        t = time.perf_counter()
        claims = {cid: {"claim": cid, "relation": rel_, "date": date, "status": status, "confidence": conf, "deal": deal,
                        "citations": json.loads(cites)}
                  for cid, rel_, date, status, conf, deal, cites in conn.execute(CTE_CLAIMS)}
        by_band: dict[int, list[str]] = {}
        for band, claim in conn.execute("SELECT band, claim FROM band_claim"):
            by_band.setdefault(band, []).append(claim)
        rows = []
        for path, bands in conn.execute("SELECT path, bands FROM ranked ORDER BY rowid"):
            nodes = path.strip("|").split("|")
            hops_ = [[claims[c] for c in by_band[int(b)]] for b in bands.rstrip(",").split(",")]
            rows.append({"nodes": nodes, "steps": [{"from": nodes[i], "to": nodes[i + 1], "claims": h}
                                                   for i, h in enumerate(hops_)]})
        times["rows"] = time.perf_counter() - t
        return rows
    finally:
        conn.close()


def step_chains_cte(store: str, source: str, target: str, hops: str, budget: str, answers: str) -> dict:
    times: dict[str, float] = {}
    t = time.perf_counter()
    try:
        rows = cte_search(store, source, target, int(hops), float(budget), times)
    except Budget:
        return {"seconds": time.perf_counter() - t, "stopped": True, "peak_mb": peak_mb(), **times}
    out = {"seconds": time.perf_counter() - t, "stopped": False, "chains": len(rows), "peak_mb": peak_mb(), **times}
    write_answers(answers, [chain_line(r["nodes"], ([c["claim"] for c in s["claims"]] for s in r["steps"])) for r in rows])
    return out


# --- load: csv.reader into networkx, the collector paused ---------------------------------------

def csv_graph(folder: str) -> nx.MultiDiGraph:
    """The generated files as a MultiDiGraph: entities, documents, deals, and one edge per claim with its citations."""
    folder_ = Path(folder)
    gc.disable()
    gc.freeze()
    g = nx.MultiDiGraph()
    with open(folder_ / "documents.csv", newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        g.graph["documents"] = {row[0]: dict(zip(header, row)) for row in rows}
    with open(folder_ / "entities.csv", newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)
        g.add_nodes_from((eid, {"type": etype, "name": name, "aliases": aliases.split(";") if aliases else [],
                                "country": country or None}) for eid, etype, name, aliases, country in rows)
    deals = folder_ / "deals.csv"
    if deals.exists():
        with open(deals, newline="", encoding="utf-8") as f:
            rows = csv.reader(f)
            next(rows)
            g.graph["deals"] = {did: {"item": item, "supplier": supplier or None, "recipient": recipient or None}
                                for did, item, supplier, recipient in rows}
    with open(folder_ / "claims.csv", newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        col = {name: i for i, name in enumerate(next(rows))}
        s_, r_, o_, d_, st_, en_, status_, conf_, q_, k_ = (col[n] for n in (
            "subject", "relation", "object", "date", "start", "end", "status", "confidence", "quantity", "key"))
        deal_ = col.get("deal")
        doc_, loc_, quote_ = col["document"], col["locator"], col["quote"]
        edges: dict[str, tuple] = {}
        for row in rows:
            key = row[k_]
            cite = {"document": row[doc_], "locator": row[loc_], "quote": row[quote_]}
            edge = edges.get(key)
            if edge is not None:
                edge[3]["citations"].append(cite)
                continue
            q = row[q_]
            edges[key] = (row[s_], row[o_], key, {
                "relation": row[r_], "date": row[d_] or None, "start": row[st_] or None, "end": row[en_] or None,
                "status": row[status_], "confidence": float(row[conf_]), "quantity": int(q) if q else None,
                "deal": (row[deal_] or None) if deal_ is not None else None, "citations": [cite]})
    g.add_edges_from(edges.values())
    gc.unfreeze()
    gc.enable()
    return g


def step_load_nx(folder: str) -> dict:
    t = time.perf_counter()
    g = csv_graph(folder)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "peak_mb": peak_mb(), "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
            "citations": sum(len(c) for _, _, c in g.edges(data="citations"))}


# --- exports: networkx's writers, the same content --------------------------------------------

def read_store_full(path: str) -> nx.MultiDiGraph:
    """Everything coopgraph's exports write, from the store's tables: documents, entities, deal records,
    and one edge per claim with every column and its citations (what ``coopgraph export`` reads too)."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    gc.disable()
    try:
        g = nx.MultiDiGraph()
        cols = ("id", "title", "date", "author", "publisher", "url", "kind")
        g.graph["documents"] = [dict(zip(cols, row)) for row in conn.execute(f"SELECT {', '.join(cols)} FROM documents ORDER BY id")]
        g.add_nodes_from((eid, {"type": etype, "name": name, "aliases": json.loads(aliases), "country": country,
                                "description": description, "wikidata": wikidata, "attributes": json.loads(attributes)})
                         for eid, etype, name, aliases, country, description, wikidata, attributes in conn.execute(
                             "SELECT id, type, name, aliases, country, description, wikidata, attributes FROM entities ORDER BY id"))
        cols = ("id", "item", "supplier", "recipient", "variant", "name", "notes")
        g.graph["deals"] = [dict(zip(cols, row)) for row in conn.execute(f"SELECT {', '.join(cols)} FROM deals ORDER BY id")]
        cites: dict[str, list[dict[str, str]]] = {}
        for cid, doc, loc, quote in conn.execute("SELECT claim_id, document, locator, quote FROM citations ORDER BY claim_id, seq"):
            cites.setdefault(cid, []).append({"document": doc, "locator": loc, "quote": quote})
        g.add_edges_from(
            (s, o, cid, {"relation": rel, "date": date, "start": start, "end": end, "circa": bool(circa), "status": status,
                         "confidence": conf, "quantity": qty, "unit": unit,
                         "value": None if amount is None else {"amount": amount, "currency": currency, "estimate": bool(estimate)},
                         "key": key, "notes": notes, "attributes": json.loads(attributes), "deal": deal,
                         "citations": cites.get(cid, [])})
            for (cid, s, rel, o, date, start, end, circa, status, conf, qty, unit, amount, currency, estimate, key, notes,
                 attributes, deal) in conn.execute(
                'SELECT id, subject, relation, object, date, start, "end", circa, status, confidence, quantity, unit, '
                "value_amount, value_currency, value_estimate, key, notes, attributes, deal FROM claims ORDER BY id"))
    finally:
        conn.close()
        gc.enable()
    return g


def _scalar_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with lists and mappings as JSON text (GraphML and GEXF take scalars only), deal records as
    nodes of type ``Deal``, absent values left out."""
    def scalars(d: dict) -> dict:
        out = {}
        for name, value in d.items():
            if value is None or value == {} or (name == "aliases" and not value):
                continue
            if name == "value":
                out.update({f"value_{k}": v for k, v in value.items() if v is not None})
            elif isinstance(value, (list, dict)):
                out[f"{name}_json"] = json.dumps(value, ensure_ascii=False)
            else:
                out[name] = value
        return out

    out = nx.MultiDiGraph()
    out.graph["documents_json"] = json.dumps(g.graph["documents"], ensure_ascii=False)
    out.add_nodes_from((node, scalars(d)) for node, d in g.nodes(data=True))
    out.add_nodes_from((deal["id"], {"type": "Deal", **scalars({k: v for k, v in deal.items() if k != "id"})})
                       for deal in g.graph["deals"])
    out.add_edges_from((u, v, k, scalars(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return out


def step_read_nx(store: str) -> dict:
    """Reading the store alone: the baseline export's memory before it writes."""
    t = time.perf_counter()
    g = read_store_full(store)
    return {"seconds": time.perf_counter() - t, "edges": g.number_of_edges(), "peak_mb": peak_mb()}


def step_export_nx(store: str, fmt: str, path: str) -> dict:
    g = read_store_full(store)
    t = time.perf_counter()
    if fmt == "json":
        with open(path, "w", encoding="utf-8") as out:
            json.dump(nx.node_link_data(g, edges="edges"), out, ensure_ascii=False)
    elif fmt == "graphml":
        nx.write_graphml(_scalar_graph(g), path)
    elif fmt == "gexf":
        nx.write_gexf(_scalar_graph(g), path)
    else:
        raise SystemExit(f"no baseline writer for {fmt}")
    return {"seconds": time.perf_counter() - t, "bytes": Path(path).stat().st_size, "peak_mb": peak_mb()}


STEPS = {"load-nx": step_load_nx, "chains-nx": step_chains_nx, "chains-cte": step_chains_cte, "read-nx": step_read_nx,
         "export-nx": step_export_nx}


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in STEPS:
        raise SystemExit(f"usage: python bench/baselines.py {{{','.join(STEPS)}}} ARGS...")
    print(json.dumps(STEPS[sys.argv[1]](*sys.argv[2:])))
