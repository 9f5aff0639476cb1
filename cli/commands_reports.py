"""The analysts' reports: chains, paths, neighbours, centrality, brokers, impact, timeline, lineage."""

from __future__ import annotations

import textwrap

import click

from coopgraph.cli.chain_text import chains_text, steps_text
from coopgraph.cli.options import (
    check_relations, check_selectors, check_types, filter_options, format_option, plot_option, progress_bar, quiet_option,
    store_option, type_option,
)
from coopgraph.cli.output import output, short_citation, table
from coopgraph.cli.stores import open_cli_store
from coopgraph.queries.headline import HEADLINE_FROM, HEADLINE_LIMIT, HEADLINE_TO
from coopgraph.queries import (
    MEASURES, brokers as brokers_query, centrality as centrality_query, chains as chains_query,
    impact as impact_query, lineage as lineage_query, neighbours as neighbours_query, paths as paths_query,
    timeline as timeline_query, timeline_counts,
)
from coopgraph.queries.selectors import resolve_node

DEFAULT_FROM = HEADLINE_FROM
DEFAULT_TO = "org:PLA"
#: where the headline's chains end, and how many it lists (coopgraph.queries.headline)
CHAINS_DEFAULT_TO = HEADLINE_TO
CHAINS_DEFAULT_LIMIT = HEADLINE_LIMIT
SELECTOR_HELP = ("an entity (id, name, alias), type:TYPE[,TYPE], country:STATE (its bodies, firms and their products), "
                 "org:ORG (it and its parts and programmes), or * ; join terms with & to intersect; repeat to unite")


@click.command()
@click.option("--from", "sources", multiple=True, callback=check_selectors, metavar="SELECTOR", help=f"Where chains start (default {DEFAULT_FROM}): {SELECTOR_HELP}.")
@click.option("--to", "targets", multiple=True, callback=check_selectors, metavar="SELECTOR",
              help=f"Where chains end (default {' and '.join(CHAINS_DEFAULT_TO)}: the PLA, its parts and their "
                   "programmes, and every Chinese programme; a delivery to China stands in for the PLA).")
@click.option("--max-hops", type=click.IntRange(1, 12), default=4, show_default=True, help="Longest chain.")
@click.option("--via", multiple=True, callback=check_types, metavar="TYPE[,TYPE]", help="Entity types a chain may pass through (default: all but state, which would join unrelated flows).")
@click.option("--limit", type=click.IntRange(1), default=CHAINS_DEFAULT_LIMIT, show_default=True,
              help="Most chains to list (the last line says how many more were found).")
@click.option("--quotes", is_flag=True, help="Print every citation's quote under its chain (table format).")
@filter_options
@plot_option
@store_option
@format_option
def chains(sources, targets, max_hops, via, limit, quotes, claim_filter, plot_path, store_spec, fmt):
    """Dependency chains: which technologies and goods flowed from whom to whom, when, on whose evidence.

    Follows flow relations in their direction, hop by hop, each hop no earlier
    than the one before. Shortest and strongest (weakest-link confidence) first.
    With no options: Russian technologies to the PLA and to Chinese programmes
    (--from country:Russia --to org:PLA --to "country:China&type:program"), such as
    the AL-31FN engines for the J-10 that the bundled SIPRI register names; a
    delivery to China itself counts as reaching the PLA when nothing else does.

    \b
    Examples:
      coopgraph chains
      coopgraph chains --from country:Russia --to "country:China&type:weapon_system"
      coopgraph chains --from Su-27 --to J-11 --format csv
    """
    store = open_cli_store(store_spec)
    via_types = [t.strip() for v in via for t in v.split(",") if t.strip()] or None
    result = chains_query(store.graph(), list(sources) or [DEFAULT_FROM], list(targets) or list(CHAINS_DEFAULT_TO),
                          claim_filter=claim_filter, max_hops=max_hops, via=via_types, limit=limit)
    if plot_path:
        drawn = plot_chains_file(result.chains, plot_path)
        click.echo(f"drew {drawn} arc(s) to {plot_path}", err=True)
    output(result, fmt, text=lambda r: chains_text(r.chains, r.truncated, quotes, r.found, r.complete, r.documents))


def plot_chains_file(chains_rows, path):
    from coopgraph.queries.plot import plot_chains

    return plot_chains(chains_rows, path)


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--flow-only", is_flag=True, help="Follow only flow relations, in their direction.")
@click.option("--limit", type=click.IntRange(1), default=5, show_default=True, help="Most shortest paths to list.")
@filter_options
@store_option
@format_option
def path(source, target, flow_only, limit, claim_filter, store_spec, fmt):
    """Shortest paths from SOURCE to TARGET, with the claims and citations of every hop.

    The first --limit of them in the order of their entities' ids. Without --flow-only the
    embedded store is read outward from both ends, not whole.
    """
    store = open_cli_store(store_spec)
    if flow_only or not store.reads_parts:
        report = paths_query(store.graph(), source, target, flow_only=flow_only, claim_filter=claim_filter, limit=limit)
    else:
        # the same report from the neighbourhoods of the two ends: no whole graph to build first
        from coopgraph.queries.paths import paths_in_parts

        def deal_variants(deal_ids):
            return {d: record.variant for d, record in store.deal_records(deal_ids).items()}

        report = paths_in_parts(store.entity_graph, deal_variants, _entity_id(store, source), _entity_id(store, target),
                                claim_filter=claim_filter, limit=limit, names=(source, target))
    output(report, fmt, text=None if not report.rows else _paths_text)


def _paths_text(report) -> str:
    lines = []
    for row in report:
        lines.extend(textwrap.wrap(f"#{row['rank']}  {row['hops']} hop(s): {row['path']}", width=80,
                                   subsequent_indent="    "))
        lines.extend(steps_text(row["steps"], "    "))
        lines.append("")
    return "\n".join(lines).rstrip()


@click.command()
@click.argument("entity")
@click.option("--depth", type=click.IntRange(1, 6), default=1, show_default=True, help="How many claims away.")
@click.option("--cap", type=click.IntRange(1), default=25, show_default=True, help="Most neighbours taken from any one entity.")
@type_option
@filter_options
@store_option
@format_option
def neighbours(entity, depth, cap, types, claim_filter, store_spec, fmt):
    """Entities within --depth claims of ENTITY (high-degree entities capped; the cut is counted)."""
    store = open_cli_store(store_spec)
    if store.reads_parts and claim_filter.is_open:
        # the entity's claims and its neighbours' degrees (counted by the store), never the whole graph; under a
        # filter each neighbour's claims must be read to count those kept, which for a hub is most of the graph
        from coopgraph.queries.paths import neighbours_in_parts

        report = neighbours_in_parts(store.entity_graph, _entity_id(store, entity), depth=depth, types=types, cap=cap,
                                     claim_filter=claim_filter, claim_counts=store.claim_counts)
    else:
        report = neighbours_query(store.graph(), entity, depth=depth, types=types, cap=cap, claim_filter=claim_filter)
    output(report, fmt)


@click.command()
@click.option("--measure", type=click.Choice(MEASURES), default="degree", show_default=True)
@click.option("--top", type=click.IntRange(1), default=20, show_default=True)
@click.option("--flow-only", is_flag=True, help="Use flow relations only, in flow direction.")
@click.option("--k", type=click.IntRange(1), default=None, help="Betweenness from K sampled sources (for big graphs).")
@type_option
@filter_options
@quiet_option
@store_option
@format_option
def centrality(measure, top, flow_only, k, types, claim_filter, quiet, store_spec, fmt):
    """Rank entities by centrality, on the whole graph or a time window (--from-date/--to-date).

    A measure over the whole graph reads every claim: on a store of a million claims
    it takes minutes (betweenness from every source, hours: --k estimates it from K
    sampled sources). On a terminal a progress bar on stderr says how far it is.
    """
    store = open_cli_store(store_spec)
    with progress_bar("centrality", quiet) as progress:
        if progress is not None:
            progress(0, 1, "reading the store")
        graph = store.graph()
        if progress is not None:
            progress(1, 1, "reading the store")
            if measure == "betweenness" and k is None and graph.number_of_nodes() > BETWEENNESS_WARN_NODES:
                click.echo(f"betweenness from every one of {graph.number_of_nodes():,} entities takes long; "
                           "--k 100 estimates it from 100 sampled sources", err=True)
        report = centrality_query(graph, measure, types=types, top=top, claim_filter=claim_filter, flow_only=flow_only,
                                  k=k, progress=progress)
    output(report, fmt)


#: from how many entities on, whole betweenness is worth a word on the terminal
BETWEENNESS_WARN_NODES = 20_000


@click.command()
@click.option("--from", "sources", multiple=True, callback=check_selectors, metavar="SELECTOR", help="Suppliers (default: those with flows out and none in).")
@click.option("--to", "targets", multiple=True, callback=check_selectors, metavar="SELECTOR", help="Recipients (default: those with flows in and none out).")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True)
@filter_options
@store_option
@format_option
def brokers(sources, targets, top, claim_filter, store_spec, fmt):
    """Entities whose removal disconnects the most supplier → recipient pairs (dominators on the flow graph)."""
    output(brokers_query(open_cli_store(store_spec).graph(), list(sources) or None, list(targets) or None,
                         claim_filter=claim_filter, top=top), fmt)


@click.command()
@click.argument("remove", nargs=-1, required=True)
@click.option("--from", "sources", multiple=True, callback=check_selectors, metavar="SELECTOR", help=f"Suppliers (default {DEFAULT_FROM}).")
@click.option("--to", "targets", multiple=True, callback=check_selectors, metavar="SELECTOR", help=f"Recipients (default {DEFAULT_TO}).")
@click.option("--max-hops", type=click.IntRange(1, 12), default=4, show_default=True)
@filter_options
@store_option
@format_option
def impact(remove, sources, targets, max_hops, claim_filter, store_spec, fmt):
    """What if REMOVE (suppliers, firms, technologies) dropped out? Which recipients lose every chain?

    \b
    Example:
      coopgraph impact AL-31F --to "country:China"
    """
    report = impact_query(open_cli_store(store_spec).graph(), remove, list(sources) or [DEFAULT_FROM],
                          list(targets) or [DEFAULT_TO], claim_filter=claim_filter, max_hops=max_hops)
    output(report, fmt, text=_impact_text)


def _impact_text(report) -> str:
    lines = [f"removed: {', '.join(report['removed'])}",
             f"{report['lost']} recipient(s) lose every chain, {report['kept']} keep one\n",
             table(report.rows, report.table_columns)]
    if report["lost_chains"]:
        shown, found = len(report["lost_chains"]), report["lost_chains_found"]
        more = f" (the first {shown} of {found})" if found > shown else ""
        lines += [f"\nchains that disappear{more}:", chains_text(report["lost_chains"])]
    return "\n".join(lines)


@click.command()
@click.argument("entity", required=False)
@click.option("--relation", "relations", multiple=True, callback=check_relations, metavar="REL[,REL]", help="Only these relation types.")
@click.option("--by", type=click.Choice(["year", "month"]), default="year", show_default=True, help="Period for the counts.")
@click.option("--counts", is_flag=True, help="Print counts per period and relation type instead of the claims.")
@type_option
@filter_options
@plot_option
@store_option
@format_option
def timeline(entity, relations, by, counts, types, claim_filter, plot_path, store_spec, fmt):
    """Claims in date order (optionally about ENTITY), with counts per period and a chart (--plot)."""
    from coopgraph.graph.schema import load_schema

    rels = [r.strip() for value in relations for r in value.split(",") if r.strip()] or None
    for rel in rels or ():
        load_schema().relation(rel)
    store = open_cli_store(store_spec)
    if entity:
        # one entity's claims: read from the store's indexes, not the whole graph
        node = _entity_id(store, entity)
        graph = store.entity_graph([node], rels)
    else:
        node, graph = None, store.graph()
    report = timeline_query(graph, entity, relations=rels, entity_types=types, claim_filter=claim_filter, node=node)
    # the counts (pandas) only when they are shown or drawn
    table_counts = timeline_counts(report.rows, by) if counts or plot_path else None
    if plot_path:
        from coopgraph.queries.plot import plot_timeline

        drawn = plot_timeline(table_counts, plot_path, title=f"Claims per {by}" + (f": {entity}" if entity else ""))
        click.echo(f"drew {drawn} period(s) to {plot_path}", err=True)
    if counts:
        output(table_counts, fmt, text=_counts_text)
    else:
        output(report, fmt)


def _counts_text(report) -> str:
    # one row a period; the relations ranked by count, in one column that the table can shorten
    rows = []
    for record in report.rows:
        record = dict(record)
        period, total = record.pop("period"), record.pop("total")
        ranked = sorted(((n, rel) for rel, n in record.items() if n), key=lambda t: (-t[0], t[1]))
        rows.append({"period": period, "claims": total, "by relation": ", ".join(f"{rel} {n}" for n, rel in ranked)})
    return table(rows)


@click.command()
@click.argument("entity")
@click.option("--depth", type=click.IntRange(1, 10), default=5, show_default=True)
@filter_options
@store_option
@format_option
def lineage(entity, depth, claim_filter, store_spec, fmt):
    """Design lineage of ENTITY: derived-from, copied-from and licensed relations, both ways, dated and cited."""
    from coopgraph.graph.schema import load_schema

    store = open_cli_store(store_spec)
    node = _entity_id(store, entity)
    # the lineage to --depth levels reads the lineage claims of the entities at levels 0 .. depth-1
    graph = store.entity_graph([node], load_schema().lineage_relations, depth - 1)
    report = lineage_query(graph, entity, depth=depth, claim_filter=claim_filter, node=node)
    output(report, fmt, text=None if not report.rows else _lineage_text)


def _entity_id(store, text: str) -> str:
    """The id of the entity ``text`` names, as the reports resolve it on the whole graph (the same
    did-you-mean and ambiguity errors): the store's name look-up first, then every name."""
    return store.node_named(text) or resolve_node(store.name_graph(), text)


def _lineage_text(report) -> str:
    # "Su-30 is an ancestor of J-11", never of the entity asked about: each row says whose relative it is
    rows = [{"depth": row["depth"], "design": row["entity_name"], "is": f"{row['direction']} of", "of": row["from_name"],
             "claim": row["statement"], "when": row["when"], "status": row["status"],
             "cited": "; ".join(dict.fromkeys(short_citation(c) for c in row["citations"]))} for row in report.rows]
    return table(rows)


COMMANDS = [chains, path, neighbours, centrality, brokers, impact, timeline, lineage]
