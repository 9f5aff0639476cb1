"""Pictures of reports: chains as a left-to-right graph, claims per year as bars.

Writes PNG, SVG or HTML (an SVG inside a small page) chosen by the file suffix,
atomically. matplotlib draws; nothing is shown on screen.
"""

from __future__ import annotations

import io
import os
from html import escape
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

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


_FONT = 8
_EDGE_FONT = 6.5
_NODE_COLOURS = {"entity": ("#dbe9f6", "#2b5d8a"), "deal": ("#fdebd3", "#b86b00")}


def _edge_label(relations: dict[str, bool], dates: set[str]) -> str:
    """``supplies`` / ``← copy_of`` (a claim that reads against the arrow), then the dates, wrapped."""
    import textwrap

    rels = "/".join(("← " if reverse else "") + rel for rel, reverse in sorted(relations.items()))
    when = ", ".join(sorted(dates)) or "undated"
    return "\n".join(textwrap.wrap(rels, 30, break_long_words=False, break_on_hyphens=False)
                     + textwrap.wrap(when, 30, break_long_words=False, break_on_hyphens=False))


def _layers(nodes: list[str], edges: list[tuple[str, str]], first: dict[str, tuple[int, int]]) -> tuple[dict[str, int], list[tuple[str, str, bool]]]:
    """Longest-path layers of the chains' union, and its edges oriented left to right (``flipped`` when drawn back).

    Edges are oriented by where their ends first appear in the chains (hop, then
    order seen), which makes the union acyclic; a node is placed one layer right
    of its furthest predecessor, so every arrow runs forward by at least a layer.
    """
    oriented = []
    for u, v in edges:
        flipped = first[u] > first[v]
        oriented.append((v, u, True) if flipped else (u, v, False))
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b, _ in oriented:
        preds[b].append(a)
    layer: dict[str, int] = {}
    for n in sorted(nodes, key=lambda n: first[n]):
        layer[n] = max((layer[p] + 1 for p in preds[n]), default=0)
    return layer, oriented


def _order(columns: list[list[str]], neighbours: dict[str, list[str]], column_of: dict[str, int]) -> None:
    """Reorder each column by the mean position of its neighbours in the column before (or after) it.

    Barycentre sweeps, left to right then back, untangle the arcs (Sugiyama's method).
    """
    for sweep in range(8):
        index = {n: i for column in columns for i, n in enumerate(column)}
        forward = sweep % 2 == 0
        for c in (range(1, len(columns)) if forward else range(len(columns) - 2, -1, -1)):
            side = c - 1 if forward else c + 1

            def centre(n: str) -> float:
                near = [index[m] for m in neighbours.get(n, ()) if column_of.get(m) == side]
                return sum(near) / len(near) if near else index[n]

            columns[c].sort(key=centre)
            index.update({n: i for i, n in enumerate(columns[c])})


@dataclass
class ChainLayout:
    """Where :func:`plot_chains` draws everything, in inches (origin bottom left).

    ``boxes`` maps a node id to its box ``(centre x, centre y, width, height)`` and
    ``labels`` to its name (wrapped, never cut); ``routes`` holds one arc per
    step between two nodes: ``(from, to)``, the polyline from the box of
    ``from`` to the box of ``to`` (arrowhead at the end), its label and where the
    label sits. ``layers`` gives each node's column (0 = first hop).
    """

    labels: dict[str, str]
    kinds: dict[str, str]
    layers: dict[str, int]
    boxes: dict[str, tuple[float, float, float, float]]
    routes: list[tuple[tuple[str, str], list[tuple[float, float]], str, tuple[float, float]]]
    legend: list[str]
    width: float
    height: float


def _estimate(text: str, fontsize: float) -> tuple[float, float]:
    """Width and height of ``text`` in inches, estimated (without a renderer)."""
    lines = text.split("\n")
    return max(len(line) for line in lines) * fontsize * 0.6 / 72, len(lines) * fontsize * 1.25 / 72


def layout_chains(chains: Iterable[dict[str, Any]],
                  measure: Callable[[str, float], tuple[float, float]] = _estimate) -> ChainLayout:
    """Lay chains out in layers by hop (see :func:`plot_chains`); ``measure(text, points)`` sizes text in inches.

    Examples
    --------
    >>> chain = {"nodes": [{"id": "a", "name": "Su-27"}, {"id": "b", "name": "J-11"}],
    ...          "steps": [{"from": "a", "to": "b", "claims": [{"relation": "copy_of", "when": "undated"}]}]}
    >>> layout = layout_chains([chain])
    >>> layout.layers, layout.routes[0][2].splitlines()
    ({'a': 0, 'b': 1}, ['← copy_of', 'undated'])
    """
    import textwrap

    from coopgraph.graph.errors import SchemaError
    from coopgraph.graph.schema import load_schema

    schema = load_schema()
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    first: dict[str, tuple[int, int]] = {}
    arcs: dict[tuple[str, str], dict[str, Any]] = {}
    for chain in chains:
        for position, node in enumerate(chain["nodes"]):
            if node["id"] not in labels:
                labels[node["id"]] = "\n".join(textwrap.wrap(node["name"], 24, break_long_words=False,
                                                             break_on_hyphens=False)) or node["id"]
                kinds[node["id"]] = "deal" if node.get("type") == "deal" else "entity"
            first[node["id"]] = min(first.get(node["id"], (position, len(first))), (position, len(first)))
        for step in chain["steps"]:
            arc = arcs.setdefault((step["from"], step["to"]), {"relations": {}, "dates": set()})
            for claim in step["claims"]:
                rel = claim["relation"]
                try:
                    reverse = schema.relation(rel).flow == "reverse"
                except SchemaError:  # a relation of an extension schema that is not loaded here
                    reverse = False
                arc["relations"][rel] = reverse
                arc["dates"].add(claim["when"])
    if not labels:
        return ChainLayout({}, {}, {}, {}, [], [], 4.0, 1.5)

    pad = 0.08
    box = {n: tuple(d + 2 * pad for d in measure(label, _FONT)) for n, label in labels.items()}
    layer, oriented = _layers(list(labels), list(arcs), first)
    # an arc that skips columns passes each through a waypoint of its own, between the boxes
    columns: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
    for n in sorted(labels, key=lambda n: first[n]):
        columns[layer[n]].append(n)
    paths: list[tuple[tuple[str, str], bool, list[str]]] = []
    neighbours: dict[str, list[str]] = {}
    for a, b, flipped in oriented:
        through = [a]
        for c in range(layer[a] + 1, layer[b]):
            waypoint = f"\0{a}\0{b}\0{c}"
            columns[c].append(waypoint)
            layer[waypoint] = c
            through.append(waypoint)
        through.append(b)
        for x, y in zip(through, through[1:]):
            neighbours.setdefault(x, []).append(y)
            neighbours.setdefault(y, []).append(x)
        paths.append(((b, a) if flipped else (a, b), flipped, through))
    _order(columns, neighbours, layer)

    slot = max(h for _, h in box.values()) + 0.3
    waypoint_slot = 0.3
    edge_labels = {key: _edge_label(arc["relations"], arc["dates"]) for key, arc in arcs.items()}
    lead = 0.15  # a short straight stretch into every box, for the arrowhead
    gap = max(measure(text, _EDGE_FONT)[0] for text in edge_labels.values()) + 0.6 + 2 * lead
    widths = [max((box[n][0] for n in column if n in box), default=0.2) for column in columns]
    heights = [sum(slot if n in box else waypoint_slot for n in column) for column in columns]
    legend = []
    if any(kind == "deal" for kind in kinds.values()):
        legend.append("orange box: a deal (one transfer: supplier → deal → recipient), named by its item")
    if any(reverse for arc in arcs.values() for reverse in arc["relations"].values()):
        legend.append("← relation: the claim reads against the arrow (J-11 copy_of Su-27 is drawn Su-27 → J-11, "
                      "the way the design went)")
    key_height = 0.2 * len(legend) + 0.1 if legend else 0.0
    total_h = max(heights) + 0.3 + key_height
    columns_w = sum(widths) + gap * (len(widths) - 1) + 0.4
    total_w = max(columns_w, max((measure(line, _EDGE_FONT)[0] for line in legend), default=0) + 0.4)
    xs, x = [], 0.2 + (total_w - columns_w) / 2  # the columns stay centred under the title
    for w in widths:
        xs.append(x + w / 2)
        x += w + gap
    where: dict[str, tuple[float, float]] = {}
    middle = key_height + (total_h - key_height) / 2
    for c, column in enumerate(columns):
        y = middle + heights[c] / 2
        for n in column:
            step = slot if n in box else waypoint_slot
            where[n] = (xs[c], y - step / 2)
            y -= step

    routes = []
    placed: list[tuple[float, float, float, float]] = []
    for key, flipped, through in paths:
        points: list[tuple[float, float]] = []
        for i, n in enumerate(through):
            cx, cy = where[n]
            half_col = widths[layer[n]] / 2 + lead
            half_box = box[n][0] / 2 if n in box else half_col
            if i > 0:
                points += [(cx - half_col, cy), (cx - half_box, cy)]
            if i < len(through) - 1:
                points += [(cx + half_box, cy), (cx + half_col, cy)]
        (x0, y0), (x1, y1) = points[1], points[2]  # the first stretch between two columns
        points = [pt for i, pt in enumerate(points)
                  if i == 0 or abs(pt[0] - points[i - 1][0]) + abs(pt[1] - points[i - 1][1]) > 1e-9]
        if flipped:
            points.reverse()
        # the label sits on that stretch, towards its wider end, moved along it until it covers no other label
        text = edge_labels[key]
        lw, lh = measure(text, _EDGE_FONT)
        wide_end = 0.62 if len(neighbours.get(through[0], ())) >= len(neighbours.get(through[-1], ())) else 0.38
        spot = None
        for fraction in [wide_end] + [f for d in (0.08, 0.16, 0.24, 0.32) for f in (wide_end + d, wide_end - d)]:
            if not 0.15 <= fraction <= 0.85:
                continue
            lx, ly = x0 + (x1 - x0) * fraction, y0 + (y1 - y0) * fraction
            if all(abs(lx - px) * 2 >= lw + pw + 0.04 or abs(ly - py) * 2 >= lh + ph + 0.02 for px, py, pw, ph in placed):
                spot = (lx, ly)
                break
        if spot is None:
            spot = (x0 + (x1 - x0) * wide_end, y0 + (y1 - y0) * wide_end)
        placed.append((*spot, lw, lh))
        routes.append((key, points, text, spot))
    real_layers = {n: layer[n] for n in labels}
    boxes = {n: (*where[n], *box[n]) for n in labels}
    return ChainLayout(labels, kinds, real_layers, boxes, routes, legend, total_w, total_h)


def plot_chains(chains: Iterable[dict[str, Any]], path: str | os.PathLike, title: str = "Dependency chains") -> int:
    """Draw chains in layers, one column per hop, left to right. Returns the arcs drawn.

    Every arrow points the way things flowed (from the original design to its
    copy, from the supplier to the recipient); a claim that reads the other way
    (``J-11 copy_of Su-27``, drawn Su-27 → J-11) is labelled ``← copy_of``. An
    arrow that skips a column passes through it between the boxes, so no arrow
    runs through a node; names are drawn whole, wrapped onto lines, never cut.
    Deals (a transfer: supplier → deal → recipient) are drawn as orange boxes
    named by their item. The layout is :func:`layout_chains`.

    Raises
    ------
    QueryError
        When ``path`` does not end in .png, .svg or .html.
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path as MplPath

    plt = _pyplot()
    chains = list(chains)
    fig = plt.figure()
    renderer = fig.canvas.get_renderer()

    def measure(text: str, fontsize: float) -> tuple[float, float]:
        probe = fig.text(0, 0, text, fontsize=fontsize, linespacing=1.2)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        return extent.width / fig.dpi, extent.height / fig.dpi

    layout = layout_chains(chains, measure)
    head = 0.5
    fig.set_size_inches(layout.width, layout.height + head)
    ax = fig.add_axes((0, 0, 1, layout.height / (layout.height + head)))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(0, layout.height)
    ax.set_axis_off()
    fig.text(0.5, 1 - (head / 2) / (layout.height + head), title, ha="center", va="center", fontsize=11)
    if not layout.labels:
        ax.text(layout.width / 2, layout.height / 2, "no chains", ha="center", va="center")
    for n, label in layout.labels.items():
        cx, cy, w, h = layout.boxes[n]
        face, edge = _NODE_COLOURS[layout.kinds[n]]
        ax.add_patch(FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.06",
                                    facecolor=face, edgecolor=edge, linewidth=1, zorder=3))
        ax.text(cx, cy, label, ha="center", va="center", fontsize=_FONT, linespacing=1.2, zorder=4)
    for _, points, text, spot in layout.routes:
        line = MplPath(points, [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1))
        ax.add_patch(FancyArrowPatch(path=line, arrowstyle="-|>", mutation_scale=11, color="#555555",
                                     linewidth=0.9, shrinkA=0, shrinkB=0, zorder=2))
        ax.text(*spot, text, ha="center", va="center", fontsize=_EDGE_FONT, linespacing=1.1, zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    for number, line_text in enumerate(layout.legend):
        ax.text(0.2, 0.12 + 0.2 * (len(layout.legend) - 1 - number), line_text, fontsize=_EDGE_FONT, va="bottom")
    _save(fig, path, title)
    return len(layout.routes)


def distinct_colours(count: int) -> list:
    """``count`` colours no two alike: matplotlib's tab20, tab20b and tab20c (60), then evenly spaced hues.

    >>> len(set(distinct_colours(29))) == 29
    True
    """
    import colorsys

    from matplotlib import colormaps

    palette = [tuple(c) for name in ("tab20", "tab20b", "tab20c") for c in colormaps[name].colors]
    palette = list(dict.fromkeys(palette))
    extra = max(0, count - len(palette))
    palette += [colorsys.hsv_to_rgb(i / extra, 0.65, 0.85) for i in range(extra)]
    return palette[:count]


def timeline_figure(counts: Report, title: str = "Claims per period"):
    """The matplotlib figure :func:`plot_timeline` saves: stacked bars, a legend entry and colour per relation."""
    import pandas as pd

    plt = _pyplot()
    frame = pd.DataFrame(counts.rows, columns=counts.columns)
    data = frame.set_index("period").drop(columns=["total"], errors="ignore") if len(frame) else pd.DataFrame()
    fig, ax = plt.subplots(figsize=(max(6, 0.35 * len(data) + 3), 4))
    if len(data):
        colours = distinct_colours(len(data.columns))
        data.plot(kind="bar", stacked=True, ax=ax, width=0.8, color=colours)
        # outside the bars, one entry a relation, each its own colour
        ax.legend(fontsize=7, ncol=1 if len(data.columns) <= 20 else 2, loc="upper left", bbox_to_anchor=(1.01, 1),
                  frameon=False)
    ax.set_xlabel("")
    ax.set_ylabel("claims")
    ax.set_title(title)
    return fig


def plot_timeline(counts: Report, path: str | os.PathLike, title: str = "Claims per period") -> int:
    """Stacked bars of claims per period by relation type (a :func:`~coopgraph.queries.timeline_counts` report).

    Every relation has a colour of its own (:func:`distinct_colours`). Returns the
    number of periods drawn.

    Raises
    ------
    QueryError
        When ``path`` does not end in .png, .svg or .html.
    """
    _save(timeline_figure(counts, title), path, title)
    return len(counts.rows)
