"""Options shared by several commands, defined once (sqlite-utils style)."""

from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path

import click

from coopgraph.cli.output import FORMATS


def store_option(func):
    """``--store PATH`` plus ``--backend embedded|neo4j`` and the Bolt connection options.

    The command receives one ``store_spec`` (:class:`coopgraph.cli.stores.StoreSpec`).
    """
    options = [
        click.option("--store", "store_file", type=click.Path(dir_okay=False, path_type=Path), envvar="COOPGRAPH_STORE",
                     show_envvar=True,
                     help="Embedded store file (default: a per-user data location). Built from the bundled dataset on first use."),
        click.option("--backend", type=click.Choice(["embedded", "neo4j"]), default="embedded", show_default=True,
                     envvar="COOPGRAPH_BACKEND", show_envvar=True,
                     help="Store backend: the embedded SQLite file, or a Neo4j (Bolt) server."),
        click.option("--uri", envvar="NEO4J_URI", show_envvar=True, default="bolt://localhost:7687", show_default=True,
                     help="Bolt URI of the Neo4j server (with --backend neo4j)."),
        click.option("--user", envvar="NEO4J_USER", show_envvar=True, default="neo4j", show_default=True,
                     help="Neo4j user; the password is read from $NEO4J_PASSWORD only, never from the command line."),
        click.option("--database", envvar="NEO4J_DATABASE", default=None, help="Neo4j database (default: the server's)."),
    ]

    @functools.wraps(func)
    def wrapper(*args, store_file, backend, uri, user, database, **kwargs):
        from coopgraph.cli.stores import StoreSpec

        return func(*args, store_spec=StoreSpec(store_file, backend, uri, user, database), **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def format_option(func):
    """``--format table|json|csv``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format: a table for people, JSON or CSV for programs.",
    )(func)


def filter_options(func):
    """Claim filters shared by the reports: ``--as-of``, ``--from-date``, ``--to-date``, ``--min-confidence``, ``--status``."""
    options = [
        click.option("--as-of", metavar="DATE", help="Use only claims some cited document had published by DATE (YYYY[-MM[-DD]])."),
        click.option("--from-date", metavar="DATE", help="Use only claims dated on or after DATE (undated claims are dropped)."),
        click.option("--to-date", metavar="DATE", help="Use only claims dated on or before DATE (undated claims are dropped)."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                     help="Drop claims below this confidence."),
        click.option("--status", "statuses", multiple=True, metavar="STATUS[,STATUS]",
                     help="Keep only claims with these statuses (repeatable), e.g. delivered,contracted."),
    ]

    @functools.wraps(func)
    def wrapper(*args, as_of, from_date, to_date, min_confidence, statuses, **kwargs):
        from coopgraph.graph.dates import DateFormatError
        from coopgraph.graph.schema import load_schema
        from coopgraph.queries.filters import ClaimFilter, parse_statuses

        wanted = parse_statuses(statuses)
        known = load_schema().statuses
        for status in wanted or ():
            if status not in known:
                raise click.BadParameter(f"unknown status '{status}'; use one of {', '.join(known)}", param_hint="--status")
        try:
            claim_filter = ClaimFilter(as_of=as_of, from_date=from_date, to_date=to_date,
                                       min_confidence=min_confidence, statuses=wanted)
        except DateFormatError as exc:
            raise click.BadParameter(str(exc), param_hint="--as-of/--from-date/--to-date") from None
        return func(*args, claim_filter=claim_filter, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def plot_option(func):
    """``--plot PATH``: also draw the report (.png, .svg or .html), the suffix checked before any work."""

    def check(ctx, param, value):
        from coopgraph.queries.plot import SUFFIXES

        if value is not None and value.suffix.lower() not in SUFFIXES:
            raise click.BadParameter(f"plot file must end in {', '.join(SUFFIXES)}, not '{value.suffix or value}'")
        return value

    return click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path), callback=check,
                        help="Also draw the report to PATH (.png, .svg or .html).")(func)


def type_option(func):
    """``--type TYPE`` (repeatable, comma-separated) checked against the schema."""

    def check(ctx, param, values):
        from coopgraph.graph.schema import load_schema

        out = [t.strip() for value in values for t in value.split(",") if t.strip()]
        known = load_schema().entity_types
        for t in out:
            if t not in known:
                raise click.BadParameter(f"unknown entity type '{t}'; use one of {', '.join(known)}")
        return out or None

    return click.option("--type", "types", multiple=True, callback=check, metavar="TYPE[,TYPE]",
                        help="Only entities of these types (see 'coopgraph schema').")(func)


def quiet_option(func):
    """``--quiet``: no progress bar."""
    return click.option("--quiet", "-q", is_flag=True, help="No progress bar.")(func)


@contextlib.contextmanager
def progress_bar(label: str, quiet: bool = False):
    """Yield a ``progress(done, total, what)`` callback drawing bars on a terminal (``None`` otherwise).

    A new bar starts whenever the stage changes (validating claims, then writing rows ...).
    """
    if quiet or not sys.stderr.isatty():
        yield None
        return
    state: dict = {}

    def close() -> None:
        if "bar" in state:
            state.pop("bar").__exit__(None, None, None)

    def progress(done: int, total: int, what: str) -> None:
        if state.get("stage") != (total, what):
            close()
            state["stage"] = (total, what)
            state["bar"] = click.progressbar(length=total, label=f"{label}: {what}", file=sys.stderr, show_pos=True)
            state["bar"].__enter__()
        bar = state["bar"]
        bar.update(done - bar.pos)

    try:
        yield progress
    finally:
        close()
