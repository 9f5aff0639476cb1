"""``coopgraph dossier``: one question's answer and all its evidence, as a page to send or Markdown to paste."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from coopgraph.cli.commands_reports import DEFAULT_FROM, SELECTOR_HELP
from coopgraph.queries.headline import HEADLINE_TO
from coopgraph.cli.options import check_selectors, check_types, filter_options, store_option, type_option
from coopgraph.cli.stores import open_cli_store

#: options that belong to one kind of question only (option name -> kinds that take it)
_ONLY_FOR = {
    "sources": ("--from", ("chains", "impact")), "targets": ("--to", ("chains", "impact")),
    "max_hops": ("--max-hops", ("chains", "impact")), "via": ("--via", ("chains",)),
    "limit": ("--limit", ("chains", "impact", "path")), "flow_only": ("--flow-only", ("path",)),
    "depth": ("--depth", ("neighbours",)), "cap": ("--cap", ("neighbours",)), "types": ("--type", ("neighbours",)),
}


@click.command()
@click.option("--from", "sources", multiple=True, callback=check_selectors, metavar="SELECTOR",
              help=f"Chains (and --impact): where they start (default {DEFAULT_FROM}): {SELECTOR_HELP}.")
@click.option("--to", "targets", multiple=True, callback=check_selectors, metavar="SELECTOR", help=f"Where chains end (default {' and '.join(HEADLINE_TO)}).")
@click.option("--max-hops", type=click.IntRange(1, 12), default=4, show_default=True, help="Longest chain.")
@click.option("--via", multiple=True, callback=check_types, metavar="TYPE[,TYPE]",
              help="Entity types a chain may pass through (default: all but state).")
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Most chains or paths to list (default: 50 chains, 5 paths).")
@click.option("--path", "path_ends", nargs=2, metavar="FROM TO", default=None,
              help="Ask for the shortest paths from FROM to TO (as 'coopgraph path') instead of chains.")
@click.option("--flow-only", is_flag=True, help="With --path: follow only flow relations, in their direction.")
@click.option("--impact", "removed", multiple=True, metavar="ENTITY",
              help="Ask what happens if ENTITY drops out (repeatable; as 'coopgraph impact'): the chains lost.")
@click.option("--neighbours", "centre", metavar="ENTITY",
              help="Ask for the entities within --depth claims of ENTITY (as 'coopgraph neighbours').")
@click.option("--depth", type=click.IntRange(1, 6), default=1, show_default=True, help="With --neighbours: how many claims away.")
@click.option("--cap", type=click.IntRange(1), default=25, show_default=True,
              help="With --neighbours: most neighbours taken from any one entity.")
@type_option
@filter_options
@store_option
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default=None,
              help="html: one self-contained page with an interactive graph (default); md: Markdown with footnotes. "
                   "Default: from the suffix of --output, else html.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=None,
              help="File to write ('-' for standard output). Default: a name from the question in the current "
                   "directory, e.g. dossier-headline.html for the headline question.")
@click.pass_context
def dossier(ctx, sources, targets, max_hops, via, limit, path_ends, flow_only, removed, centre, depth, cap, types,
            claim_filter, store_spec, fmt, output):
    """An evidence dossier: one question's answer with every hop's claims and quotes, in one file to send.

    The page (HTML, the default) works offline and holds everything: the question
    and its filters, the store's documents, an interactive graph laid out by hop
    (click a node or a hop for its claims and citations; filter by date, status
    and confidence on the page), the chains as a numbered table whose hops link
    to numbered footnotes of evidence, and the documents. --format md writes the
    same as Markdown with footnotes.

    The question is chains (the default, options as 'coopgraph chains'), or one of
    --path FROM TO, --impact ENTITY (repeatable) or --neighbours ENTITY. With no
    options: Russian technologies to the PLA and its programmes.

    \b
    Examples:
      coopgraph dossier
      coopgraph dossier --from Su-27 --to J-11 -o su27.html
      coopgraph dossier --path Su-35 EED --format md
      coopgraph dossier --impact AL-31F --impact Su-27 --to "country:China"
      coopgraph dossier --neighbours Su-35 --depth 2 -o - > su35.html
    """
    from coopgraph.queries.dossier import Question, dossier as dossier_query

    asked = [kind for kind, given in (("path", bool(path_ends)), ("impact", bool(removed)), ("neighbours", bool(centre)))
             if given]
    if len(asked) > 1:
        raise click.UsageError(f"ask one question at a time: --{asked[0]} or --{asked[1]}, not both")
    kind = asked[0] if asked else "chains"
    for name, (option, kinds) in _ONLY_FOR.items():
        if kind not in kinds and ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None):
            takers = " or ".join("chains" if k == "chains" else f"--{k}" for k in kinds)
            raise click.UsageError(f"{option} belongs to {takers} questions, not to --{kind}" if kind != "chains"
                                   else f"{option} belongs to {takers} questions")
    entities = {"chains": (), "path": tuple(path_ends or ()), "impact": tuple(removed), "neighbours": (centre,)}[kind]
    question = Question(
        kind=kind, sources=tuple(sources) or (DEFAULT_FROM,), targets=tuple(targets) or HEADLINE_TO,
        entities=entities, max_hops=max_hops, via=tuple(t.strip() for v in via for t in v.split(",") if t.strip()) or None,
        limit=limit, depth=depth, cap=cap, types=tuple(types) if types else None, flow_only=flow_only,
        claim_filter=claim_filter)
    if fmt is None:
        fmt = "md" if output is not None and output.suffix.lower() in (".md", ".markdown") else "html"
    result = dossier_query(open_cli_store(store_spec).graph(), question)
    written = result.write(output if output is not None else Path(question.filename(fmt)), fmt)
    if str(written) != "-":
        size = written.stat().st_size
        noun = {"chains": "chain", "impact": "lost chain", "path": "path", "neighbours": "neighbour"}[kind]
        shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
        click.echo(f"wrote {written} ({shown}): {len(result.routes)} {noun}(s), {len(result.hops)} hop(s), "
                   f"{len(result.claims)} claim(s), {len(result.quotes())} quote(s)", err=True)


COMMANDS = [dossier]
