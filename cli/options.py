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
        from coopgraph.graph import names

        # a name taken for an entity it does not name exactly ("Sukhoi" -> Su-57) is said, on standard error
        names.on_inexact_match = lambda *match: click.echo(names.inexact_note(*match), err=True)
        return func(*args, store_spec=StoreSpec(store_file, backend, uri, user, database), **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def format_option(func):
    """``--format table|json|csv|nl`` and its shortcuts ``--json``, ``--csv``, ``--nl`` (as sqlite-utils spells them)."""
    options = [
        click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help="Output format: a table for people (default); JSON, CSV or JSON lines (nl) for programs."),
        click.option("--json", "as_json", is_flag=True, help="Same as --format json."),
        click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv."),
        click.option("--nl", "as_nl", is_flag=True, help="Same as --format nl: one JSON object a line."),
    ]

    @functools.wraps(func)
    def wrapper(*args, fmt, as_json, as_csv, as_nl, **kwargs):
        chosen = [name for name, flag in (("json", as_json), ("csv", as_csv), ("nl", as_nl)) if flag]
        if fmt is not None:
            chosen.append(fmt)
        if len(set(chosen)) > 1:
            raise click.UsageError(f"choose one output format, not {' and '.join(dict.fromkeys(chosen))}")
        return func(*args, fmt=chosen[0] if chosen else "table", **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


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
        out = [t.strip() for value in values for t in value.split(",") if t.strip()]
        _schema_check("type", out)
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


STDIN_NAME = "<stdin>"


@contextlib.contextmanager
def stdin_as_file(paths, suffix: str | None = None):
    """Yield ``paths`` with ``-`` replaced by a temporary file holding standard input (sqlite-utils style).

    ``suffix`` names the file type (``.csv`` for a CSV import); by default the input
    is JSON when it starts with ``{`` or ``[`` and YAML otherwise. Problems found in
    it name ``<stdin>``, never the temporary file, which is removed afterwards.
    """
    import dataclasses
    import tempfile

    from coopgraph.graph.errors import ValidationError

    paths = list(paths)
    if not any(str(p) == "-" for p in paths):
        yield paths
        return
    if sum(str(p) == "-" for p in paths) > 1:
        raise click.UsageError("'-' (standard input) can be given once")
    data = sys.stdin.buffer.read()
    if suffix is None:
        suffix = ".json" if data.lstrip()[:1] in (b"{", b"[") else ".yaml"
    with tempfile.TemporaryDirectory(prefix="coopgraph-stdin-") as folder:
        temp = Path(folder) / f"stdin{suffix}"
        temp.write_bytes(data)
        try:
            yield [temp if str(p) == "-" else p for p in paths]
        except ValidationError as exc:
            problems = [dataclasses.replace(p, file=STDIN_NAME) if p.file == str(temp) else p for p in exc.problems]
            raise ValidationError(problems) from None


# -- names from the schema are usage: a mistyped type or relation exits 2, like a mistyped option -----------

def _schema_check(kind: str, names) -> None:
    from coopgraph.graph.errors import SchemaError
    from coopgraph.graph.schema import load_schema

    schema = load_schema()
    for name in names:
        try:
            schema.entity_type(name) if kind == "type" else schema.relation(name)
        except SchemaError as exc:
            raise click.BadParameter(str(exc)) from None


def check_types(ctx, param, values):
    """Callback: ``--via TYPE[,TYPE]`` names entity types of the schema."""
    _schema_check("type", [t.strip() for v in values for t in v.split(",") if t.strip()])
    return values


def check_relations(ctx, param, values):
    """Callback: ``--relation REL[,REL]`` names relation types of the schema."""
    _schema_check("relation", [r.strip() for v in values for r in v.split(",") if r.strip()])
    return values


def check_selectors(ctx, param, values):
    """Callback: the ``type:`` terms of selectors (``--from``, ``--to``) name entity types of the schema."""
    for value in values:
        for alternative in value.split("|"):
            for term in alternative.split("&"):
                kind, _, rest = term.strip().partition(":")
                if kind == "type" and rest:
                    _schema_check("type", [t.strip() for t in rest.split(",") if t.strip()])
    return values
