"""Write a :class:`~coopgraph.queries.dossier.Dossier` as one self-contained HTML page.

Everything the page needs is inside it: the styles, the graph library
(Cytoscape.js with the ELK layered layout, vendored in ``dossier_assets/``,
see ``dossier_assets/README.md``), the page's own script and the data. Nothing
is fetched when it is viewed; a Content-Security-Policy says so to the browser
(``default-src 'none'``) and lets only the page's own scripts run, by hash.

The tables, the footnotes of evidence and the documents are written here, as
HTML, so the page reads (and prints) without JavaScript; the script draws the
graph, shows a clicked node's or hop's claims and applies the on-page filters.

Every value is escaped: text with :func:`html.escape`, the embedded JSON with
``<``, ``>``, ``&`` and the line separators as ``\\uXXXX`` escapes, and the script
only ever sets ``textContent``. A link is made of a document URL only when it
is ``http(s)``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterable

from coopgraph import __version__
from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.schema import load_schema

if TYPE_CHECKING:
    from coopgraph.queries.dossier import Dossier

ASSETS = "dossier_assets"
#: the page's own script and style (the vendored libraries are listed in vendor.json)
PAGE_SCRIPT, PAGE_STYLE = "dossier.js", "dossier.css"

#: fills for entity types, in schema order (light enough for dark text); deals have their own
TYPE_COLOURS = ("#f4a5a5", "#f7c48f", "#a9d99a", "#9cc4ea", "#c7b1e6", "#ffd966", "#95d5d0", "#f3b6d8",
                "#d6c7a1", "#b9c6d2", "#e2a98f", "#c9dd8a", "#a8b8f0", "#e8d0a9", "#bcd9b9", "#e0b4b4")
DEAL_COLOUR = "#ffffff"
UNKNOWN_COLOUR = "#dddddd"
#: lines for relations, in order of first appearance; after these, the same again, dashed
RELATION_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
                    "#7f7f7f", "#bcbd22", "#393b79", "#637939")

KIND_NOUNS = {"chains": ("chain", "chains"), "impact": ("lost chain", "lost chains"), "path": ("path", "paths"),
              "neighbours": ("neighbour", "neighbours")}


class AssetError(CoopgraphError):
    """A file the page inlines is missing or cannot be inlined safely."""


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    """The text of one file in ``dossier_assets/``."""
    try:
        return resources.files("coopgraph.queries").joinpath(ASSETS, name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise AssetError(f"the dossier asset '{name}' is missing from the installed package ({exc})") from None


def vendored() -> list[dict[str, Any]]:
    """The vendored libraries (name, version, licence, file, licence_file, sha256), in load order."""
    return json.loads(asset_text("vendor.json"))


def json_for_script(data: Any) -> str:
    r"""JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` or line separators.

    >>> json_for_script({"name": "</script><b>&"})
    '{"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, safe)
    return text


def _script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _inline_script(text: str, name: str) -> str:
    if "</script" in text.lower() or "<!--" in text:
        raise AssetError(f"{name} holds '</script' or '<!--' and cannot be inlined in a page")
    return text


def _inline_style(text: str) -> str:
    if "</style" in text.lower():
        raise AssetError(f"{PAGE_STYLE} holds '</style' and cannot be inlined in a page")
    return text


def palette(dossier: "Dossier") -> dict[str, Any]:
    """Colours of the entity types (schema order) and relations (schema order) the dossier shows."""
    schema = load_schema()
    types = list(schema.entity_types)
    shown_types = {n["type"] for n in dossier.nodes.values()} | {n.get("item_type") for n in dossier.nodes.values()}
    type_colours = {t: TYPE_COLOURS[i % len(TYPE_COLOURS)] for i, t in enumerate(types)}
    node_types = {t: type_colours.get(t, UNKNOWN_COLOUR) for t in types if t in shown_types}
    for t in sorted(t for t in shown_types if t and t not in type_colours and t != "deal"):
        node_types[t] = UNKNOWN_COLOUR
    order = {r: i for i, r in enumerate(schema.relation_types)}
    shown = sorted({r for c in dossier.claims.values() for r in [c["relation"]]}, key=lambda r: (order.get(r, 1e9), r))
    relations = {r: {"colour": RELATION_COLOURS[i % len(RELATION_COLOURS)], "dashed": i >= len(RELATION_COLOURS)}
                 for i, r in enumerate(shown)}
    return {"types": node_types, "deal": DEAL_COLOUR, "relations": relations}


def render_html(dossier: "Dossier") -> str:
    """The page: header, graph, chains table, evidence footnotes, documents, licences."""
    libraries = vendored()
    scripts = [_inline_script(asset_text(lib["file"]), lib["file"]) for lib in libraries]
    scripts.append(_inline_script(asset_text(PAGE_SCRIPT), PAGE_SCRIPT))
    colours = palette(dossier)
    data = dossier.to_dict()
    data["palette"] = colours
    data["doc_anchor"] = {doc_id: f"doc-{i}" for i, doc_id in enumerate(dossier.documents, start=1)}
    csp = ("default-src 'none'; script-src " + " ".join(_script_hash(s) for s in scripts)
           + "; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'")
    q = dossier.question
    parts = [
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="coopgraph ' + escape(__version__) + '">\n',
        '<link rel="icon" href="data:,">\n',
        f"<title>Evidence dossier: {escape(q.title())}</title>\n",
        "<style>\n", _inline_style(asset_text(PAGE_STYLE)), "</style>\n</head>\n<body>\n",
        _header(dossier),
        _nav(dossier),
        _graph_section(dossier, colours),
        _routes_section(dossier),
        _evidence_section(dossier, data["doc_anchor"]),
        _documents_section(dossier, data["doc_anchor"]),
        _licences(libraries),
        f'<script type="application/json" id="dossier-data">{json_for_script(data)}</script>\n',
    ]
    for lib, text in zip([*libraries, {"file": PAGE_SCRIPT}], scripts):
        parts.append(f"<script data-asset=\"{escape(lib['file'])}\">{text}</script>\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)


# -- pieces ---------------------------------------------------------------------------------------------

def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _num(value: Any) -> str:
    return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


def _summary_text(dossier: "Dossier") -> str:
    s, q = dossier.summary, dossier.question
    if q.kind == "chains":
        found = f"{s['found']} chain{'s' if s['found'] != 1 else ''} found"
        shown = f"the best {s['shown']} listed" if s["truncated"] else "all listed"
        complete = "" if s["complete"] else "; the search stopped at its budget, so more may exist"
        return (f"{found}, {shown}{complete}. Sources: {s['sources']} entities; targets: {s['targets']} entities. "
                "Each hop is no earlier than the one before; shortest and strongest (weakest-link confidence) first.")
    if q.kind == "impact":
        removed = ", ".join(r["name"] for r in s["removed"])
        return (f"Removing {removed}: {s['lost']} recipient(s) lose every chain, {s['kept']} keep one. "
                f"{s['shown']} chain(s) that ran through what was removed are listed.")
    if q.kind == "path":
        return f"{s['shown']} shortest path(s) listed."
    cut = "; ".join(f"{n} {what}" for what, n in (s.get("cut") or {}).items())
    return f"{s['shown']} neighbour(s) of {s['entity']['name']} listed" + (f" (left out: {cut})." if cut else ".")


def _header(dossier: "Dossier") -> str:
    q, store = dossier.question, dossier.store
    rows = "".join(f"<tr><th scope=\"row\">{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in q.options())
    docs = "; ".join(f"<cite>{_e(d['title'])}</cite> ({_e(d.get('date') or 'undated')})" for d in dossier.documents.values())
    span = ""
    if store.get("oldest"):
        span = f", dated {_e(store['oldest'])}" + (f" to {_e(store['newest'])}" if store["newest"] != store["oldest"] else "")
    return (
        '<header id="top">\n<p class="kicker">Evidence dossier</p>\n'
        f"<h1>{_e(q.title())}</h1>\n"
        f'<p class="summary">{_e(_summary_text(dossier))}</p>\n'
        '<div class="question"><table class="options"><caption>The question asked</caption>'
        f"<tbody>{rows}</tbody></table>\n"
        f'<p class="command">Written by <code>{_e(q.command())}</code> on {_e(dossier.generated)} '
        f"(coopgraph {_e(__version__)}).</p>\n"
        f'<p class="store">The store holds {store["documents"]} document{"s" if store["documents"] != 1 else ""}'
        f"{span}: {docs}; {store['claims']} claims about {store['entities']} entities.</p></div>\n"
        "</header>\n"
    )


def _nav(dossier: "Dossier") -> str:
    noun = KIND_NOUNS[dossier.question.kind][1]
    return ('<nav><a href="#graph">Graph</a> · <a href="#routes">' + _e(noun.capitalize()) + '</a> · '
            '<a href="#evidence">Evidence</a> · <a href="#documents">Documents</a> · '
            '<a href="#licences">Licences</a></nav>\n')


def _graph_section(dossier: "Dossier", colours: dict[str, Any]) -> str:
    statuses = sorted({c["status"] or "" for c in dossier.claims.values()})
    status_boxes = "".join(
        f'<label><input type="checkbox" name="status" value="{_e(s)}" checked> {_e(s or "(no status)")}</label>'
        for s in statuses)
    type_items = "".join(
        f'<li><span class="swatch node" style="background:{c}"></span>{_e(t.replace("_", " "))}</li>'
        for t, c in colours["types"].items())
    if any(n["type"] == "deal" for n in dossier.nodes.values()):
        type_items += ('<li><span class="swatch node deal"></span>deal: one transfer (supplier → item → recipient), '
                       "labelled with its item</li>")
    rel_items = "".join(
        f'<li><span class="swatch line{" dashed" if r["dashed"] else ""}" style="border-color:{r["colour"]}"></span>'
        f"{_e(name.replace('_', ' '))}</li>" for name, r in colours["relations"].items())
    roles = {"chains": "where a chain starts or ends", "impact": "where a chain starts or ends; red double: removed",
             "path": "where the paths start and end", "neighbours": "the entity asked about"}[dossier.question.kind]
    empty = "" if dossier.routes else '<p class="empty">Nothing to draw: the question has no answer in this store.</p>'
    return f"""<section id="graph">
<h2>Graph</h2>
<form class="filters" id="filters" autocomplete="off">
<fieldset><legend>Dates</legend>
<label>from <input type="text" name="from" size="10" placeholder="YYYY[-MM[-DD]]" pattern="\\d{{4}}(-\\d{{2}}(-\\d{{2}})?)?|\\d{{3}}0s"></label>
<label>to <input type="text" name="to" size="10" placeholder="YYYY[-MM[-DD]]" pattern="\\d{{4}}(-\\d{{2}}(-\\d{{2}})?)?|\\d{{3}}0s"></label>
<label title="With a date window, undated claims are dropped (as --from-date/--to-date do) unless this is ticked">
<input type="checkbox" name="undated"> keep undated</label>
</fieldset>
<fieldset><legend>Status</legend>{status_boxes}</fieldset>
<fieldset><legend>Confidence</legend>
<label>at least <input type="range" name="confidence" min="0" max="1" step="0.05" value="0">
<output name="confidence-value">0</output></label>
</fieldset>
<fieldset class="actions"><button type="button" id="reset-filters">Reset</button></fieldset>
<p class="count" id="filter-count" aria-live="polite"></p>
</form>
<div class="graph-area">
<div class="graph-box">
<div class="toolbar">
<button type="button" data-action="fit" title="Show the whole graph">Fit</button>
<button type="button" data-action="zoom-in" title="Zoom in">+</button>
<button type="button" data-action="zoom-out" title="Zoom out">−</button>
<button type="button" data-action="clear" title="Clear the selection">Clear</button>
<button type="button" data-action="png" title="Save the graph as a picture">PNG</button>
<span class="hint">drag to pan · wheel to zoom · click a node or a hop</span></div>
<div id="cy" role="img" aria-label="The graph of the answer, laid out by hop from left to right"></div>
{empty}<noscript><p class="empty">The graph needs JavaScript; the tables below hold all of it.</p></noscript>
</div>
<aside id="details" aria-live="polite"><p class="placeholder">Click a node or a hop (a line) to see its claims:
dates, status, confidence, quantity, and every citation with its quote.</p></aside>
</div>
<div class="legend"><div><h3>Entity types</h3><ul>{type_items}</ul><p class="roles">Thick border: {_e(roles)}.</p></div>
<div><h3>Relations</h3><ul>{rel_items}</ul></div></div>
</section>
"""


def _hop_ref(dossier: "Dossier", n: int) -> str:
    hop = dossier.hops[n - 1]
    arrow = {"target": "→", "source": "←", "none": "—"}[hop["arrow"]]
    rels = ", ".join(hop["relations"])
    return f'<a class="hop-ref" href="#ev-{n}" data-hop="{n}" title="{_e(rels)}: evidence {n}">{arrow}<sup>{n}</sup></a>'


def _node_name(dossier: "Dossier", node_id: str) -> str:
    node = dossier.nodes[node_id]
    deal = ' <span class="tag">deal</span>' if node["type"] == "deal" else ""
    return f'<span class="node-name" data-node="{_e(node_id)}" title="{_e(node["type"])}: {_e(node_id)}">{_e(node["name"])}</span>{deal}'


def _route_chain(dossier: "Dossier", route: dict[str, Any]) -> str:
    out = [_node_name(dossier, route["nodes"][0])]
    for step, node in zip(route["steps"], route["nodes"][1:]):
        out.append(" " + _hop_ref(dossier, step["hop"]) + " " + _node_name(dossier, node))
    return "".join(out)


def _dates(route: dict[str, Any]) -> str:
    first, last = route.get("first_date"), route.get("last_date")
    if not first:
        return "undated"
    return _e(first) if first == last or not last else f"{_e(first)} … {_e(last)}"


def _route_notes(dossier: "Dossier", route: dict[str, Any]) -> str:
    notes = []
    for deal_id in route.get("deals") or ():
        deal = dossier.deals.get(deal_id, {})
        bits = [deal.get("status") or ""]
        if deal.get("delivered") is not None:
            bits.append(f"{deal['delivered']} {deal.get('unit') or ''} delivered".strip())
        elif deal.get("ordered") is not None:
            bits.append(f"{deal['ordered']} {deal.get('unit') or ''} ordered".strip())
        notes.append(f"deal {_e(deal.get('label') or deal_id)} ({_e(', '.join(b for b in bits if b))})")
    named = route.get("recipient_named")
    if named:
        notes.append(f"the source names {_e(named['name'])} as recipient; counted as reaching "
                     f"{_e(', '.join(dossier.nodes.get(t, {}).get('name', t) for t in named['counts_as']))}")
    if route.get("undated_hops"):
        notes.append(f"{route['undated_hops']} undated hop(s)")
    return "<br>".join(notes)


def _routes_section(dossier: "Dossier") -> str:
    q = dossier.question
    noun = KIND_NOUNS[q.kind]
    out = [f'<section id="routes">\n<h2>{_e(noun[1].capitalize())}</h2>\n']
    if q.kind == "impact":
        out.append(_impact_targets(dossier))
    if not dossier.routes:
        out.append(f'<p class="empty">No {_e(noun[1])}.</p>\n</section>\n')
        return "".join(out)
    out.append('<p class="note">Each arrow is a hop; its number is its footnote in <a href="#evidence">Evidence</a>. '
               '“show” draws the row in the graph.</p>\n')
    if q.kind == "neighbours":
        out.append('<table class="routes"><thead><tr><th>#</th><th>Depth</th><th>Neighbour</th><th>Type</th>'
                   "<th>Link</th><th>Relations</th><th>Dates</th></tr></thead><tbody>\n")
        for r in dossier.routes:
            other = dossier.nodes[r["nodes"][1]]
            out.append(
                f'<tr class="route" id="route-{r["rank"]}" data-route="{r["rank"]}">'
                f'<td class="rank">{r["rank"]} <button type="button" class="show-route" data-route="{r["rank"]}">show</button></td>'
                f"<td>{r['depth']}</td><td>{_node_name(dossier, other['id'])}</td><td>{_e(other['type'])}</td>"
                f"<td class=\"chain\">{_route_chain(dossier, r)}</td><td>{_e('; '.join(r['relations']))}</td>"
                f"<td>{_dates(r)}</td></tr>\n")
    else:
        out.append(f'<table class="routes"><thead><tr><th>#</th><th>{_e(noun[0].capitalize())}</th><th>Hops</th>'
                   "<th>Dates</th><th>Weakest confidence</th><th>Deals and notes</th></tr></thead><tbody>\n")
        for r in dossier.routes:
            out.append(
                f'<tr class="route" id="route-{r["rank"]}" data-route="{r["rank"]}">'
                f'<td class="rank">{r["rank"]} <button type="button" class="show-route" data-route="{r["rank"]}">show</button></td>'
                f'<td class="chain">{_route_chain(dossier, r)}</td><td>{r["hops"]}</td><td>{_dates(r)}</td>'
                f"<td>{_e(_num(r.get('score')))}</td><td class=\"notes\">{_route_notes(dossier, r)}</td></tr>\n")
    out.append("</tbody></table>\n</section>\n")
    return "".join(out)


def _impact_targets(dossier: "Dossier") -> str:
    rows = dossier.summary["targets"]
    if not rows:
        return '<p class="empty">No target had a chain before the removal.</p>\n'
    body = "".join(
        f'<tr class="outcome-{_e(r["outcome"])}"><td>{_e(r["outcome"])}</td><td>{_e(r["name"])}</td><td>{_e(r["type"])}</td>'
        f"<td>{_e(', '.join(k['name'] for k in r['kept_via']))}</td></tr>" for r in rows)
    return ('<h3>Recipients</h3><table class="targets"><thead><tr><th>Outcome</th><th>Recipient</th><th>Type</th>'
            f"<th>Still supplied via</th></tr></thead><tbody>{body}</tbody></table>\n<h3>Chains that disappear</h3>\n")


def claim_meta(claim: dict[str, Any], deals: dict[str, Any] | None = None) -> list[str]:
    """A claim's date, status, confidence, quantity and deal, as short texts."""
    bits = [claim.get("when") or "undated"]
    if claim.get("status"):
        bits.append(claim["status"])
    if claim.get("confidence") is not None:
        bits.append(f"confidence {_num(claim['confidence'])}")
    if claim.get("quantity") is not None:
        bits.append(f"quantity {claim['quantity']}" + (f" {claim['unit']}" if claim.get("unit") else ""))
    if claim.get("deal"):
        deal = (deals or {}).get(claim["deal"]) or {}
        bits.append(f"deal {deal.get('label') or claim['deal']}")
    return bits


def _citation(citation: dict[str, Any], dossier: "Dossier", anchors: dict[str, str]) -> str:
    doc = dossier.documents.get(citation["document"], {})
    title = doc.get("title") or citation["document"]
    anchor = anchors.get(citation["document"])
    cite = f'<a href="#{anchor}"><cite>{_e(title)}</cite></a>' if anchor else f"<cite>{_e(title)}</cite>"
    date = f" ({_e(doc['date'])})" if doc.get("date") else ""
    return (f'<blockquote class="quote">{_e(citation["quote"])}</blockquote>'
            f'<p class="source">— {cite}{date}, {_e(citation["locator"])}</p>')


def _claim_html(claim: dict[str, Any], dossier: "Dossier", anchors: dict[str, str]) -> str:
    meta = " · ".join(_e(b) for b in claim_meta(claim, dossier.deals))
    cites = "".join(_citation(c, dossier, anchors) for c in claim["citations"])
    return (f'<div class="claim" data-claim="{_e(claim["claim"])}"><p class="statement">{_e(claim["statement"])}</p>'
            f'<p class="meta">{meta}</p>{cites}</div>')


def _evidence_section(dossier: "Dossier", anchors: dict[str, str]) -> str:
    noun = KIND_NOUNS[dossier.question.kind]
    out = ['<section id="evidence">\n<h2>Evidence</h2>\n<p class="note">One footnote a hop: every claim the '
           f"{_e(noun[1])} use on it, with each citation's verbatim quote.</p>\n<ol class=\"evidence\">\n"]
    for hop in dossier.hops:
        used = ", ".join(f'<a href="#route-{r}">{r}</a>' for r in hop["routes"])
        claims = "".join(_claim_html(dossier.claims[c], dossier, anchors) for c in hop["claims"])
        out.append(
            f'<li id="ev-{hop["n"]}" value="{hop["n"]}" data-hop="{hop["n"]}"><p class="hop-title">'
            f'{_node_name(dossier, hop["from"])} {_hop_ref(dossier, hop["n"])} {_node_name(dossier, hop["to"])}'
            f' <button type="button" class="show-hop" data-hop="{hop["n"]}">show in graph</button></p>'
            f'<p class="used">{_e(noun[0].capitalize())}{"s" if len(hop["routes"]) != 1 else ""} {used}</p>{claims}</li>\n')
    out.append("</ol>\n</section>\n")
    return "".join(out)


def safe_url(url: Any) -> str | None:
    """``url`` when it is an http(s) address (the only kind the page links), else ``None``.

    >>> safe_url("https://csis.org/x"), safe_url("javascript:alert(1)")
    ('https://csis.org/x', None)
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _documents_section(dossier: "Dossier", anchors: dict[str, str]) -> str:
    rows = []
    for doc_id, doc in dossier.documents.items():
        link = safe_url(doc.get("url"))
        url = (f'<a href="{_e(link)}" rel="noopener noreferrer">{_e(link)}</a>' if link else _e(doc.get("url") or "—"))
        rows.append(
            f'<tr id="{anchors[doc_id]}"><td><cite>{_e(doc.get("title") or doc_id)}</cite><br><code>{_e(doc_id)}</code></td>'
            f"<td>{_e(doc.get('author') or '—')}</td><td>{_e(doc.get('publisher') or '—')}</td>"
            f"<td>{_e(doc.get('date') or '—')}</td><td class=\"url\">{url}</td><td>{doc.get('cited', 0)}</td></tr>\n")
    return ('<section id="documents">\n<h2>Documents</h2>\n<table class="documents"><thead><tr><th>Title</th>'
            "<th>Author</th><th>Publisher</th><th>Date</th><th>URL</th><th>Citations here</th></tr></thead><tbody>\n"
            + "".join(rows) + "</tbody></table>\n</section>\n")


def _licences(libraries: Iterable[dict[str, Any]]) -> str:
    libraries = list(libraries)
    names = "; ".join(f"{_e(lib['name'])} {_e(lib['version'])} ({_e(lib['licence'])}): {_e(lib['role'])}"
                      for lib in libraries)
    texts = "".join(
        f"<details><summary>{_e(lib['name'])} {_e(lib['version'])}: {_e(lib['licence'])} — "
        f"{_e(lib['homepage'])}</summary><pre>{_e(asset_text(lib['licence_file']))}</pre></details>\n"
        for lib in libraries)
    return ('<footer id="licences">\n<h2>Licences</h2>\n'
            f"<p>Made with coopgraph {_e(__version__)} (MIT). The graph view inlines, unchanged, {names}. "
            "Their licence texts follow; their sources are on npm and at the addresses given.</p>\n"
            f"{texts}</footer>\n")
