"""Write a :class:`~coopgraph.queries.dossier.Dossier` as Markdown, for pasting into a report.

The same dossier as the page, without the graph: the question, the routes as a
table whose hops are footnote references (``→[^3]``), one footnote a hop with
every claim and every citation's verbatim quote, and the documents. Footnotes
are GitHub-Flavoured Markdown / Pandoc style.

Every value is escaped: the punctuation that means something inside a line
(emphasis, links, code, ``&`` entities) and ``<``, ``>`` get a backslash, so
``<script>`` stays text in any CommonMark renderer; ``|`` too (table cells);
line breaks become spaces. Values always follow other text on their line, so
line-start syntax (headings, lists) cannot arise.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from coopgraph import __version__
from coopgraph.queries.dossier_html import KIND_NOUNS, _summary_text, claim_meta, safe_url

if TYPE_CHECKING:
    from coopgraph.queries.dossier import Dossier

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md(value: Any) -> str:
    r"""``value`` as Markdown text that renders as itself: inline punctuation escaped, on one line.

    >>> md("<script>alert(1)</script> | *x*")
    '\\<script\\>alert(1)\\</script\\> \\| \\*x\\*'
    """
    text = " ".join(("" if value is None else str(value)).split())
    return _SPECIAL.sub(r"\\\1", text)


def _hop_ref(dossier: "Dossier", n: int) -> str:
    arrow = {"target": "→", "source": "←", "none": "—"}[dossier.hops[n - 1]["arrow"]]
    return f"{arrow}[^{n}]"


def _name(dossier: "Dossier", node_id: str) -> str:
    node = dossier.nodes[node_id]
    return md(node["name"]) + (" (deal)" if node["type"] == "deal" else "")


def _route_text(dossier: "Dossier", route: dict[str, Any]) -> str:
    out = [_name(dossier, route["nodes"][0])]
    for step, node in zip(route["steps"], route["nodes"][1:]):
        out.append(f"{_hop_ref(dossier, step['hop'])} {_name(dossier, node)}")
    return " ".join(out)


def _dates(route: dict[str, Any]) -> str:
    first, last = route.get("first_date"), route.get("last_date")
    if not first:
        return "undated"
    return md(first) if first == last or not last else f"{md(first)} … {md(last)}"


def render_markdown(dossier: "Dossier") -> str:
    """The dossier as Markdown with footnotes."""
    q, store = dossier.question, dossier.store
    noun = KIND_NOUNS[q.kind]
    lines = [f"# Evidence dossier: {md(q.title())}", "", md(_summary_text(dossier)), "", "## The question", "",
             "| Option | Value |", "|---|---|"]
    lines += [f"| {md(k)} | {md(v)} |" for k, v in q.options()]
    lines += ["", f"Written by `{q.command().replace('`', '')}` on {md(dossier.generated)} (coopgraph {md(__version__)}).",
              "", f"The store holds {store['documents']} document(s), {store['claims']} claims about "
              f"{store['entities']} entities; the documents are listed at the end.", ""]
    if q.kind == "impact":
        lines += ["## Recipients", "", "| Outcome | Recipient | Type | Still supplied via |", "|---|---|---|---|"]
        lines += [f"| {md(r['outcome'])} | {md(r['name'])} | {md(r['type'])} | "
                  f"{md(', '.join(k['name'] for k in r['kept_via']))} |" for r in dossier.summary["targets"]]
        lines.append("")
    lines += [f"## {noun[1].capitalize()}", ""]
    if not dossier.routes:
        lines += [f"No {noun[1]}.", ""]
    elif q.kind == "neighbours":
        lines += ["| # | Depth | Neighbour | Type | Link | Dates |", "|---|---|---|---|---|---|"]
        for r in dossier.routes:
            other = dossier.nodes[r["nodes"][1]]
            lines.append(f"| {r['rank']} | {r['depth']} | {md(other['name'])} | {md(other['type'])} | "
                         f"{_route_text(dossier, r)} | {_dates(r)} |")
        lines.append("")
    else:
        lines += [f"| # | {noun[0].capitalize()} | Hops | Dates | Weakest confidence |", "|---|---|---|---|---|"]
        for r in dossier.routes:
            score = "" if r.get("score") is None else f"{r['score']:g}"
            lines.append(f"| {r['rank']} | {_route_text(dossier, r)} | {r['hops']} | {_dates(r)} | {score} |")
        lines.append("")
    lines += ["## Evidence", "", "One footnote a hop: every claim, with each citation's verbatim quote.", ""]
    for hop in dossier.hops:
        used = ", ".join(str(r) for r in hop["routes"])
        head = (f"[^{hop['n']}]: **{_name(dossier, hop['from'])} {_hop_ref(dossier, hop['n'])[:1]} "
                f"{_name(dossier, hop['to'])}** ({noun[0]}{'s' if len(hop['routes']) != 1 else ''} {used}).")
        lines.append(head)
        for claim_id in hop["claims"]:
            claim = dossier.claims[claim_id]
            cites = "; ".join(
                f"“{md(c['quote'])}” (*{md(dossier.documents.get(c['document'], {}).get('title') or c['document'])}*, "
                f"{md(c['locator'])})" for c in claim["citations"])
            lines += ["", f"    {md(claim['statement'])} ({md('; '.join(claim_meta(claim, dossier.deals)))}): {cites}"]
        lines.append("")
    lines += ["## Documents", ""]
    for doc_id, doc in dossier.documents.items():
        bits = [f"*{md(doc.get('title') or doc_id)}*"]
        bits += [md(doc[k]) for k in ("author", "publisher", "date") if doc.get(k)]
        url = safe_url(doc.get("url"))
        if url:
            bits.append(f"<{url.replace('>', '%3E').replace('<', '%3C').replace(' ', '%20')}>")
        lines.append(f"- {', '.join(bits)} (`{doc_id.replace('`', '')}`; {doc.get('cited', 0)} citation(s) here)")
    lines.append("")
    return "\n".join(lines)
