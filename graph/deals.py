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
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterable, Mapping

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
    import networkx as nx

    graph = nx.MultiDiGraph()
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


def deal_party(role: str, subject: str, obj: str) -> str:
    """The party of a deal claim: the supplier (subject) or the recipient (object)."""
    return subject if role == "supplier" else obj


def attach_deals(graph, deal_roles: Mapping[str, str], declared: Mapping[str, Deal] | None = None) -> None:
    """Give every deal claim (edge) of ``graph`` its deal, and gather the deals in ``graph.graph["deals"]``.

    An edge with a deal role keeps its ``deal`` or gets its implied one; each
    edge also gets ``deal_role`` ("supplier" or "recipient") and ``item``.
    ``graph.graph["deals"]`` maps deal ids to :func:`deal_summary` dicts, and
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
    deals: dict[str, dict[str, Any]] = {}
    by_item: dict[str, list[str]] = {}
    for deal_id in sorted(set(members) | set(declared)):
        summary = deal_summary(deal_id, members.get(deal_id, []), declared.get(deal_id), graph)
        if summary is None:
            continue
        deals[deal_id] = summary
        by_item.setdefault(summary["item"], []).append(deal_id)
    graph.graph["deals"] = deals
    graph.graph["deals_by_item"] = by_item


def deal_summary(deal_id: str, edges: list[tuple[str, str, str, dict]], declared: Deal | None, graph=None) -> dict[str, Any] | None:
    """What a deal's claims say: parties, dates, numbers, value, status, citations.

    ``edges`` are the deal's claims as ``(u, v, claim id, edge data)``. Returns
    ``None`` for a declared deal of an item the graph does not hold.

    The numbers are the largest any claim reports (two documents reporting the
    same 24 aircraft must not make 48); the status is the furthest its claims
    reach (``cancelled`` when a claim says so and none says delivered).
    """
    suppliers: list[str] = []
    recipients: list[str] = []
    item = declared.item if declared else None
    if declared and declared.supplier:
        suppliers.append(declared.supplier)
    if declared and declared.recipient:
        recipients.append(declared.recipient)
    ordered = delivered = None
    unit = None
    order_dates: list[str] = []
    delivery_dates: list[str] = []
    other_dates: list[str] = []
    statuses: list[str] = []
    value = None
    claims: list[str] = []
    citations: list[dict[str, str]] = []
    confidence = 0.0
    for u, v, key, data in sorted(edges, key=lambda e: e[2]):
        role = data["deal_role"]
        item = item or data["item"]
        party = deal_party(role, u, v)
        (suppliers if role == "supplier" else recipients).append(party)
        claims.append(key)
        status = data.get("status") or "reported"
        statuses.append(status)
        quantity = data.get("quantity")
        when = _when(data)
        if status in DELIVERY_STATUSES:
            if when:
                delivery_dates.append(when)
            if quantity is not None:
                delivered = max(delivered or 0, quantity)
        else:
            if when:
                (order_dates if status in ORDER_STATUSES else other_dates).append(when)
            if quantity is not None and status in NUMBER_STATUSES:
                ordered = max(ordered or 0, quantity)
        unit = unit or data.get("unit")
        value = value or data.get("value")
        confidence = max(confidence, float(data.get("confidence") or 0.0))
        for citation in data.get("citations") or ():
            if citation not in citations:
                citations.append(citation)
    if item is None or (graph is not None and item not in graph):
        return None
    suppliers = list(dict.fromkeys(suppliers))
    recipients = list(dict.fromkeys(recipients))
    names = (lambda n: graph.nodes[n].get("name", n) if graph is not None and n in graph else n)
    variant = declared.variant if declared else None
    item_name = names(item) + (f" ({variant})" if variant else "")
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
        "order_date": min(order_dates, default=None),
        "delivery_dates": sorted(set(delivery_dates)),
        "reported_dates": sorted(set(other_dates)),
        "value": value,
        "confidence": round(confidence, 3),
        "claims": claims,
        "documents": sorted({c["document"] for c in citations}),
        "citations": citations,
        "notes": declared.notes if declared else None,
    }


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
