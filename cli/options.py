"""Options shared by several commands, defined once (sqlite-utils style)."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from coopgraph.cli.output import FORMATS


def store_option(func):
    """``--store PATH``: the embedded store file."""
    return click.option(
        "--store",
        "store_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="COOPGRAPH_STORE",
        show_envvar=True,
        help="Embedded store file (default: a per-user data location). Built from the bundled dataset on first use.",
    )(func)


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


def backend_options(func):
    """``--backend embedded|neo4j`` with the Bolt connection options."""
    options = [
        click.option("--backend", type=click.Choice(["embedded", "neo4j"]), default="embedded", show_default=True,
                     envvar="COOPGRAPH_BACKEND", help="Store backend: the embedded SQLite file or a Neo4j (Bolt) server."),
        click.option("--uri", envvar="NEO4J_URI", show_envvar=True, default="bolt://localhost:7687", show_default=True,
                     help="Bolt URI of the Neo4j server (with --backend neo4j)."),
        click.option("--user", envvar="NEO4J_USER", show_envvar=True, default="neo4j", show_default=True,
                     help="Neo4j user name; the password is read from $NEO4J_PASSWORD only."),
        click.option("--database", envvar="NEO4J_DATABASE", default=None, help="Neo4j database name (default: the server's default)."),
    ]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper
