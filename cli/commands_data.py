"""Commands that load, check and look into the store."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from coopgraph.cli.options import STDIN_NAME, format_option, progress_bar, quiet_option, stdin_as_file, store_option
from coopgraph.cli.output import output, table
from coopgraph.cli.stores import StoreSpec, check_store_folder, open_bolt_store, open_cli_store, tell_if_migrated
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_into
from coopgraph.queries.basic import schema_report
from coopgraph.queries.basic import search as search_query
from coopgraph.queries.basic import show as show_query
from coopgraph.queries.basic import stats as stats_query

# The readers and validators (coopgraph.loaders.files) are imported by the commands that read files, when
# they run: `show`, `search` and `stats` only open the store (see coopgraph.cli.main.COMMAND_MODULES).

_FILES = click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))


@click.command()
@_FILES
@click.option("--replace", is_flag=True, help="Rebuild the store from the bundled dataset plus FILES, dropping anything loaded before.")
@click.option("--batch-size", type=click.IntRange(1), default=1000, show_default=True, help="Rows per batch (Neo4j).")
@quiet_option
@store_option
def load(files, replace, batch_size, quiet, store_spec):
    """Validate FILES (YAML, JSON or CSV claims, entities, documents) and add them to the store.

    FILES may be node-link JSON written by 'coopgraph export json', and '-' reads
    YAML or JSON from standard input.

    All or nothing on the embedded store: if any record is invalid, every problem
    is listed with its file, line and field, and the store is left exactly as it
    was. On Neo4j (--backend neo4j) nothing is sent unless all files validate;
    batches then merge on ids, so a load that fails midway can simply be re-run.
    """
    with stdin_as_file(files) as paths:
        if store_spec.is_bolt:
            with progress_bar("loading into Neo4j", quiet) as progress:
                store = open_bolt_store(store_spec, batch_size=batch_size, progress=progress)
                counts = load_into(store, paths, replace=replace or not store.exists())
            where = store.uri  # shown without a password
        else:
            check_store_folder(store_spec.path)
            store = open_store(store_spec.path)
            # with --replace the store is not read: a damaged one is rebuilt (what its error message advises)
            if not replace and not store.exists():
                store = open_cli_store(store_spec)
            tell_if_migrated(store)
            with progress_bar("validating", quiet) as progress:
                counts = load_into(store, paths, replace=replace, progress=progress)
            where = store.path
    click.echo(f"loaded {len(files)} path(s) into {where}: "
               f"{counts['documents']} documents, {counts['entities']} entities, {counts['claims']} claims, {counts['citations']} citations")


@click.command()
@click.option("--replace", is_flag=True, help="Delete coopgraph's nodes in Neo4j first, so it holds exactly the embedded store.")
@click.option("--batch-size", type=click.IntRange(1), default=1000, show_default=True, help="Rows per UNWIND batch.")
@click.option("--row-by-row", is_flag=True, help="One statement per row instead of batches (slow; for comparison).")
@quiet_option
@store_option
def push(replace, batch_size, row_by_row, quiet, store_spec):
    """Copy the embedded store (--store) into Neo4j (--uri, --user, $NEO4J_PASSWORD).

    Constraints first, then UNWIND batches that MERGE on stable ids: pushing twice
    changes nothing.
    """
    import time

    source = open_cli_store(StoreSpec(store_spec.path))
    data = source.dataset()
    started = time.perf_counter()
    with progress_bar("pushing to Neo4j", quiet) as progress:
        target = open_bolt_store(store_spec, batch_size=batch_size, progress=progress)
        counts = target.write(data, replace=replace, batched=not row_by_row)
    seconds = time.perf_counter() - started
    rows = len(data.documents) + len(data.entities) + len(data.claims)
    click.echo(f"pushed {rows} rows to {target.uri} in {seconds:.2f} s ({rows / max(seconds, 1e-9):,.0f} rows/s); "
               f"it holds {counts['documents']} documents, {counts['entities']} entities, {counts['claims']} claims")


@click.command()
@_FILES
@store_option
def validate(files, store_spec):
    """Check FILES without writing anything; exit status 1 when a problem is found.

    '-' reads YAML or JSON from standard input.

    Claims may refer to entities and documents already in the store.
    """
    from coopgraph.loaders.files import load_files

    store = open_cli_store(store_spec)
    with stdin_as_file(files) as paths:
        data = load_files(paths, context=store.dataset(claims=False))
    counts = data.counts()
    click.echo(f"ok: {counts['documents']} documents, {counts['entities']} entities, {counts['claims']} claims in {len(files)} file(s)")


@click.command()
@store_option
@format_option
def stats(store_spec, fmt):
    """Counts by entity type, relation type and document, and the span of years."""
    output(stats_query(open_cli_store(store_spec)), fmt)


@click.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Most entities to list.")
@store_option
@format_option
def search(text, limit, store_spec, fmt):
    """Find entities whose id, name or alias contains TEXT (case-insensitive)."""
    output(search_query(open_cli_store(store_spec), text, limit=limit), fmt)


@click.command()
@click.argument("entity")
@store_option
@format_option
def show(entity, store_spec, fmt):
    """Show ENTITY (an id, name or alias) with all its claims, dates and citations."""
    output(show_query(open_cli_store(store_spec), entity), fmt, text=_show_text)


def _qty(row) -> str:
    if row.get("quantity") is None:
        return ""
    return f"{row['quantity']:g}" + (f" {row['unit']}" if row.get("unit") else "")


def _show_text(report) -> str:
    lines = []
    rows = report.rows
    info = report["entity"]
    lines.append(f"{info['name']}  [{info['id']}, {info['type']}]")
    if info.get("aliases"):
        lines.append(textwrap.fill(f"also: {', '.join(info['aliases'])}", width=80, subsequent_indent="      "))
    if info.get("country"):
        lines.append(f"country: {info['country']}")
    if info.get("description"):
        lines.append(textwrap.fill(info["description"], width=80))
    lines.append(f"\n{len(rows)} claim(s):")
    shown = []
    evidence: dict[tuple, list[int]] = {}
    for number, row in enumerate(rows, start=1):
        if row["direction"] == "in":
            relation, other = f"<- {row['relation']}", row["subject_name"]
        else:
            relation, other = f"{row['relation']} ->", row["object_name"]
        shown.append({"#": number, "when": row["when"], "relation": relation, "other": other,
                      "qty": _qty(row), "status": row["status"], "conf": row["confidence"]})
        for cit in row["citations"]:
            evidence.setdefault((cit["document"], cit["locator"], cit["quote"]), []).append(number)
    if not any(r["qty"] for r in shown):
        for r in shown:
            del r["qty"]
    lines.append(table(shown, width=80))
    if report["deals"]:
        from coopgraph.cli.chain_text import deal_text

        lines.append(f"\n{len(report['deals'])} deal(s):")
        for deal in report["deals"]:
            numbers = ",".join(map(str, deal["claim_numbers"]))
            lines.extend(textwrap.wrap(f"[{numbers}] {deal_text(deal, {})} ({deal['id']})", width=80,
                                       initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False))
    if evidence:
        lines.append("\nEvidence:")
        for (document, locator, quote), numbers in evidence.items():
            head = f"[{','.join(map(str, numbers))}] {document}, {locator}: "
            lines.extend(textwrap.wrap(f'{head}"{quote}"', width=80, initial_indent="  ", subsequent_indent="      ",
                                       break_on_hyphens=False))
    return "\n".join(lines)


@click.command()
@store_option
@format_option
def info(store_spec, fmt):
    """Where the store is and what it holds: path, layout version, counts (deals too), schema, bundled data."""
    from coopgraph.queries import info as info_query

    output(info_query(open_cli_store(store_spec)), fmt)


@click.command(name="schema")
@format_option
def schema_command(fmt):
    """List the entity and relation types of the schema with their meaning."""
    output(schema_report(), fmt)


COMMANDS = [load, push, validate, stats, info, search, show, schema_command]
