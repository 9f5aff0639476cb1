"""``coopgraph cypher list|show|run``: the Cypher pack from the command line."""

from __future__ import annotations

import sys

import click

from coopgraph.cli.options import format_option, store_option
from coopgraph.cli.output import output
from coopgraph.queries.report import Report
from coopgraph.cli.stores import StoreSpec, open_cli_store


@click.group()
def cypher():
    """Ready Cypher questions for Neo4j Browser, listed, shown or run against the Neo4j store."""


@cypher.command(name="list")
@format_option
def list_queries(fmt):
    """List the pack's questions with their parameters."""
    from coopgraph.queries.cypher_pack import pack

    rows = [{"name": q.name, "parameters": ", ".join(f"{k}={v!r}" for k, v in q.params.items()),
             "answers": q.description + (f" [Neo4j only: {q.neo4j_only}]" if q.neo4j_only else "")}
            for q in pack().values()]
    output(Report(rows, table_columns=["name", "answers"]), fmt)


@cypher.command()
@click.argument("name")
def show(name):
    """Print the file of pack query NAME (paste it into Neo4j Browser)."""
    from coopgraph.queries.cypher_pack import pack_query

    click.echo(pack_query(name).path.read_text(encoding="utf-8").rstrip())


@cypher.command()
@click.argument("query", metavar="NAME|FILE|-")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value (repeatable); numbers and 'quoted strings' are read as such.")
@store_option
@format_option
def run(query, params, store_spec, fmt):
    """Run a pack query NAME, a Cypher FILE, or '-' (a query on standard input) against the Neo4j store.

    --backend neo4j is implied. A FILE (or standard input) holds one statement,
    optionally after ':param name => value;' lines giving defaults, as the pack's
    files do; values are sent as parameters, never pasted into the statement.

    \b
    Examples:
      coopgraph cypher run suppliers_of --param entity=system:su-35
      coopgraph cypher run my-question.cypher --param year=2015
      echo 'MATCH (e:Entity {id: $id}) RETURN e.name AS name' | coopgraph cypher run - --param id=state:russia
    """
    from pathlib import Path

    from coopgraph.queries.cypher_pack import pack, parse_literal, parse_query_text, run_pack_query, run_query

    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"'{item}' is not KEY=VALUE", param_hint="--param")
        values[key.strip()] = parse_literal(value)
    spec = StoreSpec(store_spec.path, "neo4j", store_spec.uri, store_spec.user, store_spec.database)
    if query == "-":
        text = sys.stdin.read()
        rows = run_query(open_cli_store(spec), parse_query_text(text, "<stdin>"), values)
    elif query not in pack() and Path(query).is_file():
        rows = run_query(open_cli_store(spec), parse_query_text(Path(query).read_text(encoding="utf-8"), query), values)
    else:
        rows = run_pack_query(open_cli_store(spec), query, values)
    output(Report(rows), fmt)


COMMANDS = [cypher]
