"""``coopgraph import FORMAT FILE``: other people's files as cited claims; ``merge``, ``unmerge``, ``merges``.

Each command parses options, calls one library function
(:func:`coopgraph.loaders.importers.import_file`,
:func:`coopgraph.loaders.merges.merge_entities`, ...) and prints its report.
"""

from __future__ import annotations

from pathlib import Path

import click

from coopgraph.cli.options import STDIN_NAME, format_option, progress_bar, quiet_option, stdin_as_file, store_option
from coopgraph.cli.output import output, table
from coopgraph.cli.stores import open_cli_store, require_embedded
from coopgraph.loaders.importers import IMPORTER_RECORDS, IMPORTERS, import_file
from coopgraph.loaders.merges import merge_entities, merge_rows, unmerge_entity
from coopgraph.loaders.resolve_names import ImportReport
from coopgraph.queries.report import Report

_TABLE_FORMATS = ("csv", "xlsx")



@click.command(name="import", epilog="Formats:\n\n" + "\n\n".join(f"{n}: {i.description}" for n, i in IMPORTER_RECORDS.items()))
@click.argument("import_format", metavar="FORMAT", type=click.Choice(sorted(IMPORTERS)))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="YAML column mapping (csv/xlsx): map:, set:, create_entities:, sheet:, document:.")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Claim field from a column (csv/xlsx), e.g. --map subject=Supplier --map date=Year. Repeatable.")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="Claim field constant for every row (csv/xlsx), e.g. --set relation=supplies. Repeatable.")
@click.option("--create-entities", "create", metavar="TYPE",
              help="Names that match no entity become new entities of TYPE (csv/xlsx); else they are errors.")
@click.option("--sheet", help="Worksheet to read (xlsx; default: the first).")
@click.option("--doc-id", help="Id of the document the file becomes (csv/xlsx; default: from the file name).")
@click.option("--doc-title", help="Title of that document (csv/xlsx; default: the file name).")
@click.option("--doc-date", metavar="DATE", help="Date of that document (csv/xlsx; default: the file's modification date).")
@click.option("--dry-run", is_flag=True, help="Validate and print the report, but write nothing.")
@click.option("--explain", is_flag=True,
              help="sipri: list every comment clause the rules did not understand (line, comment, clause); "
                   "with --format csv/json/nl, those rows only.")
@quiet_option
@store_option
@format_option
def import_command(import_format, file, mapping_file, maps, sets, create, sheet, doc_id, doc_title, doc_date, dry_run,
                   explain, quiet, store_spec, fmt):
    """Import FILE in FORMAT into the store, through the same validation as 'load'.

    All or nothing: every problem is listed with its file, line or row, field
    and a fix, and the store is left as it was. The report lists the names that
    resolved to existing entities, the entities created, the names left
    unresolved and the rows skipped, with reasons. FILE '-' reads standard
    input (a csv/xlsx document is then named 'stdin' unless --doc-id says).
    """
    options = {}
    table_only = {"--mapping": mapping_file, "--map": maps, "--set": sets, "--create-entities": create,
                  "--sheet": sheet, "--doc-id": doc_id, "--doc-title": doc_title, "--doc-date": doc_date}
    if import_format in _TABLE_FORMATS:
        from coopgraph.loaders.importers.table import Mapping

        base = Mapping.from_file(mapping_file) if mapping_file else None
        options["mapping"] = Mapping.from_options(list(maps), list(sets), create=create, base=base, sheet=sheet,
                                                  doc_id=doc_id, doc_title=doc_title, doc_date=doc_date)
    else:
        given = [name for name, value in table_only.items() if value]
        if given:
            raise click.UsageError(f"{', '.join(given)} only apply to csv and xlsx imports")
    if explain and import_format != "sipri":
        raise click.UsageError("--explain applies to sipri imports (the register's comments)")
    store = open_cli_store(store_spec)
    with stdin_as_file([file], _STDIN_SUFFIX[import_format]) as (path,), progress_bar("importing", quiet) as progress:
        report = import_file(store, import_format, path, dry_run=dry_run, progress=progress, **options)
    if str(file) == "-":
        report.file = STDIN_NAME
    if explain:
        _print_explained(report, fmt, dry_run)
        return
    _print_report(report, fmt, dry_run)


#: the file type standard input ('-') is read as, by import format
_STDIN_SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "sipri": ".csv", "ftm": ".json", "graphml": ".graphml", "json": ".json"}


def _print_report(report: ImportReport, fmt: str, dry_run: bool) -> None:
    output(Report(report.name_rows(), columns=["what", "name", "id", "where", "why"],
                  document={**report.to_dict(), "store_counts": report.store_counts, "dry_run": dry_run}),
           fmt, text=lambda _: _report_text(report, dry_run))


def _print_explained(report, fmt: str, dry_run: bool) -> None:
    """The import's report, then every comment clause no rule understood (for csv/json/nl: those rows only)."""
    rows = report.explain_rows()
    if fmt != "table":
        output(Report(rows, columns=["where", "comment", "clause"], empty="every comment clause was understood"), fmt)
        return

    def text(_) -> str:
        head = _report_text(report, dry_run)
        if not rows:
            return head + "\n\nevery comment clause was understood"
        clauses = f"{len(rows)} comment clause(s) in {len({r['where'] for r in rows})} row(s) the rules did not understand"
        return f"{head}\n\n{clauses} (their deals are imported; nothing was read from these clauses):\n" + table(rows)

    output(Report(rows, columns=["where", "comment", "clause"]), fmt, text=text)


def _report_text(report: ImportReport, dry_run: bool) -> str:
    lines: list[str] = []
    echo = lines.append
    counts = report.counts
    verb = "would import" if dry_run else "imported"
    deals = f", {counts['deals']} deal(s)" if counts.get("deals") else ""
    echo(f"{verb} {report.file} ({report.importer}): {report.rows} record(s) -> {counts.get('documents', 0)} "
               f"document(s), {counts.get('entities', 0)} new or updated entities{deals}, {counts.get('claims', 0)} claims")
    read = getattr(report, "comment_counts", None)
    if read is not None:
        found = ", ".join(f"{n} {kind}" for kind, n in sorted(read.items())) or "nothing to claim"
        left = len(report.unexplained)
        echo(f"from the comments: {found}" + (f"; {left} clause(s) not understood ('--explain' lists them)"
                                               if left else ""))
    if report.store_counts:
        totals = report.store_counts
        echo(f"store now holds {totals['documents']} documents, {totals['entities']} entities, "
                   f"{totals.get('deals', 0)} deals, {totals['claims']} claims, {totals['citations']} citations")
    if report.resolved:
        echo(f"\n{len(report.resolved)} name(s) resolved to existing entities:")
        for name, eid in report.resolved.items():
            echo(f"  {name} -> {eid}")
    if report.created:
        echo(f"\n{len(report.created)} new entit{'y' if len(report.created) == 1 else 'ies'} (names not in the store):")
        echo(table([{"id": eid, "name": name, "from": why} for eid, name, why in report.created]))
    if report.unresolved:
        echo(f"\n{len(report.unresolved)} name(s) not resolved:")
        for name, where, why in report.unresolved:
            echo(f"  {name} ({where}): {why}")
    skipped = len(report.skipped) + sum(report.skipped_kinds.values())
    if skipped:
        echo(f"\n{skipped} record(s) skipped:")
        for kind, count in sorted(report.skipped_kinds.items()):
            echo(f"  {count} {kind} record(s): not imported")
        for where, why in report.skipped:
            echo(f"  {where}: {why}")
    return "\n".join(lines)


@click.command()
@click.argument("keep")
@click.argument("merged")
@click.option("--note", help="Why the two are the same (kept with the decision).")
@store_option
def merge(keep, merged, note, store_spec):
    """Record that MERGED is the same entity as KEEP (ids, names or aliases).

    MERGED's claims are redirected to KEEP, and so are the deals that name it
    as supplier, item or recipient; its names become KEEP's aliases; importers
    resolve MERGED to KEEP from then on. 'coopgraph unmerge MERGED' undoes it
    exactly.
    """
    from coopgraph.queries.resolve import resolve_entity

    store = open_cli_store(require_embedded(store_spec, 'merge decisions'))
    a, b = resolve_entity(store, keep), resolve_entity(store, merged)
    result = merge_entities(store, a.id, b.id, note=note)
    deals = f", {result['deals_redirected']} deal(s) redirected" if result.get("deals_redirected") else ""
    click.echo(f"merged {b.id} ({b.name}) into {a.id} ({a.name}): {result['claims_redirected']} claim(s) redirected, "
               f"{result['claims_folded']} folded into existing claims{deals}")


@click.command()
@click.argument("merged")
@store_option
def unmerge(merged, store_spec):
    """Undo the merge decision about MERGED (its id, or its former name): restore it and its claims."""
    from coopgraph.graph.sqlite_store import fold

    store = open_cli_store(require_embedded(store_spec, 'merge decisions'))
    decisions = store.merges() if hasattr(store, "merges") else []
    target = merged
    if merged not in {d["merged"] for d in decisions}:
        named = [d["merged"] for d in decisions
                 if any(fold(n) == fold(merged) for e in d["undo"]["entities"] if e["id"] == d["merged"]
                        for n in [e["name"]] + list(e.get("aliases") or []))]
        if len(named) == 1:
            target = named[0]
    result = unmerge_entity(store, target)
    deals = f", {result['deals_restored']} deal(s) restored" if result.get("deals_restored") else ""
    click.echo(f"unmerged {result['merged']} from {result['into']}: {result['claims_restored']} claim(s) restored{deals}")


@click.command()
@store_option
@format_option
def merges(store_spec, fmt):
    """List the recorded merge decisions (merged id, kept id, when, note)."""
    rows = merge_rows(open_cli_store(require_embedded(store_spec, 'merge decisions')))
    output(Report(rows, empty="no merge decisions recorded"), fmt)


COMMANDS: list = [import_command, merge, unmerge, merges]
