"""Pictures of reports: chains as a left-to-right graph, claims per year as bars.

Writes PNG, SVG or HTML (an SVG inside a small page) chosen by the file suffix,
atomically. matplotlib draws; nothing is shown on screen.
"""

from __future__ import annotations

import io
import os
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from coopgraph.graph.errors import QueryError
from coopgraph.queries.export._write import atomic_output

if TYPE_CHECKING:
    from coopgraph.queries.report import Report

SUFFIXES = (".png", ".svg", ".html")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: str | os.PathLike, title: str) -> None:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise QueryError(f"plot file must end in {', '.join(SUFFIXES)}, not '{suffix or path}'")
    plt = _pyplot()
    try:
        if suffix == ".html":
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", bbox_inches="tight")
            page = (f"<!doctype html>\n<html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
                    f"<body><h1>{escape(title)}</h1>\n{buffer.getvalue()}\n</body></html>\n")
            with atomic_output(path) as out:
                out.write(page)
        else:
            with atomic_output(path, "wb") as out:
                fig.savefig(out, format=suffix[1:], bbox_inches="tight", dpi=130)
    finally:
        plt.close(fig)


def plot_chains(chains: Iterable[dict[str, Any]], path: str | os.PathLike, title: str = "Dependency chains") -> int:
    """Draw chains left to right (a column per step), dates on the arcs. Returns arcs drawn.

    Raises
    ------
    QueryError
        When ``path`` does not end in .png, .svg or .html.
    """
    import networkx as nx

    plt = _pyplot()
    graph = nx.DiGraph()
    for chain in chains:
        for position, node in enumerate(chain["nodes"]):
            if node["id"] not in graph or graph.nodes[node["id"]]["layer"] > position:
                graph.add_node(node["id"], layer=position, label=node["name"])
        for step in chain["steps"]:
            when = sorted({c["when"] for c in step["claims"]})
            rels = sorted({c["relation"] for c in step["claims"]})
            graph.add_edge(step["from"], step["to"], label=f"{'/'.join(rels)}\n{', '.join(when)}")
    # a node reached at several depths is drawn at its earliest; arcs may then run backwards, which stays readable
    layers = max((d for _, d in graph.nodes(data="layer")), default=0) + 1
    rows = max((sum(1 for _, d in graph.nodes(data="layer") if d == layer) for layer in range(layers)), default=1)
    fig, ax = plt.subplots(figsize=(max(6, 3.2 * layers), max(3, 0.9 * rows + 1)))
    ax.set_axis_off()
    ax.set_title(title)
    if graph.number_of_nodes():
        pos = nx.multipartite_layout(graph, subset_key="layer", align="vertical")
        nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=900, node_color="#dbe9f6", edgecolors="#2b5d8a")
        nx.draw_networkx_labels(graph, pos, labels=nx.get_node_attributes(graph, "label"), ax=ax, font_size=8)
        nx.draw_networkx_edges(graph, pos, ax=ax, arrows=True, arrowsize=14, edge_color="#555555", node_size=900)
        nx.draw_networkx_edge_labels(graph, pos, edge_labels=nx.get_edge_attributes(graph, "label"), ax=ax, font_size=6)
    else:
        ax.text(0.5, 0.5, "no chains", ha="center", va="center")
    _save(fig, path, title)
    return graph.number_of_edges()


def plot_timeline(counts: Report, path: str | os.PathLike, title: str = "Claims per period") -> int:
    """Stacked bars of claims per period by relation type (a :func:`~coopgraph.queries.timeline_counts` report).

    Returns the number of periods drawn.

    Raises
    ------
    QueryError
        When ``path`` does not end in .png, .svg or .html.
    """
    import pandas as pd

    plt = _pyplot()
    frame = pd.DataFrame(counts.rows, columns=counts.columns)
    data = frame.set_index("period").drop(columns=["total"], errors="ignore") if len(frame) else pd.DataFrame()
    fig, ax = plt.subplots(figsize=(max(6, 0.35 * len(data) + 3), 4))
    if len(data):
        data.plot(kind="bar", stacked=True, ax=ax, width=0.8, colormap="tab20")
        ax.legend(fontsize=7, ncol=2, loc="upper left")
    ax.set_xlabel("")
    ax.set_ylabel("claims")
    ax.set_title(title)
    _save(fig, path, title)
    return len(data)
