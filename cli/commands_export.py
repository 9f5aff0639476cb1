"""``coopgraph export FORMAT PATH``: the whole graph or a chosen part of it."""

from __future__ import annotations

from pathlib import Path

import click

from coopgraph.cli.options import check_selectors, filter_options, progress_bar, quiet_option, store_option, type_option
from coopgraph.cli.stores import open_cli_store
from coopgraph.queries.export import EXPORT_FORMATS

#: the formats for spreadsheets, whose writers take ``raw`` (formula-like cells as they are)
SPREADSHEET_FORMATS = ("csv", "xlsx")


@click.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(sorted(EXPORT_FORMATS)))
@click.argument("path", type=click.Path(allow_dash=True))
@type_option
@click.option("--around", metavar="ENTITY", help="Only what lies within --depth claims of ENTITY (id, name or alias).")
@click.option("--depth", type=click.IntRange(1, 6), default=None, help="How many claims away from --around (default 1).")
@click.option("--chains-from", "chains_from", multiple=True, callback=check_selectors, metavar="SELECTOR",
              help="Only the dependency chains from SELECTOR (with --chains-to), as the 'chains' report finds them.")
@click.option("--chains-to", "chains_to", multiple=True, callback=check_selectors, metavar="SELECTOR", help="Where those chains end.")
@click.option("--max-hops", type=click.IntRange(1, 12), default=4, show_default=True, help="Longest chain (with --chains-from).")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Most chains (with --chains-from).")
@click.option("--raw-cells", is_flag=True,
              help="csv, xlsx: write cells that start with = + - @ as they are; by default a spreadsheet is kept from "
                   "running them as formulas (a leading ' in CSV, Excel's quote prefix in XLSX).")
@filter_options
@quiet_option
@store_option
def export(fmt, path, types, around, depth, chains_from, chains_to, max_hops, limit, raw_cells, claim_filter, quiet,
           store_spec):
    """Write the graph, or the part the options choose, to PATH in FORMAT.

    \b
    Formats:
    {formats}

    In the graph formats each deal (transfer) is a 'Deal' node: its claims run
    supplier -> deal -> recipient, and a DEAL_ITEM link joins it to its item.

    The spreadsheet formats (csv, xlsx) neutralise cells a spreadsheet would run
    as formulas (=, +, -, @ first), as OWASP advises against CSV injection;
    --raw-cells writes them unchanged. neo4j-csv always keeps values exact.

    The options narrow the export the way they narrow the reports. PATH is
    written to a temporary name and renamed, so an error never leaves a
    half-written file; '-' writes to standard output (single-file formats).

    \b
    Examples:
      coopgraph export graphml graph.graphml
      coopgraph export gexf su27.gexf --around Su-27 --depth 2
      coopgraph export neo4j-csv neo4j-import/ --from-date 2014
      coopgraph export cypher chains.cypher --chains-from country:Russia --chains-to country:China
    """
    if depth is not None and not around:
        raise click.UsageError("--depth goes with --around")
    if bool(chains_from) != bool(chains_to):
        raise click.UsageError("--chains-from and --chains-to go together")
    if raw_cells and fmt not in SPREADSHEET_FORMATS:
        raise click.UsageError(f"--raw-cells is for {' and '.join(SPREADSHEET_FORMATS)}; {fmt} keeps values exact anyway")
    if not EXPORT_FORMATS[fmt].directory and path != "-" and Path(path).is_dir():
        raise click.BadParameter(f"'{path}' is a directory; {fmt} writes one file", param_hint="PATH")
    from coopgraph.queries.subgraph import select_subgraph

    store = open_cli_store(store_spec)
    dataset = select_subgraph(store.dataset(), claim_filter=claim_filter, types=types, around=around,
                              depth=depth or 1, chains_from=list(chains_from), chains_to=list(chains_to),
                              max_hops=max_hops, chains_limit=limit)
    with progress_bar(f"exporting {fmt}", quiet) as progress:
        options = {"raw": True} if raw_cells else {}
        result = EXPORT_FORMATS[fmt].writer(dataset, path, progress=progress, **options)
    if path != "-":
        summary = ", ".join(f"{v} {k}" for k, v in result.items() if isinstance(v, int) and not isinstance(v, bool))
        click.echo(f"wrote {path}: {summary}", err=True)
    if result.get("command"):
        click.echo("import it with:", err=True)
        click.echo(result["command"])


# the format list in --help comes from the registry, so it cannot fall behind it
export.help = export.help.replace("{formats}", "\n    ".join(
    f"  {name:<10} {f.description}" for name, f in EXPORT_FORMATS.items()))

COMMANDS = [export]
