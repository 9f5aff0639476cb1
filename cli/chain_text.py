"""Chains and paths as text a person reads in an 80-column terminal."""

from __future__ import annotations

import textwrap
from typing import Any, Iterable

from coopgraph.cli.output import short_citation

WIDTH = 80


def _wrap(text: str, indent: str) -> list[str]:
    # never cut a word: an id or a name with hyphens stays whole on one line
    return textwrap.wrap(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent + "   ",
                         break_long_words=False, break_on_hyphens=False) or [indent]


def quantity_text(claim: dict[str, Any]) -> str | None:
    """``150 engines``, ``quantity 24`` (no unit), or ``None`` when the claim gives no number.

    >>> quantity_text({"quantity": 150, "unit": "engines"}), quantity_text({"quantity": 24, "unit": None})
    ('150 engines', 'quantity 24')
    """
    if claim.get("quantity") is None:
        return None
    return f"{claim['quantity']:g} {claim['unit']}" if claim.get("unit") else f"quantity {claim['quantity']:g}"


#: what the short locators of :func:`coopgraph.cli.output.short_citation` stand for
LOCATOR_KEY = "en.N = endnote N of the document; § = a section of it; p. = page"


def documents_text(documents: dict[str, dict[str, Any]]) -> list[str]:
    """A legend of the documents a report cites: id, then author, title, publisher and date.

    >>> print("\\n".join(documents_text({"csis": {"id": "csis", "title": "A Primer", "author": "A. B.",
    ...                                            "publisher": "CSIS", "date": "2020-03"}})))
    Documents cited:
      csis: A. B., "A Primer", CSIS, 2020-03
    en.N = endnote N of the document; § = a section of it; p. = page
    """
    if not documents:
        return []
    lines = ["Documents cited:"]
    for doc_id, doc in documents.items():
        parts = [doc.get("author"), f"\"{doc['title']}\"" if doc.get("title") else None, doc.get("publisher"),
                 doc.get("date")]
        lines.extend(_wrap(f"{doc_id}: {', '.join(p for p in parts if p)}", "  "))
    lines.append(LOCATOR_KEY)
    return lines


def steps_text(steps: Iterable[dict[str, Any]], indent: str = "  ") -> list[str]:
    """One block per hop: the arrow, then each claim with date, status, confidence and citations."""
    lines = []
    for step in steps:
        flag = "  [undated]" if step.get("undated") else ""
        lines.extend(_wrap(f"{step['step']}. {step['from_name']} → {step['to_name']}{flag}", indent))
        for claim in step["claims"]:
            cites = "; ".join(dict.fromkeys(short_citation(c) for c in claim["citations"])) or "no citation"
            facts = [claim["when"], quantity_text(claim), claim["status"], f"conf {claim['confidence']:g}"]
            detail = f"{claim['statement']} ({', '.join(f for f in facts if f)}) [{cites}]"
            lines.extend(_wrap(detail, indent + "   "))
    return lines


def deal_text(deal: dict[str, Any], names: dict[str, str]) -> str:
    """One line for a deal: item, parties, status, numbers, dates, value.

    >>> deal_text({"item": "system:su-35", "label": "Su-35: Russia → China", "status": "delivered", "ordered": 24,
    ...            "delivered": 24, "unit": None, "order_date": "2015-11", "delivery_dates": ["2019-04"],
    ...            "value": {"amount": 2.5e9, "currency": "USD", "estimate": False}}, {})
    'deal Su-35: Russia → China; delivered; 24 ordered 2015-11; 24 delivered 2019-04; USD 2.5 bn'
    """
    unit = f" {deal['unit']}" if deal.get("unit") else ""
    parts = [f"deal {deal['label']}", deal.get("status") or "reported"]
    if deal.get("reported_dates") and not deal.get("order_date") and not deal.get("delivery_dates"):
        parts.append("reported for " + ", ".join(d.replace("/", "–") for d in deal["reported_dates"]))
    if deal.get("ordered") is not None or deal.get("order_date"):
        number = f"{deal['ordered']}{unit} " if deal.get("ordered") is not None else ""
        parts.append(f"{number}ordered {(deal.get('order_date') or '(undated)').replace('/', '–')}".strip())
    if deal.get("delivered") is not None or deal.get("delivery_dates"):
        number = f"{deal['delivered']}{unit} " if deal.get("delivered") is not None else ""
        parts.append(f"{number}delivered {', '.join(d.replace('/', '–') for d in deal.get('delivery_dates') or []) or '(undated)'}".strip())
    value = deal.get("value")
    if value:
        amount = value["amount"]
        text = f"{amount / 1e9:g} bn" if amount >= 1e9 else f"{amount / 1e6:g} m" if amount >= 1e6 else f"{amount:g}"
        parts.append(f"{'about ' if value.get('estimate') else ''}{value['currency']} {text}")
    return "; ".join(parts)


def chains_text(chains: list[dict[str, Any]], truncated: bool = False, quotes: bool = False,
                found: int | None = None, complete: bool = True, documents: dict[str, dict[str, Any]] | None = None) -> str:
    """A readable report of ranked chains, closed by how many were found and how many the limit hides.

    With ``documents`` (id -> record), a legend of the documents cited and of the
    locators (``en.9`` is endnote 9) follows.
    """
    if not chains:
        return "no chains found"
    lines: list[str] = []
    for chain in chains:
        first, last = chain["first_date"] or "?", chain["last_date"] or "?"
        span = first if first == last else f"{first} to {last}"
        undated = f", {chain['undated_hops']} undated hop(s)" if chain["undated_hops"] else ""
        lines.append(f"#{chain['rank']}  {chain['hops']} hop(s), score {chain['score']:g}, {span}{undated}")
        lines.extend(_wrap(chain["path"], "  "))
        names = {n["id"]: n["name"] for n in chain["nodes"]}
        for deal in chain.get("deals") or ():
            lines.extend(_wrap(deal_text(deal, names), "    "))
        named = chain.get("recipient_named")
        if named:
            lines.extend(_wrap(f"recipient named by the source: {named['name']} (the state); counted as reaching "
                               f"its armed forces ({', '.join(named['counts_as'])})", "    "))
        lines.extend(steps_text(chain["steps"], "    "))
        if quotes:
            for step in chain["steps"]:
                for claim in step["claims"]:
                    for cit in claim["citations"]:
                        lines.extend(_wrap(f"“{cit['quote']}” ({short_citation(cit)})", "      "))
        lines.append("")
    shown = len(chains)
    total = found if found is not None else shown
    if total > shown or not complete:
        more = f"{total - shown}" if complete else f"at least {total - shown}"
        lines.append(f"{total if complete else f'at least {total}'} chains found; {shown} listed, {more} hidden by "
                     "--limit (raise it, or narrow --from/--to)")
    elif truncated:
        lines.append("(more chains exist: raise --limit or narrow --from/--to)")
    else:
        lines.append(f"{total} chain{'s' if total != 1 else ''} found; all listed")
    if documents:
        lines.append("")
        lines.extend(documents_text(documents))
    return "\n".join(lines).rstrip()
