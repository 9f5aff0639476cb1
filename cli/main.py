"""The ``coopgraph`` command: a thin layer over the library.

Each command parses options, calls one library function, and formats rows.

The exit status is one contract (README, "Exit status and errors"): 0 for an
answer, an empty one included; 1 for a runtime error, a name that matches no
entity among them (library errors, :class:`coopgraph.graph.CoopgraphError`,
become one or two clear lines here, at the edge); 2 for usage (click's own
errors, and names the schema does not know, checked by the option callbacks
of :mod:`coopgraph.cli.options`).
"""

from __future__ import annotations

import os
import sqlite3
import sys

import click

from coopgraph import __version__
from coopgraph.graph.errors import CoopgraphError, describe_fault


class CoopgraphGroup(click.Group):
    """A group that turns library errors into ``click.ClickException``.

    Faults of the machine that reach this far (a full disk, a permission, a
    read-only file system, memory) end the same way: one line and exit status 1,
    never a traceback.
    """

    def invoke(self, ctx: click.Context):
        from coopgraph.graph import sqlite_store

        sqlite_store.on_lock_wait = _say_waiting
        try:
            return super().invoke(ctx)
        except CoopgraphError as exc:
            _quiet_teardown()
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:  # `coopgraph ... | head`
            sys.stderr.close()
            ctx.exit(0)
        except (OSError, sqlite3.Error) as exc:
            _quiet_teardown()
            raise click.ClickException(describe_fault(exc)) from None
        except MemoryError:
            raise click.ClickException("out of memory; nothing was written. Split the input into smaller files, "
                                       "or run on a machine with more memory") from None
        except RecursionError:
            raise click.ClickException("the input is nested too deeply to process; nothing was written. "
                                       "Flatten it (see docs/dataset-format.md, limits)") from None


def _quiet_teardown() -> None:
    """After a failure is reported, objects the failed writer left half-closed (openpyxl's zip file after a
    full disk, say) complain as they are collected; their complaint is the failure already said in one line."""
    sys.unraisablehook = lambda unraisable: None


def _say_waiting(path) -> None:
    click.echo(f"waiting for another coopgraph process to finish writing {path} ...", err=True)


@click.group(cls=CoopgraphGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="coopgraph")
@click.option("--schema", "schemas", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extend the built-in schema with your own YAML file (repeatable; also $COOPGRAPH_SCHEMA).")
def cli(schemas) -> None:
    """Question defence- and technology-cooperation reporting as a graph of dated, cited claims.

    Works right after install: the first command builds the embedded store from
    the bundled dataset (the 2020 CSIS primer on Sino-Russian military-technical
    cooperation and the 2022 UTS report on China-Russia technology cooperation).
    """
    if schemas:
        # load_schema() reads the variable, so every command and library call sees the extension
        previous = [p for p in os.environ.get("COOPGRAPH_SCHEMA", "").split(os.pathsep) if p]
        # each file once: a second invocation in the same process (or a repeated option) must not re-add it
        paths = dict.fromkeys([*previous, *map(os.path.abspath, schemas)])
        os.environ["COOPGRAPH_SCHEMA"] = os.pathsep.join(paths)


def _register() -> None:
    from coopgraph.cli import (
        commands_cypher, commands_data, commands_dossier, commands_export, commands_import, commands_reports,
    )

    for module in (commands_data, commands_reports, commands_dossier, commands_export, commands_import, commands_cypher):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    _forgiving_streams()
    cli(prog_name="coopgraph")


def _forgiving_streams() -> None:
    """Output to a terminal that cannot show every character (``PYTHONIOENCODING=latin-1``) degrades, never fails.

    Arrows, dashes and quotes become their ASCII spelling (``→`` ``->``); anything
    else the encoding lacks becomes ``?``. UTF-8 streams are left as they are.
    """
    from coopgraph.cli.output import ASCII_FALLBACK

    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding and not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=ASCII_FALLBACK)
