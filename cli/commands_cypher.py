"""``coopgraph cypher list|show|run``: the Cypher pack from the command line."""

from __future__ import annotations

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
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter (repeatable); numbers and 'quoted strings' are read as such.")
@store_option
@format_option
def run(name, params, store_spec, fmt):
    """Run pack query NAME against the Neo4j store (--backend neo4j is implied)."""
    from coopgraph.queries.cypher_pack import parse_literal, run_pack_query

    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"'{item}' is not KEY=VALUE", param_hint="--param")
        values[key.strip()] = parse_literal(value)
    spec = StoreSpec(store_spec.path, "neo4j", store_spec.uri, store_spec.user, store_spec.database)
    rows = run_pack_query(open_cli_store(spec), name, values)
    output(Report(rows), fmt)


COMMANDS = [cypher]
