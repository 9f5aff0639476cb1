"""Evidence dossier: one question's answer, every hop's evidence, as a page to send or Markdown to paste.

A :class:`Dossier` holds the answer to one :class:`Question` (the same
questions as the ``chains``, ``path``, ``impact`` and ``neighbours`` reports)
in one normalised shape:

``routes``
    the numbered rows of the answer (chains, paths, lost chains, neighbours),
    each a list of node ids and of steps; a step names its hop and the claims
    the route uses on it;
``hops``
    every distinct link (from, to) the routes take, numbered in order of first
    use: the footnotes of the page;
``claims``, ``nodes``, ``deals``, ``documents``
    each once, by id.

:meth:`Dossier.html` writes a self-contained page (see
:mod:`coopgraph.queries.dossier_html`), :meth:`Dossier.markdown` the same
dossier as Markdown with footnotes (:mod:`coopgraph.queries.dossier_md`).

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.loaders import open_or_build
>>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
>>> d = dossier(store.graph(), sources="Su-27", targets="J-11")
>>> d.routes[0]["path"].endswith("J-11")
True
>>> all(c["citations"] for c in d.claims.values())
True
>>> "[^1]" in d.markdown() and "<!doctype html>" in d.html()
True
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from coopgraph.graph.dates import PartialDate, parse_optional
from coopgraph.graph.deals import DEAL_PREFIX
from coopgraph.graph.errors import CoopgraphError
from coopgraph.queries.export._write import atomic_output
from coopgraph.queries.chains import deal_row
from coopgraph.queries.evidence import edge_claim_row
from coopgraph.queries.filters import ClaimFilter, filtered_graph

#: the headline question: Russian technologies to the PLA and its programmes
from coopgraph.queries.headline import HEADLINE_FROM, HEADLINE_LIMIT, HEADLINE_TO  # noqa: E402

#: what a dossier can answer, as the report of the same name does
KINDS = ("chains", "path", "impact", "neighbours")

#: ``--format`` values and their file suffixes
FORMATS = {"html": ".html", "md": ".md"}
#: the method that renders each format, and the format a file suffix asks for
_RENDERER = {"html": "html", "md": "markdown"}
_FORMAT_OF_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

_DEFAULT_LIMIT = {"chains": HEADLINE_LIMIT, "path": 5, "impact": 50, "neighbours": None}


class QuestionError(CoopgraphError):
    """A dossier question is malformed (an unknown kind, a missing entity)."""


@dataclass(frozen=True)
class Question:
    """What a dossier answers: the kind of report and its options.

    Parameters
    ----------
    kind : str
        ``chains`` (the default), ``path``, ``impact`` or ``neighbours``.
    sources, targets : tuple of str
        Selectors for ``chains`` and ``impact`` (default: the headline question,
        ``country:Russia`` to ``org:PLA``).
    entities : tuple of str
        ``path``: the two ends; ``impact``: the entities removed;
        ``neighbours``: the one entity.
    max_hops, via, limit : as for :func:`coopgraph.queries.chains`
        ``limit`` is the most chains (``chains``, ``impact``) or paths (``path``);
        ``None`` takes the report's default (the headline's limit of chains, 5 paths).
    depth, cap, types : as for :func:`coopgraph.queries.neighbours`
    flow_only : bool
        ``path``: follow flows only.
    claim_filter : ClaimFilter
        As-of date, date window, minimum confidence, statuses.

    Examples
    --------
    >>> Question().command()
    "coopgraph dossier --from country:Russia --to org:PLA --to 'country:China&type:program'"
    >>> Question("path", entities=("Su-35", "EED")).title()
    'Shortest paths from Su-35 to EED'
    """

    kind: str = "chains"
    sources: tuple[str, ...] = (HEADLINE_FROM,)
    targets: tuple[str, ...] = HEADLINE_TO
    entities: tuple[str, ...] = ()
    max_hops: int = 4
    via: tuple[str, ...] | None = None
    limit: int | None = None
    depth: int = 1
    cap: int = 25
    types: tuple[str, ...] | None = None
    flow_only: bool = False
    claim_filter: ClaimFilter = field(default_factory=ClaimFilter)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise QuestionError(f"unknown dossier question '{self.kind}'; use one of {', '.join(KINDS)}")
        for name in ("sources", "targets", "entities", "via", "types"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif value is not None:
                object.__setattr__(self, name, tuple(value))
        wanted = {"path": (2, 2), "impact": (1, None), "neighbours": (1, 1), "chains": (0, 0)}[self.kind]
        count = len(self.entities)
        if count < wanted[0] or (wanted[1] is not None and count > wanted[1]):
            need = {"path": "two entities (from and to)", "impact": "at least one entity to remove",
                    "neighbours": "one entity", "chains": "no entities (use sources and targets)"}[self.kind]
            raise QuestionError(f"a {self.kind} dossier takes {need}, not {count}")
        if self.kind in ("chains", "impact") and (not self.sources or not self.targets):
            raise QuestionError(f"a {self.kind} dossier needs sources and targets")

    @property
    def row_limit(self) -> int | None:
        return self.limit if self.limit is not None else _DEFAULT_LIMIT[self.kind]

    def title(self) -> str:
        """The question in words, for the page's title."""
        if self.kind == "chains":
            return f"Chains from {' or '.join(self.sources)} to {' or '.join(self.targets)}"
        if self.kind == "path":
            return f"Shortest {'flow ' if self.flow_only else ''}paths from {self.entities[0]} to {self.entities[1]}"
        if self.kind == "impact":
            return (f"What if {', '.join(self.entities)} dropped out? Chains from {' or '.join(self.sources)} "
                    f"to {' or '.join(self.targets)}")
        return f"Neighbours of {self.entities[0]} within {self.depth} claim{'s' if self.depth != 1 else ''}"

    def arguments(self) -> list[str]:
        """The ``coopgraph dossier`` arguments that ask this question (defaults left out)."""
        args: list[str] = []
        if self.kind == "path":
            args += ["--path", *self.entities]
        elif self.kind == "impact":
            for entity in self.entities:
                args += ["--impact", entity]
        elif self.kind == "neighbours":
            args += ["--neighbours", self.entities[0]]
        if self.kind in ("chains", "impact"):
            for s in self.sources:
                args += ["--from", s]
            for t in self.targets:
                args += ["--to", t]
            if self.max_hops != 4:
                args += ["--max-hops", str(self.max_hops)]
        if self.kind == "chains" and self.via:
            args += ["--via", ",".join(self.via)]
        if self.limit is not None and self.kind != "neighbours":
            args += ["--limit", str(self.limit)]
        if self.kind == "path" and self.flow_only:
            args.append("--flow-only")
        if self.kind == "neighbours":
            if self.depth != 1:
                args += ["--depth", str(self.depth)]
            if self.cap != 25:
                args += ["--cap", str(self.cap)]
            if self.types:
                args += ["--type", ",".join(self.types)]
        f = self.claim_filter
        for option, value in (("--as-of", f.as_of), ("--from-date", f.from_date), ("--to-date", f.to_date)):
            if value:
                args += [option, value]
        if f.min_confidence:
            args += ["--min-confidence", f"{f.min_confidence:g}"]
        if f.statuses:
            args += ["--status", ",".join(sorted(f.statuses))]
        return args

    def command(self) -> str:
        """The command line that writes this dossier."""
        return " ".join(["coopgraph", "dossier", *map(shlex.quote, self.arguments())])

    def options(self) -> list[tuple[str, str]]:
        """Every option that shaped the answer, defaults included, as (option, value) for the header."""
        rows: list[tuple[str, str]] = [("question", self.kind)]
        if self.kind in ("chains", "impact"):
            rows += [("--from", " | ".join(self.sources)), ("--to", " | ".join(self.targets)),
                     ("--max-hops", str(self.max_hops))]
        if self.kind == "impact":
            rows.append(("--impact (removed)", ", ".join(self.entities)))
        if self.kind == "chains":
            rows.append(("--via", ", ".join(self.via) if self.via else "every type but state"))
        if self.kind == "path":
            rows += [("--path", " to ".join(self.entities)),
                     ("--flow-only", "yes: flows only, in their direction" if self.flow_only else "no: any claim, either way")]
        if self.kind == "neighbours":
            rows += [("--neighbours", self.entities[0]), ("--depth", str(self.depth)), ("--cap", str(self.cap)),
                     ("--type", ", ".join(self.types) if self.types else "any")]
        if self.row_limit is not None:
            rows.append(("--limit", str(self.row_limit)))
        f = self.claim_filter
        rows += [
            ("--as-of", f.as_of or "none: every document in the store"),
            ("--from-date", f.from_date or "none"),
            ("--to-date", f.to_date or "none"),
            ("--min-confidence", f"{f.min_confidence:g}"),
            ("--status", ", ".join(sorted(f.statuses)) if f.statuses else "any"),
        ]
        return rows

    def filename(self, fmt: str = "html") -> str:
        """A file name that says what was asked: ``dossier-headline.html`` for the headline question.

        >>> Question("neighbours", entities=("Su-35",)).filename("md")
        'dossier-neighbours-su-35.md'
        >>> Question(targets=("China",)).filename()
        'dossier-country-russia-to-china.html'
        """
        if self.kind == "chains" and self.sources == (HEADLINE_FROM,) and self.targets == HEADLINE_TO:
            words = ["headline"]
        elif self.kind == "chains":
            words = [*self.sources, "to", *self.targets]
        elif self.kind == "path":
            words = ["path", self.entities[0], "to", self.entities[1]]
        else:
            words = [self.kind, *self.entities]
        slug = "".join(ch if ch.isalnum() else "-" for ch in "-".join(words).lower())
        slug = "-".join(part for part in slug.split("-") if part)[:80].strip("-") or "question"
        return f"dossier-{slug}{FORMATS[fmt]}"


@dataclass
class Dossier:
    """The answer to a :class:`Question` with all its evidence; see the module docstring for the shape."""

    question: Question
    routes: list[dict[str, Any]]
    hops: list[dict[str, Any]]
    claims: dict[str, dict[str, Any]]
    nodes: dict[str, dict[str, Any]]
    deals: dict[str, dict[str, Any]]
    documents: dict[str, dict[str, Any]]
    summary: dict[str, Any]
    store: dict[str, Any]
    generated: str

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data (what the page embeds as JSON)."""
        q = self.question
        return {
            "question": {"kind": q.kind, "title": q.title(), "command": q.command(), "options": q.options(),
                         "flow_arrows": q.kind in ("chains", "impact") or q.flow_only},
            "routes": self.routes, "hops": self.hops, "claims": self.claims, "nodes": self.nodes,
            "deals": self.deals, "documents": self.documents, "summary": self.summary, "store": self.store,
            "generated": self.generated,
        }

    def html(self) -> str:
        """The dossier as one self-contained HTML page (scripts, styles and data inlined)."""
        from coopgraph.queries.dossier_html import render_html

        return render_html(self)

    def markdown(self) -> str:
        """The dossier as Markdown, each hop's evidence a numbered footnote."""
        from coopgraph.queries.dossier_md import render_markdown

        return render_markdown(self)

    def write(self, path: str | os.PathLike | None = None, fmt: str | None = None) -> Path:
        """Write the page (``fmt`` ``html``) or Markdown (``md``) to ``path``, atomically; ``-`` is standard output.

        ``fmt`` defaults to the suffix of ``path`` (``.md`` for Markdown), and
        ``path`` to :meth:`Question.filename` in the working directory.
        """
        if fmt is None:
            fmt = _FORMAT_OF_SUFFIX.get(Path(path).suffix.lower(), "html") if path is not None else "html"
        if fmt not in FORMATS:
            raise QuestionError(f"unknown dossier format '{fmt}'; use one of {', '.join(FORMATS)}")
        target = Path(path) if path is not None else Path(self.question.filename(fmt))
        text = getattr(self, _RENDERER[fmt])()
        with atomic_output(target) as out:
            out.write(text)
        if str(target) != "-":  # a page to send: readable as the umask allows, not only by its writer
            umask = os.umask(0)
            os.umask(umask)
            target.chmod(0o666 & ~umask)
        return target

    def quotes(self) -> set[tuple[str, str, str]]:
        """Every citation in the dossier as (document, locator, quote)."""
        return {(c["document"], c["locator"], c["quote"]) for claim in self.claims.values() for c in claim["citations"]}

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks only
        from html import escape

        return (f'<iframe srcdoc="{escape(self.html(), quote=True)}" style="width:100%;height:900px;border:1px solid #ccc" '
                f'sandbox="allow-scripts"></iframe>')


def dossier(graph: nx.MultiDiGraph, question: Question | None = None, *, generated: str | None = None,
            **options: Any) -> Dossier:
    """Answer ``question`` on ``graph`` and gather its evidence into a :class:`Dossier`.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The claim graph (``store.graph()``).
    question : Question, optional
        What to ask; or give its fields as keyword arguments
        (``dossier(g, kind="path", entities=("Su-35", "EED"))``). With neither:
        the headline question, Russian technologies to the PLA and its programmes.
    generated : str, optional
        The date the page says it was made (default: today).

    Returns
    -------
    Dossier
        ``.html()``, ``.markdown()``, ``.write(path)``; ``.routes``, ``.hops``,
        ``.claims`` and ``.documents`` for a notebook.

    Raises
    ------
    QuestionError
        When the question is malformed.
    NotFoundError, AmbiguousNameError
        When a selector or entity names no entity, or several.

    Examples
    --------
    >>> g = nx.MultiDiGraph(documents={"d": {"id": "d", "title": "T", "date": "2020"}})
    >>> g.add_node("firm:a", type="firm", name="A")
    >>> g.add_node("system:x", type="weapon_system", name="X")
    >>> cite = [{"document": "d", "locator": "p. 1", "quote": "A makes X."}]
    >>> _ = g.add_edge("firm:a", "system:x", key="c1", type="develops", flow="forward", date="2001",
    ...                confidence=0.9, citations=cite)
    >>> d = dossier(g, sources="firm:a", targets="system:x", generated="2024-01-01")
    >>> [(h["n"], h["from"], h["to"]) for h in d.hops], d.nodes["system:x"]["layer"]
    ([(1, 'firm:a', 'system:x')], 1)
    """
    if question is None:
        question = Question(**options)
    elif options:
        question = replace(question, **options)
    builder = _Builder(graph, question)
    if question.kind == "chains":
        from coopgraph.queries.chains import chains

        result = chains(graph, list(question.sources), list(question.targets), claim_filter=question.claim_filter,
                        max_hops=question.max_hops, via=question.via, limit=question.row_limit)
        for row in result.chains:
            builder.add_chain(row)
        summary = {"found": result.found, "shown": len(result.chains), "truncated": result.truncated,
                   "complete": result.complete, "sources": result.sources, "targets": result.targets}
    elif question.kind == "impact":
        from coopgraph.queries.impact import impact

        report = impact(graph, list(question.entities), list(question.sources), list(question.targets),
                        claim_filter=question.claim_filter, max_hops=question.max_hops, chain_limit=question.row_limit)
        for row in report["lost_chains"]:
            builder.add_chain(row)
        removed = set(report["removed"])
        for node in builder.nodes.values():  # what was taken out, and the deals of a removed item
            if node["id"] in removed or node.get("item") in removed:
                node["role"] = "removed"
        names = {n: builder.name(n) for row in report["targets"] for n in row["kept_via"]}
        summary = {"removed": [{"id": r, "name": builder.name(r)} for r in report["removed"]],
                   "lost": report["lost"], "kept": report["kept"], "shown": len(builder.routes),
                   "targets": [{**row, "kept_via": [{"id": n, "name": names[n]} for n in row["kept_via"]]}
                               for row in report["targets"]]}
    elif question.kind == "path":
        from coopgraph.queries.paths import paths

        rows = paths(graph, question.entities[0], question.entities[1], flow_only=question.flow_only,
                     claim_filter=question.claim_filter, limit=question.row_limit)
        for row in rows:
            builder.add_path(row)
        summary = {"shown": len(rows)}
    else:
        from coopgraph.queries.paths import neighbours

        report = neighbours(graph, question.entities[0], depth=question.depth, types=question.types, cap=question.cap,
                            claim_filter=question.claim_filter)
        view = filtered_graph(graph, question.claim_filter)
        for row in report["rows"]:
            builder.add_neighbour(view, row)
        builder.node(report["entity"])["role"] = "centre"
        summary = {"entity": {"id": report["entity"], "name": builder.name(report["entity"])},
                   "shown": len(report["rows"]), "cut": report["cut"]}
    return builder.finish(summary, generated or dt.date.today().isoformat())


class _Builder:
    """Collects routes, numbering hops in order of first use and keeping each claim, node and deal once."""

    def __init__(self, graph: nx.MultiDiGraph, question: Question):
        self.graph = graph
        self.question = question
        self.routes: list[dict[str, Any]] = []
        self.hops: dict[tuple[str, str], dict[str, Any]] = {}
        self.numbered: list[dict[str, Any]] = []  # the hops by number - 1
        self.claims: dict[str, dict[str, Any]] = {}
        self.nodes: dict[str, dict[str, Any]] = {}
        self.deals: dict[str, dict[str, Any]] = {}

    def name(self, node_id: str) -> str:
        """The name of any node, without adding it to the dossier's nodes."""
        found = self.nodes.get(node_id) or self._describe(node_id)
        return found["name"]

    def node(self, node_id: str) -> dict[str, Any]:
        """The dossier's node ``node_id``, added (with its deal's summary) on first use."""
        found = self.nodes.get(node_id)
        if found is None:
            found = self.nodes[node_id] = self._describe(node_id)
            if found["type"] == "deal":
                self.deals[node_id] = deal_row(self.graph.graph["deals"][node_id])
        return found

    def _describe(self, node_id: str) -> dict[str, Any]:
        deals = self.graph.graph.get("deals", {})
        if node_id in deals:
            deal = deals[node_id]
            item = deal["item"]
            item_data = self.graph.nodes[item] if item in self.graph else {}
            return {"id": node_id, "name": deal.get("item_name") or item_data.get("name", item), "type": "deal",
                    "item": item, "item_type": item_data.get("type"), "label": deal.get("label")}
        data = self.graph.nodes[node_id] if node_id in self.graph else {}
        found = {"id": node_id, "name": data.get("name") or node_id, "type": data.get("type") or "unknown"}
        if data.get("country"):
            found["country"] = data["country"]
        return found

    def _claim(self, row: dict[str, Any]) -> str:
        if row["claim"] not in self.claims:
            first = parse_optional(row.get("date") or row.get("start") or row.get("end"))
            last = parse_optional(row.get("end") or row.get("date") or row.get("start"))
            self.claims[row["claim"]] = {**row, "first": first.earliest.isoformat() if first else None,
                                         "last": last.latest.isoformat() if last else None}
        return row["claim"]

    def _step(self, u: str, v: str, claim_rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
        self.node(u)
        self.node(v)
        ids = [self._claim(c) for c in claim_rows]
        hop = self.hops.get((u, v))
        if hop is None:
            hop = self.hops[(u, v)] = {"n": len(self.hops) + 1, "from": u, "to": v, "claims": [], "routes": []}
            self.numbered.append(hop)
        for claim_id in ids:
            if claim_id not in hop["claims"]:
                hop["claims"].append(claim_id)
        return {"hop": hop["n"], "claims": ids}

    def _route(self, nodes: list[str], steps: list[dict[str, Any]], **fields: Any) -> None:
        rank = len(self.routes) + 1
        for step in steps:
            hop = self.numbered[step["hop"] - 1]
            if rank not in hop["routes"]:
                hop["routes"].append(rank)
        self.routes.append({"rank": rank, "nodes": nodes, "steps": steps, "hops": len(steps), **fields})

    def add_chain(self, chain: dict[str, Any]) -> None:
        for node in chain["nodes"]:
            self.node(node["id"])
        steps = [self._step(s["from"], s["to"], s["claims"]) for s in chain["steps"]]
        self._route([n["id"] for n in chain["nodes"]], steps, path=chain["path"], score=chain["score"],
                    first_date=chain["first_date"], last_date=chain["last_date"], undated_hops=chain["undated_hops"],
                    recipient_named=chain.get("recipient_named"), deals=[d["id"] for d in chain["deals"]])

    def add_path(self, row: dict[str, Any]) -> None:
        steps = [self._step(s["from"], s["to"], s["claims"]) for s in row["steps"]]
        dates = [c for s in steps for c in (self.claims[i] for i in s["claims"]) if c["first"]]
        strongest = [max(self.claims[c]["confidence"] or 0 for c in s["claims"]) for s in steps if s["claims"]]
        self._route(list(row["nodes"]), steps, path=row["path"], score=min(strongest, default=None),
                    first_date=min(dates, key=lambda c: c["first"])["when"] if dates else None,
                    last_date=max(dates, key=lambda c: c["last"])["when"] if dates else None,
                    deals=[n for n in row["nodes"] if n.startswith(DEAL_PREFIX)])

    def add_neighbour(self, view: nx.MultiDiGraph, row: dict[str, Any]) -> None:
        via, other = row["via"], row["id"]
        claim_rows = []
        for u, v in ((via, other), (other, via)):
            for key, data in sorted((view.get_edge_data(u, v) or {}).items()):
                claim_rows.append(edge_claim_row(self.graph, u, v, key, data))
        step = self._step(via, other, claim_rows)
        dated = [self.claims[c] for c in step["claims"] if self.claims[c]["first"]]
        self._route([via, other], [step], path=f"{self.name(via)} — {self.name(other)}", depth=row["depth"],
                    relations=row["relations"],
                    score=max((self.claims[c]["confidence"] or 0 for c in step["claims"]), default=None),
                    first_date=min(dated, key=lambda c: c["first"])["when"] if dated else None,
                    last_date=max(dated, key=lambda c: c["last"])["when"] if dated else None, deals=[])

    def finish(self, summary: dict[str, Any], generated: str) -> Dossier:
        flow_arrows = self.question.kind in ("chains", "impact") or self.question.flow_only
        for hop in self.hops.values():
            claims = [self.claims[c] for c in hop["claims"]]
            hop["relations"] = list(dict.fromkeys(c["relation"] for c in claims))
            hop["arrow"] = "target" if flow_arrows else _arrow(hop, claims)
        for route in self.routes if self.question.kind != "neighbours" else ():
            if route["nodes"]:
                self.nodes[route["nodes"][0]].setdefault("role", "source")
                self.nodes[route["nodes"][-1]].setdefault("role", "target")
        for node_id, layer in _layers(self.routes, self.nodes).items():
            self.nodes[node_id]["layer"] = layer
        documents = self.graph.graph.get("documents", {})
        cited: dict[str, int] = {}
        for claim in self.claims.values():
            for citation in claim["citations"]:
                cited[citation["document"]] = cited.get(citation["document"], 0) + 1
        docs = {}
        for doc_id in sorted(documents, key=lambda d: (_date_key(documents[d].get("date")), d)):
            doc = documents[doc_id]
            docs[doc_id] = {k: doc.get(k) for k in ("id", "title", "date", "author", "publisher", "url", "kind")}
            docs[doc_id]["cited"] = cited.get(doc_id, 0)
        for doc_id in cited.keys() - docs.keys():  # a citation of a document the store does not describe
            docs[doc_id] = {"id": doc_id, "title": doc_id, "date": None, "author": None, "publisher": None, "url": None,
                            "kind": None, "cited": cited[doc_id]}
        dated = [d["date"] for d in docs.values() if d.get("date")]
        store = {"documents": len(documents), "claims": self.graph.number_of_edges(),
                 "entities": self.graph.number_of_nodes(),
                 "newest": max(dated, key=_date_key) if dated else None,
                 "oldest": min(dated, key=_date_key) if dated else None}
        return Dossier(self.question, self.routes, self.numbered, self.claims, self.nodes, self.deals, docs, summary, store,
                       generated)


def _arrow(hop: dict[str, Any], claims: list[dict[str, Any]]) -> str:
    """Which way a hop's claims point when the hop is not a flow: subject → object."""
    ends = (hop["from"], hop["to"])
    forward = all(c["subject"] == ends[0] or c["object"] == ends[1] for c in claims)
    backward = all(c["subject"] == ends[1] or c["object"] == ends[0] for c in claims)
    if forward and not backward:
        return "target"
    if backward and not forward:
        return "source"
    return "none"


def _layers(routes: list[dict[str, Any]], nodes: dict[str, Any]) -> dict[str, int]:
    """Each node's layer: the most hops from a start of the routes (longest path), so every link points right.

    When the routes' links make a cycle, a node's layer is its earliest position on a route.
    """
    links = nx.DiGraph()
    links.add_nodes_from(nodes)
    for route in routes:
        links.add_edges_from(zip(route["nodes"], route["nodes"][1:]))
    if nx.is_directed_acyclic_graph(links):
        layer: dict[str, int] = {}
        for node in nx.topological_sort(links):
            layer[node] = max((layer[p] + 1 for p in links.predecessors(node)), default=0)
        return layer
    first: dict[str, int] = {}
    for route in routes:
        for position, node in enumerate(route["nodes"]):
            first[node] = min(first.get(node, position), position)
    return {n: first.get(n, 0) for n in nodes}


def _date_key(text: str | None) -> tuple:
    try:
        return PartialDate.parse(text).sort_key if text else (0, 0, 0)
    except ValueError:
        return (0, 0, 0)
