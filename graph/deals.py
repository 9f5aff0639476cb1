"""Deals: a transfer (supplier, item, recipient) as one fact, and what its claims say about it.

A deal is declared in a dataset file (``deals:``) or by the claims that name it
(``deal: ...``). Its claims are the relations with a *deal role* in the schema:
``supplies`` (supplier -> item) for the supplier's side, ``transferred_to`` and
``licensed_to`` (item -> recipient) for the recipient's.

A claim with a deal role but no deal key still belongs to a deal: its
*implied* deal, ``deal:auto-...``, a hash of the item, the dates, the quantity,
the key and the citations. The pair of claims a source states in one sentence
("Russia sold 24 Su-35 to China": ``supplies`` + ``transferred_to`` with the same
date, number and citation) implies one deal; claims stated separately imply
separate deals, which chains never join.

A deal may gather several contracts (the CSIS primer's "Su-27 purchases of
1992-2006" are four rows of SIPRI's register), and several documents may report
one contract (CSIS's and SIPRI's 24 Su-35). :func:`deal_numbers` counts each
contract once and adds distinct contracts up, unit by unit (docs/schema.md,
"Deals": how numbers are worked out).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import operator
from dataclasses import dataclass, field
from functools import cached_property
from collections.abc import Mapping
from typing import Any, Iterable, Iterator

from coopgraph.graph.dates import PartialDate
from coopgraph.graph.model import Deal

DEAL_PREFIX = "deal:"
AUTO_PREFIX = "deal:auto-"

#: how far a deal has got, least to most; a deal's status is the furthest its claims reach
PROGRESSION = ("planned", "announced", "agreed", "contracted", "in_progress", "delivered")
#: statuses of claims that speak of an order rather than of a delivery
ORDER_STATUSES = frozenset({"planned", "announced", "agreed", "contracted"})
#: statuses whose numbers may still be the order's ("reported 24 aircraft")
NUMBER_STATUSES = ORDER_STATUSES | {"reported", "alleged"}
DELIVERY_STATUSES = frozenset({"in_progress", "delivered"})


def normalise_deal_id(text: str) -> str:
    """``ru-cn-su-35-2015`` or ``deal:ru-cn-su-35-2015`` -> ``deal:ru-cn-su-35-2015``.

    >>> normalise_deal_id("ru-cn-su-35-2015")
    'deal:ru-cn-su-35-2015'
    """
    text = text.strip()
    return text if text.startswith(DEAL_PREFIX) else DEAL_PREFIX + text


def implied_deal_id(item: str, date: str | None, start: str | None, end: str | None, quantity: int | None,
                    key: str | None, citations: Iterable[Mapping[str, str] | Any]) -> str:
    """The implied deal of a claim with a deal role and no deal key.

    Both halves of a sale stated by one sentence (same item, dates, number, key
    and citations) give the same id; anything else gives another.

    >>> cite = [{"document": "d", "locator": "p. 1", "quote": "R sold X to C."}]
    >>> implied_deal_id("system:x", "2001", None, None, 3, None, cite) == implied_deal_id("system:x", "2001", None, None, 3, None, cite)
    True
    >>> implied_deal_id("system:x", "2001", None, None, 3, None, cite) == implied_deal_id("system:x", "2002", None, None, 3, None, cite)
    False
    """
    cites = sorted(_citation_text(c) for c in citations)
    parts = [item, date or "", start or "", end or "", "" if quantity is None else str(quantity), key or "", *cites]
    return AUTO_PREFIX + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _citation_text(citation: Mapping[str, str] | Any) -> str:
    if isinstance(citation, Mapping):
        return "\x1e".join((citation["document"], citation["locator"], citation["quote"]))
    return "\x1e".join((citation.document, citation.locator, citation.quote))


def claim_summaries(claims: Iterable[Any], deal_roles: Mapping[str, str], declared: Mapping[str, Deal],
                    names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Deal summaries (:func:`deal_summary`) of the deals among ``claims`` (:class:`~coopgraph.graph.model.Claim`).

    For reports that read a few claims from a store rather than the whole graph.
    """
    graph = _ClaimGraph()
    for claim in claims:
        if claim.relation not in deal_roles:
            continue
        for node in (claim.subject, claim.object):
            graph.add_node(node, name=names.get(node, node))
        graph.add_edge(claim.subject, claim.object, key=claim.id, type=claim.relation, date=claim.date,
                       start=claim.start, end=claim.end, status=claim.status, confidence=claim.confidence,
                       quantity=claim.quantity, unit=claim.unit, claim_key=claim.key, deal=claim.deal,
                       value=None if claim.value is None else {"amount": claim.value.amount,
                                                               "currency": claim.value.currency,
                                                               "estimate": claim.value.estimate},
                       citations=[c.to_dict() for c in claim.citations])
    wanted = {d: deal for d, deal in declared.items()}
    attach_deals(graph, deal_roles, {})
    deals = graph.graph["deals"]
    for deal_id, deal in wanted.items():
        if deal_id in deals:
            summary = deals[deal_id]
            for part, key in (("supplier", "suppliers"), ("recipient", "recipients")):
                party = getattr(deal, part)
                if party and party not in summary[key]:
                    summary[key].insert(0, party)
            if deal.variant:
                summary["variant"] = deal.variant
                summary["item_name"] += f" ({deal.variant})"
            supplier_names = ", ".join(names.get(s, s) for s in summary["suppliers"]) or "?"
            recipient_names = ", ".join(names.get(r, r) for r in summary["recipients"]) or "?"
            summary["label"] = f"{summary['item_name']}: {supplier_names} → {recipient_names}"
            summary["notes"] = deal.notes
    return list(deals.values())


def deal_item(role: str, subject: str, obj: str) -> str:
    """The item of a deal claim: the object of a supplier's claim, the subject of a recipient's."""
    return obj if role == "supplier" else subject


def routed_links(u: str, v: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The links a claim (edge ``u -> v``) makes when each deal is a node of its own: ``u -> v`` itself,
    or, for a deal claim, its party to the deal (supplier -> deal, deal -> recipient) and the deal to
    its item, so that two deals of one item meet only at the item.

    >>> routed_links("firm:a", "system:x", {"deal_role": "supplier", "deal": "deal:d", "item": "system:x"})
    [('firm:a', 'deal:d'), ('deal:d', 'system:x')]
    >>> routed_links("firm:a", "firm:b", {})
    [('firm:a', 'firm:b')]
    """
    role = data.get("deal_role")
    if role is None:
        return [(u, v)]
    deal = data["deal"]
    return [(u, deal) if role == "supplier" else (deal, v), (deal, data["item"])]


_claim_id = operator.itemgetter(2)


def deal_party(role: str, subject: str, obj: str) -> str:
    """The party of a deal claim: the supplier (subject) or the recipient (object)."""
    return subject if role == "supplier" else obj


class _ClaimGraph:
    """The little of a ``networkx.MultiDiGraph`` that :func:`attach_deals` and :func:`deal_summary` read.

    ``coopgraph show`` summarises the deals of one entity's claims; importing networkx
    for that would be most of its start-up.

    >>> g = _ClaimGraph(); g.add_node("a", name="A"); g.add_edge("a", "b", key="c1", type="supplies")
    >>> "a" in g, g.nodes["a"]["name"], list(g.edges(keys=True, data=True))
    (True, 'A', [('a', 'b', 'c1', {'type': 'supplies'})])
    """

    def __init__(self) -> None:
        self.graph: dict[str, Any] = {}
        self.nodes: dict[str, dict[str, Any]] = {}
        self._edges: list[tuple[str, str, str, dict[str, Any]]] = []

    def add_node(self, node: str, **attrs: Any) -> None:
        self.nodes.setdefault(node, {}).update(attrs)

    def add_edge(self, u: str, v: str, key: str, **data: Any) -> None:
        for node in (u, v):
            self.nodes.setdefault(node, {})
        self._edges.append((u, v, key, data))

    def edges(self, keys: bool = True, data: bool = True) -> list[tuple[str, str, str, dict[str, Any]]]:
        if not (keys and data):
            raise NotImplementedError("only edges(keys=True, data=True)")
        return list(self._edges)

    def __contains__(self, node: object) -> bool:
        return node in self.nodes


def attach_deals(graph, deal_roles: Mapping[str, str], declared: Mapping[str, Deal] | None = None) -> None:
    """Give every deal claim (edge) of ``graph`` its deal, and gather the deals in ``graph.graph["deals"]``.

    An edge with a deal role keeps its ``deal`` or gets its implied one; each
    edge also gets ``deal_role`` ("supplier" or "recipient") and ``item``.
    ``graph.graph["deals"]`` maps deal ids to :func:`deal_summary` dicts (a
    :class:`DealSummaries`, which works each out when it is first read), and
    ``graph.graph["deals_by_item"]`` maps items to their deal ids.
    """
    declared = declared or {}
    members: dict[str, list[tuple[str, str, str, dict]]] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        role = deal_roles.get(data.get("type"))
        if role is None:
            continue
        item = deal_item(role, u, v)
        deal = data.get("deal") or implied_deal_id(item, data.get("date"), data.get("start"), data.get("end"),
                                                   data.get("quantity"), data.get("claim_key"), data.get("citations") or ())
        data["deal"] = deal
        data["deal_role"] = role
        data["item"] = item
        members.setdefault(deal, []).append((u, v, key, data))
    items: dict[str, str] = {}
    by_item: dict[str, list[str]] = {}
    for deal_id in sorted(set(members) | set(declared)):
        item = _deal_item_of(members.get(deal_id, ()), declared.get(deal_id))
        if item is None or item not in graph:
            continue  # deal_summary gives no summary for it
        items[deal_id] = item
        by_item.setdefault(item, []).append(deal_id)
    graph.graph["deals"] = DealSummaries(members, declared, graph, items)
    graph.graph["deals_by_item"] = by_item


class DealSummaries(Mapping):
    """Deal id -> :func:`deal_summary`, each summary worked out when it is first read, then kept.

    A report reads the summaries of the few deals it shows; working out every deal's
    numbers, dates and citations up front took a quarter of a large graph's build
    (6.4 s of 29 s at a million generated claims). What a search needs of every deal
    (its item and parties) is at hand without a summary: :meth:`item`, :meth:`parties`.
    The graph is taken as read-only once built (as ``store.graph()`` is), so a
    summary read later is the one it would have been at the build.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("state:r", "system:x", key="c1", type="supplies", deal="deal:x", citations=[])
    >>> _ = g.add_edge("system:x", "state:c", key="c2", type="transferred_to", deal="deal:x", citations=[])
    >>> attach_deals(g, {"supplies": "supplier", "transferred_to": "recipient"})
    >>> deals = g.graph["deals"]
    >>> deals.parties("deal:x"), deals["deal:x"]["label"]
    ((['state:r'], 'system:x', ['state:c']), 'system:x: state:r → state:c')
    """

    def __init__(self, members: Mapping[str, list[tuple[str, str, str, dict]]], declared: Mapping[str, Deal],
                 graph, items: dict[str, str]):
        self._members = members
        self._declared = declared
        self._graph = graph
        self._items = items
        self._summaries: dict[str, dict[str, Any]] = {}

    def __getitem__(self, deal_id: str) -> dict[str, Any]:
        summary = self._summaries.get(deal_id)
        if summary is None:
            self._items[deal_id]  # an unknown deal raises KeyError here, as a Mapping's lookup must
            summary = self._summaries[deal_id] = deal_summary(
                deal_id, self._members.get(deal_id, []), self._declared.get(deal_id), self._graph)
        return summary

    def __contains__(self, deal_id: object) -> bool:
        return deal_id in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def item(self, deal_id: str) -> str:
        """The deal's item, as its summary has it."""
        return self._items[deal_id]

    def parties(self, deal_id: str) -> tuple[list[str], str, list[str]]:
        """The deal's suppliers, item and recipients, as its summary has them."""
        summary = self._summaries.get(deal_id)
        if summary is not None:
            return summary["suppliers"], summary["item"], summary["recipients"]
        suppliers, recipients = _parties(self._members.get(deal_id, []), self._declared.get(deal_id))
        return suppliers, self._items[deal_id], recipients


def deal_parties(deals: Mapping[str, Any], deal_id: str) -> tuple[list[str], str, list[str]]:
    """A deal's suppliers, item and recipients from ``graph.graph["deals"]``, without working out its summary
    when the deals are :class:`DealSummaries`."""
    if isinstance(deals, DealSummaries):
        return deals.parties(deal_id)
    deal = deals[deal_id]
    return deal["suppliers"], deal["item"], deal["recipients"]


def item_of_deal(deals: Mapping[str, Any], deal_id: str) -> str:
    """A deal's item from ``graph.graph["deals"]``, without working out its summary when the deals are
    :class:`DealSummaries`."""
    if isinstance(deals, DealSummaries):
        return deals.item(deal_id)
    return deals[deal_id]["item"]


def _deal_item_of(edges: Iterable[tuple[str, str, str, dict]], declared: Deal | None) -> str | None:
    """The item :func:`deal_summary` gives the deal: the declared one, else that of its first claim."""
    if declared and declared.item:
        return declared.item
    first = min(edges, key=lambda e: e[2], default=None)
    return None if first is None else first[3]["item"]


def _parties(edges: list[tuple[str, str, str, dict]], declared: Deal | None) -> tuple[list[str], list[str]]:
    """The deal's suppliers and recipients: the declared ones first, then those its claims name, in the order of
    the claims' ids, each once."""
    suppliers = [declared.supplier] if declared and declared.supplier else []
    recipients = [declared.recipient] if declared and declared.recipient else []
    for u, v, _key, data in sorted(edges, key=_claim_id):
        role = data["deal_role"]
        (suppliers if role == "supplier" else recipients).append(deal_party(role, u, v))
    return list(dict.fromkeys(suppliers)), list(dict.fromkeys(recipients))


def deal_summary(deal_id: str, edges: list[tuple[str, str, str, dict]], declared: Deal | None, graph=None) -> dict[str, Any] | None:
    """What a deal's claims say: parties, dates, numbers, value, status, citations.

    ``edges`` are the deal's claims as ``(u, v, claim id, edge data)``. Returns
    ``None`` for a declared deal of an item the graph does not hold.

    The numbers are worked out by :func:`deal_numbers`: each contract counted
    once however many documents report it, distinct contracts added up, each
    unit apart. ``ordered`` and ``delivered`` are numbers of ``unit`` when the
    deal's numbers share one unit (or none: the item itself); when they mix
    units they are texts naming each unit (``8 S-400 / 2 regiments``) and
    ``unit`` is ``None``; ``numbers`` lists them unit by unit and ``contracts``
    the contracts counted. ``order_date`` is the earliest order date, or
    ``first/last`` when the deal's orders were placed at different times. The
    status is the furthest its claims reach (``cancelled`` when a claim says so
    and none says delivered).
    """
    item = declared.item if declared else None
    order_dates: list[str] = []
    delivery_dates: list[str] = []
    other_dates: list[str] = []
    statuses: list[str] = []
    value = None
    claims: list[str] = []
    citations: list[dict[str, str]] = []
    confidence = 0.0
    for u, v, key, data in sorted(edges, key=lambda e: e[2]):
        item = item or data["item"]
        claims.append(key)
        status = data.get("status") or "reported"
        statuses.append(status)
        when = _when(data)
        if when:
            if status in DELIVERY_STATUSES:
                delivery_dates.append(when)
            else:
                (order_dates if status in ORDER_STATUSES else other_dates).append(when)
        value = value or data.get("value")
        confidence = max(confidence, float(data.get("confidence") or 0.0))
        for citation in data.get("citations") or ():
            if citation not in citations:
                citations.append(citation)
    if item is None or (graph is not None and item not in graph):
        return None
    suppliers, recipients = _parties(edges, declared)
    names = (lambda n: graph.nodes[n].get("name", n) if graph is not None and n in graph else n)
    variant = declared.variant if declared else None
    item_name = names(item) + (f" ({variant})" if variant else "")
    counted = deal_numbers(data for *_, data in edges)
    numbers = counted["numbers"]
    if len(numbers) <= 1:
        only = numbers[0] if numbers else {"unit": None, "ordered": None, "delivered": None}
        ordered, delivered, unit = only["ordered"], only["delivered"], only["unit"]
    else:  # never add numbers of different units: name each
        ordered, delivered = (numbers_text(numbers, phase, names(item)) for phase in ("ordered", "delivered"))
        unit = None
    return {
        "id": deal_id,
        "declared": declared is not None or not deal_id.startswith(AUTO_PREFIX),
        "item": item,
        "item_name": item_name,
        "variant": variant,
        "name": (declared.name if declared and declared.name else item_name),
        "suppliers": suppliers,
        "recipients": recipients,
        "label": f"{item_name}: {', '.join(map(names, suppliers)) or '?'} → {', '.join(map(names, recipients)) or '?'}",
        "status": deal_status(statuses),
        "ordered": ordered,
        "delivered": delivered,
        "unit": unit,
        "numbers": numbers,
        "contracts": counted["contracts"],
        "order_date": order_date(order_dates),
        "delivery_dates": sorted(set(delivery_dates)),
        "reported_dates": sorted(set(other_dates)),
        "value": value,
        "confidence": round(confidence, 3),
        "claims": claims,
        "documents": sorted({c["document"] for c in citations}),
        "citations": citations,
        "notes": declared.notes if declared else None,
    }


# -- numbers ------------------------------------------------------------------------------------

@dataclass
class _Report:
    """One statement of a number: the claims that give the same phase, dates, number, unit and key in
    the same documents (the supplier's and the recipient's halves of a sentence, a passage restated)."""

    phase: str                                   # "order" or "delivery"
    quantity: int
    unit: str | None                             # as the first claim writes it
    unit_key: str | None                         # folded, to compare
    key: str | None
    when: str | None                             # "2015-11", "2011/2012"
    documents: frozenset[str]
    passages: set[tuple[str, str]] = field(default_factory=set)   # (document, locator): a row, an endnote

    @cached_property
    def span(self) -> tuple[_dt.date, _dt.date] | None:
        """First and last day the report's date may stand for; ``None`` when undated. Worked out only
        when two reports are compared: most deals have one report a phase."""
        return _span_of(self.when)

    def sort_key(self) -> tuple:
        # ISO dates sort by time as text ("1992" < "1992-05" < "1993"), so no date needs parsing here
        return (self.when or "", self.key or "", sorted(self.documents), self.quantity, self.unit_key or "")


@dataclass
class _Contract:
    orders: list[_Report]
    deliveries: list[_Report] = field(default_factory=list)

    @property
    def quantity(self) -> int | None:
        return self.orders[0].quantity if self.orders else None

    @property
    def unit_key(self) -> str | None:
        return self.orders[0].unit_key if self.orders else None

    @property
    def passages(self) -> set[tuple[str, str]]:
        return set().union(*(r.passages for r in self.orders))


def deal_numbers(claims: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """How many a deal's claims say were ordered and delivered: each contract once, per unit.

    ``claims`` are edge data (``status``, ``date`` or ``start``/``end``,
    ``quantity``, ``unit``, ``claim_key``, ``citations``). The rule
    (docs/schema.md, "Deals"):

    1. Claims that state the same phase (order: ``planned`` ... ``contracted``,
       ``reported``, ``alleged``; delivery: ``in_progress``, ``delivered``),
       dates, number, unit and key in the same documents are one report (the two
       halves of a sentence, a passage restated).
    2. Order reports are grouped into contracts: two reports are one contract
       when they give the same number of the same unit at overlapping dates
       (``2015`` and ``2015-11``; an undated report overlaps any), unless one
       document tells them apart by their keys (two rows of a register).
       Distinct contracts add up.
    3. A delivery report belongs to the contract whose order it shares a
       passage with (the same document and locator: a register row, an
       endnote), else the contract of its unit whose number it gives, else the
       only contract of its unit; others stand together, apart from any
       contract. Within a contract each document's deliveries add up (batches),
       and of several documents the largest account counts (two reports of the
       same 24 aircraft are not 48).
    4. Numbers of different units are never added; a number with no unit counts
       the item itself.

    Returns ``numbers``: ``[{"unit", "ordered", "delivered"}]`` one per unit
    (no unit first), and ``contracts``: ``[{"order_date", "ordered", "unit",
    "delivered", "documents"}]`` (``delivered``: ``[{"number", "unit"}]``).

    Examples
    --------
    Two register rows are two contracts; the primer's report of the first is
    the same contract, not a third:

    >>> def row(line, phase, date, n):
    ...     return {"status": "contracted" if phase == "order" else "delivered", "date": date, "quantity": n,
    ...             "claim_key": f"sipri r{line} {phase}",
    ...             "citations": [{"document": "sipri", "locator": f"line {line}", "quote": "..."}]}
    >>> csis = {"status": "contracted", "date": "2015-11", "quantity": 24,
    ...         "citations": [{"document": "csis", "locator": "endnote 32", "quote": "24 Su-35"}]}
    >>> counted = deal_numbers([row(181, "order", "2015", 24), row(181, "delivery", "2016", 24), csis,
    ...                         row(90, "order", "1992", 2), row(90, "delivery", "1992", 2)])
    >>> counted["numbers"]
    [{'unit': None, 'ordered': 26, 'delivered': 26}]
    >>> [(c["order_date"], c["ordered"], c["documents"]) for c in counted["contracts"]]
    [('1992', 2, ['sipri']), ('2015', 24, ['csis', 'sipri'])]

    Units are kept apart:

    >>> deal_numbers([{**csis, "quantity": 2, "unit": "regiments"}, row(167, "order", "2015", 8)])["numbers"]
    [{'unit': None, 'ordered': 8, 'delivered': None}, {'unit': 'regiments', 'ordered': 2, 'delivered': None}]
    """
    reports: dict[tuple, _Report] = {}
    for data in claims:
        quantity = data.get("quantity")
        status = data.get("status") or "reported"
        phase = "delivery" if status in DELIVERY_STATUSES else "order" if status in NUMBER_STATUSES else None
        if quantity is None or phase is None:
            continue  # a cancelled or denied order's number was never ordered
        unit = " ".join(str(data["unit"]).split()) if data.get("unit") else None
        cites = data.get("citations") or ()
        documents = frozenset(_cited(c, "document") for c in cites)
        when = _when(data)
        ident = (phase, when, quantity, unit.casefold() if unit else None, data.get("claim_key"), documents)
        report = reports.get(ident)
        if report is None:
            report = reports[ident] = _Report(phase, quantity, unit, ident[3], data.get("claim_key"), when, documents)
        report.passages.update((_cited(c, "document"), _cited(c, "locator")) for c in cites)
    contracts: list[_Contract] = []
    for report in sorted((r for r in reports.values() if r.phase == "order"), key=_Report.sort_key):
        same = next((c for c in contracts if _same_contract(c, report)), None)
        if same is None:
            contracts.append(_Contract([report]))
        else:
            same.orders.append(report)
    loose = _Contract([])
    for report in sorted((r for r in reports.values() if r.phase == "delivery"), key=_Report.sort_key):
        (_contract_of(report, contracts) or loose).deliveries.append(report)
    ordered: dict[str | None, int] = {}
    delivered: dict[str | None, int] = {}
    labels: dict[str | None, str | None] = {}
    out_contracts = []
    for contract in contracts + ([loose] if loose.deliveries else []):
        if contract.orders:
            first = contract.orders[0]
            ordered[first.unit_key] = ordered.get(first.unit_key, 0) + first.quantity
            labels.setdefault(first.unit_key, first.unit)
        got = _delivered(contract.deliveries)
        for unit_key, number in got.items():
            delivered[unit_key] = delivered.get(unit_key, 0) + number
        for report in contract.deliveries:
            labels.setdefault(report.unit_key, report.unit)
        out_contracts.append({
            "order_date": order_date([r.when for r in contract.orders if r.when]),
            "ordered": contract.quantity,
            "unit": contract.orders[0].unit if contract.orders else None,
            "delivered": [{"number": n, "unit": labels[k]} for k, n in sorted(got.items(), key=_unit_order)],
            "documents": sorted(set().union(*(r.documents for r in contract.orders + contract.deliveries))),
        })
    units = sorted(set(ordered) | set(delivered), key=lambda k: (k is not None, k or ""))
    return {"numbers": [{"unit": labels[k], "ordered": ordered.get(k), "delivered": delivered.get(k)} for k in units],
            "contracts": out_contracts}


def numbers_text(numbers: list[dict[str, Any]], phase: str, item_name: str) -> str | None:
    """One phase's numbers (``"ordered"`` or ``"delivered"``) of several units as one text, each unit named;
    a number with no unit counts the item.

    >>> numbers_text([{"unit": None, "ordered": 8}, {"unit": "regiments", "ordered": 2}], "ordered", "S-400")
    '8 S-400 / 2 regiments'
    >>> numbers_text([{"unit": None, "delivered": None}], "delivered", "S-400") is None
    True
    """
    parts = [f"{n[phase]} {n['unit'] or item_name}" for n in numbers if n.get(phase) is not None]
    return " / ".join(parts) or None


def order_date(whens: Iterable[str]) -> str | None:
    """A deal's (or contract's) order date: the earliest of its order dates, or ``first/last`` when they are
    not one time reported at several precisions.

    >>> order_date(["2015-11", "2015"]), order_date(["1995", "1992", "1999"]), order_date([])
    ('2015', '1992/1999', None)
    >>> order_date(["2011/2012", "2011"])
    '2011'
    """
    whens = sorted(set(whens))
    if len(whens) < 2:
        return whens[0] if whens else None
    spans = [(w, _span_of(w)) for w in whens]
    dated = [(w, s) for w, s in spans if s is not None]
    if not dated or max(s[0] for _, s in dated) <= min(s[1] for _, s in dated):
        return whens[0]  # all overlap: one time, the coarsest text first
    first = min(dated, key=lambda ws: (ws[1][0], ws[0]))[0].split("/")[0]
    last = max(dated, key=lambda ws: (ws[1][1], ws[0]))[0].split("/")[-1]
    return f"{first}/{last}"


def _unit_order(item: tuple[str | None, Any]) -> tuple[bool, str]:
    return (item[0] is not None, item[0] or "")


def _cited(citation: Mapping[str, str] | Any, part: str) -> str:
    # a plain dict first: isinstance(..., Mapping) is an ABC check, slow on every claim of a large graph
    if type(citation) is dict or isinstance(citation, Mapping):
        return citation[part]
    return getattr(citation, part)


def _span_of(when: str | None) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day a date (``2015-11``) or an interval (``2011/2012``, ``?/2006``) may stand for."""
    if not when:
        return None
    start, _, end = when.partition("/")
    try:
        if not end:
            date = PartialDate.parse(start)
            return date.earliest, date.latest
        return (PartialDate.parse(start).earliest if start not in ("", "?") else _dt.date.min,
                PartialDate.parse(end).latest if end not in ("", "?") else _dt.date.max)
    except ValueError:   # an unreadable date compares with nothing: an undated report
        return None


def _overlap(a: _Report, b: _Report) -> bool:
    return a.span is None or b.span is None or (a.span[0] <= b.span[1] and b.span[0] <= a.span[1])


def _same_contract(contract: _Contract, report: _Report) -> bool:
    """Whether an order report is a contract already counted: the same number of the same unit at an
    overlapping date, and no document telling the two apart by their keys."""
    if contract.quantity != report.quantity or contract.unit_key != report.unit_key:
        return False
    if any(r.key and report.key and r.key != report.key and r.documents & report.documents for r in contract.orders):
        return False   # one register's two rows (two Kilo orders of 1993 for 2 boats each) are two contracts
    return any(_overlap(r, report) for r in contract.orders)


def _contract_of(report: _Report, contracts: list[_Contract]) -> _Contract | None:
    """The contract a delivery report delivers on (rule 3 of :func:`deal_numbers`), or ``None``."""
    shared = [c for c in contracts if c.passages & report.passages]
    if shared:   # the same row or endnote: prefer the order of the same number and unit
        return min(shared, key=lambda c: (c.quantity != report.quantity or c.unit_key != report.unit_key,
                                         contracts.index(c)))
    same_unit = [c for c in contracts if c.unit_key == report.unit_key]
    whole = [c for c in same_unit if c.quantity == report.quantity]
    if whole:
        return whole[0]
    return same_unit[0] if len(same_unit) == 1 else None


def _delivered(reports: list[_Report]) -> dict[str | None, int]:
    """What one contract's deliveries come to, per unit: each document's batches added up, and of
    several documents the largest account (documents reporting the same deliveries do not add up)."""
    accounts: dict[str, dict[str | None, int]] = {}
    for report in reports:
        for document in report.documents or {""}:
            account = accounts.setdefault(document, {})
            account[report.unit_key] = account.get(report.unit_key, 0) + report.quantity
    out: dict[str | None, int] = {}
    for account in accounts.values():
        for unit_key, number in account.items():
            out[unit_key] = max(out.get(unit_key, 0), number)
    return out


def _when(data: Mapping[str, Any]) -> str | None:
    if data.get("date"):
        return str(data["date"])
    if data.get("start") or data.get("end"):
        return f"{data.get('start') or '?'}/{data.get('end') or '?'}"
    return None


def deal_status(statuses: Iterable[str]) -> str:
    """The furthest status a deal's claims reach.

    >>> deal_status(["contracted", "delivered", "reported"])
    'delivered'
    >>> deal_status(["contracted", "cancelled"])
    'cancelled'
    >>> deal_status(["reported"])
    'reported'
    """
    statuses = list(statuses)
    rank = {s: i for i, s in enumerate(PROGRESSION)}
    furthest = max((s for s in statuses if s in rank), key=rank.__getitem__, default=None)
    if "cancelled" in statuses and furthest != "delivered":
        return "cancelled"
    if furthest:
        return furthest
    for fallback in ("suspended", "denied", "alleged"):
        if fallback in statuses:
            return fallback
    return "reported"
