"""Chains and paths as text a person reads in an 80-column terminal."""

from __future__ import annotations

import textwrap
from typing import Any, Iterable

from coopgraph.cli.output import short_citation

WIDTH = 80


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent + "   ") or [indent]


def steps_text(steps: Iterable[dict[str, Any]], indent: str = "  ") -> list[str]:
    """One block per hop: the arrow, then each claim with date, status, confidence and citations."""
    lines = []
    for step in steps:
        flag = "  [undated]" if step.get("undated") else ""
        lines.extend(_wrap(f"{step['step']}. {step['from_name']} → {step['to_name']}{flag}", indent))
        for claim in step["claims"]:
            cites = "; ".join(dict.fromkeys(short_citation(c) for c in claim["citations"])) or "no citation"
            detail = f"{claim['statement']} ({claim['when']}, {claim['status']}, conf {claim['confidence']:g}) [{cites}]"
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
                found: int | None = None, complete: bool = True) -> str:
    """A readable report of ranked chains, closed by how many were found and how many the limit hides."""
    if not chains:
        return "no chains found"
    lines: list[str] = []
    for chain in chains:
        first, last = chain["first_date"] or "?", chain["last_date"] or "?"
        span = first if first == last else f"{first} … {last}"
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
    return "\n".join(lines).rstrip()
