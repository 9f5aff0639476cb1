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

import gc
import importlib
import os
import sqlite3
import sys
from typing import NamedTuple

import click

from coopgraph import __version__
from coopgraph.graph.errors import CoopgraphError, describe_fault


class LazyCommand(NamedTuple):
    """Where a command is defined, and its help's first paragraph (what ``coopgraph --help`` lists)."""

    module: str
    summary: str


#: every command: the module of :mod:`coopgraph.cli` that defines it (in its ``COMMANDS`` list) and its
#: one-line help. A module is imported when one of its commands runs, so ``coopgraph show`` does not import
#: the reports, exporters and importers (nor networkx and pandas for them); ``coopgraph --help`` lists the
#: commands from here, as pip lists its own. tests/test_startup.py checks this against the commands.
COMMANDS = {
    "load": LazyCommand("commands_data", "Validate FILES (YAML, JSON or CSV claims, entities, documents) and add them "
                                         "to the store."),
    "push": LazyCommand("commands_data", "Copy the embedded store (--store) into Neo4j (--uri, --user, $NEO4J_PASSWORD)."),
    "validate": LazyCommand("commands_data", "Check FILES without writing anything; exit status 1 when a problem is found."),
    "stats": LazyCommand("commands_data", "Counts by entity type, relation type and document, and the span of years."),
    "info": LazyCommand("commands_data", "Where the store is and what it holds: path, layout version, counts (deals too), "
                                         "schema, bundled data."),
    "search": LazyCommand("commands_data", "Find entities whose id, name or alias contains TEXT (case-insensitive)."),
    "show": LazyCommand("commands_data", "Show ENTITY (an id, name or alias) with all its claims, dates and citations."),
    "schema": LazyCommand("commands_data", "List the entity and relation types of the schema with their meaning."),
    "chains": LazyCommand("commands_reports", "Dependency chains: which technologies and goods flowed from whom to whom, "
                                              "when, on whose evidence."),
    "path": LazyCommand("commands_reports", "Shortest paths from SOURCE to TARGET, with the claims and citations of "
                                            "every hop."),
    "neighbours": LazyCommand("commands_reports", "Entities within --depth claims of ENTITY (high-degree entities capped; "
                                                  "the cut is counted)."),
    "centrality": LazyCommand("commands_reports", "Rank entities by centrality, on the whole graph or a time window "
                                                  "(--from-date/--to-date)."),
    "brokers": LazyCommand("commands_reports", "Entities whose removal disconnects the most supplier → recipient pairs "
                                               "(dominators on the flow graph)."),
    "impact": LazyCommand("commands_reports", "What if REMOVE (suppliers, firms, technologies) dropped out? Which "
                                              "recipients lose every chain?"),
    "timeline": LazyCommand("commands_reports", "Claims in date order (optionally about ENTITY), with counts per period "
                                                "and a chart (--plot)."),
    "lineage": LazyCommand("commands_reports", "Design lineage of ENTITY: derived-from, copied-from and licensed "
                                               "relations, both ways, dated and cited."),
    "dossier": LazyCommand("commands_dossier", "An evidence dossier: one question's answer with every hop's claims and "
                                               "quotes, in one file to send."),
    "export": LazyCommand("commands_export", "Write the graph, or the part the options choose, to PATH in FORMAT."),
    "import": LazyCommand("commands_import", "Import FILE in FORMAT into the store, through the same validation as "
                                             "'load'."),
    "merge": LazyCommand("commands_import", "Record that MERGED is the same entity as KEEP (ids, names or aliases)."),
    "unmerge": LazyCommand("commands_import", "Undo the merge decision about MERGED (its id, or its former name): "
                                              "restore it and its claims."),
    "merges": LazyCommand("commands_import", "List the recorded merge decisions (merged id, kept id, when, note)."),
    "cypher": LazyCommand("commands_cypher", "Ready Cypher questions for Neo4j Browser, listed, shown or run against "
                                             "the Neo4j store."),
}


class CoopgraphGroup(click.Group):
    """A group that loads its commands lazily and turns library errors into ``click.ClickException``.

    The commands named in ``lazy_commands`` (:data:`COMMANDS`) are imported the
    first time one of them is looked up, their module's commands all at once
    (click's "lazily loading subcommands"); the help lists them from their summaries.

    Faults of the machine that reach this far (a full disk, a permission, a
    read-only file system, memory) end the same way: one line and exit status 1,
    never a traceback.
    """

    def __init__(self, *args, lazy_commands: dict[str, LazyCommand] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        #: the commands not imported yet
        self.lazy_commands = dict(lazy_commands or {})
        self._listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = self.lazy_commands.get(cmd_name) if cmd_name not in self.commands else None
        if lazy is not None:
            if self._listing:  # the help's list of commands: a stand-in with the same help gives the same line
                return click.Command(cmd_name, help=lazy.summary)
            self._load(lazy.module)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def _load(self, module_name: str) -> None:
        """Import ``coopgraph.cli.<module_name>`` and add the commands of its ``COMMANDS`` list."""
        module = importlib.import_module(f"coopgraph.cli.{module_name}")
        for command in module.COMMANDS:
            self.add_command(command)
            self.lazy_commands.pop(command.name, None)

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


@click.group(cls=CoopgraphGroup, lazy_commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


def main() -> None:
    """Console-script entry point."""
    _forgiving_streams()
    try:
        cli(prog_name="coopgraph")
    finally:
        _leave_objects_to_the_system()


def _leave_objects_to_the_system() -> None:
    """Keep the interpreter's last collection away from what the command made: the process is ending.

    A report's graph (hundreds of thousands of objects, held in cycles by the views
    cached on it) would otherwise be walked once more by the collection the
    interpreter runs at exit: 1.2 s of a 4.3 s ``coopgraph chains`` at 100k claims.
    Frozen objects are skipped by it, and the operating system takes the memory back
    at once; exit handlers still run and streams are still flushed.
    """
    gc.freeze()


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
