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


def chains_text(chains: list[dict[str, Any]], truncated: bool = False, quotes: bool = False) -> str:
    """A readable report of ranked chains."""
    if not chains:
        return "no chains found"
    lines: list[str] = []
    for chain in chains:
        first, last = chain["first_date"] or "?", chain["last_date"] or "?"
        span = first if first == last else f"{first} … {last}"
        undated = f", {chain['undated_hops']} undated hop(s)" if chain["undated_hops"] else ""
        lines.append(f"#{chain['rank']}  {chain['hops']} hop(s), score {chain['score']:g}, {span}{undated}")
        lines.extend(_wrap(chain["path"], "  "))
        lines.extend(steps_text(chain["steps"], "    "))
        if quotes:
            for step in chain["steps"]:
                for claim in step["claims"]:
                    for cit in claim["citations"]:
                        lines.extend(_wrap(f"“{cit['quote']}” ({short_citation(cit)})", "      "))
        lines.append("")
    if truncated:
        lines.append("(more chains exist: raise --limit or narrow --from/--to)")
    return "\n".join(lines).rstrip()
