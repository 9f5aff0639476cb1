"""``coopgraph export FORMAT PATH``."""

from __future__ import annotations

import click

from coopgraph.cli.options import store_option
from coopgraph.cli.stores import open_cli_store
from coopgraph.queries.exports import EXPORTERS


@click.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(sorted(EXPORTERS)))
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@store_option
def export(fmt, path, store_path):
    """Write the whole graph to PATH in FORMAT ('-' for standard output).

    The file is written to a temporary name and renamed, so an error never
    leaves a half-written file.
    """
    store = open_cli_store(store_path)
    counts = EXPORTERS[fmt](store.dataset(), path)
    if path != "-":
        summary = ", ".join(f"{v} {k}" for k, v in counts.items())
        click.echo(f"wrote {path}: {summary}", err=True)


COMMANDS = [export]
