"""Start-up (issue 15): quick commands import only what they use; ``--help`` still lists every command.

The commands' modules load lazily (coopgraph.cli.main.COMMANDS), and the packages
``coopgraph.graph``, ``coopgraph.loaders`` and ``coopgraph.queries`` import their
names on first use, so ``coopgraph search`` and ``stats`` start without networkx,
pandas or the reports. Each check runs the command in a fresh interpreter.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from coopgraph.cli.main import COMMANDS, CoopgraphGroup, cli

#: what a quick command must not import: the graph and data-frame stacks, plotting, the Bolt driver, the reports
HEAVY = ("networkx", "pandas", "numpy", "scipy", "matplotlib", "neo4j", "openpyxl", "lxml",
         "coopgraph.queries.chains", "coopgraph.queries.flowgraph", "coopgraph.queries.export",
         "coopgraph.loaders.importers", "coopgraph.loaders.validate", "coopgraph.cli.commands_reports")

#: runs the CLI with the given arguments, then prints to standard error the modules it imported, as JSON
RUN_AND_LIST = """
import gc, json, sys
from coopgraph.cli.main import main
sys.argv = ["coopgraph", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules), "frozen": gc.get_freeze_count()}), file=sys.stderr)
"""


def imported_by(*args: str) -> tuple[str, set[str]]:
    """Run ``coopgraph ARGS`` in a new interpreter: its standard output and the modules it imported."""
    out, report = run_console_script(*args)
    return out, set(report["modules"])


def run_console_script(*args: str) -> tuple[str, dict]:
    """Run ``coopgraph ARGS`` through the console script's ``main`` in a new interpreter: its standard output, and
    what it left behind (its exit code, the modules it imported, how many objects the collector was told to skip)."""
    result = subprocess.run([sys.executable, "-c", RUN_AND_LIST, *args], capture_output=True, text=True, timeout=120)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), result.stderr
    return result.stdout, report


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)


@pytest.fixture
def store(tmp_path, bundled_store_file):
    target = tmp_path / "store.sqlite"
    shutil.copy(bundled_store_file, target)
    return target


@pytest.mark.parametrize("args", [("search", "Sukhoi"), ("stats",), ("stats", "--json"), ("search", "su27", "--csv")])
def test_search_and_stats_import_neither_networkx_nor_pandas(store, args):
    out, modules = imported_by(*args, "--store", str(store))
    assert out.strip()
    assert heavy(modules) == []
    assert "coopgraph.cli.commands_data" in modules                     # the command's own module, and no other
    assert not {f"coopgraph.cli.{m.module}" for m in COMMANDS.values()} - {"coopgraph.cli.commands_data"} & modules


def test_show_imports_neither_networkx_nor_pandas_nor_the_reports(store):
    out, modules = imported_by("show", "Su-27", "--store", str(store))
    assert out.startswith("Su-27  [system:su-27, weapon_system]")
    assert "159 ordered" in " ".join(out.split())  # the deal summaries are there, worked out without networkx
    assert heavy(modules) == []


def test_help_imports_no_command_module_and_lists_every_command_with_its_one_line_help():
    out, modules = imported_by("--help")
    assert not [m for m in modules if m.startswith("coopgraph.cli.commands_")]
    assert heavy(modules) == []
    listed = out.split("Commands:\n", 1)[1]
    for name, lazy in COMMANDS.items():
        line = next((row for row in listed.splitlines() if row.split()[:1] == [name]), None)
        assert line is not None, f"{name} is not listed"
        # the help text begins as the command's own help does (the rest may be cut to fit the width)
        shown = line.split(None, 1)[1].removesuffix("...")
        assert lazy.summary.startswith(shown.split(" ")[0]), (name, line)


def test_the_command_list_matches_the_commands_themselves():
    defined = {}
    for module in sorted({lazy.module for lazy in COMMANDS.values()}):
        for command in importlib.import_module(f"coopgraph.cli.{module}").COMMANDS:
            defined[command.name] = (module, command)
    assert sorted(defined) == sorted(COMMANDS), "add the command to coopgraph.cli.main.COMMANDS (or remove it)"
    for name, (module, command) in defined.items():
        assert COMMANDS[name].module == module, name
        for limit in (30, 60, 74, 200):
            # the summary gives the line the command's own help gives, at any width
            assert click.Command(name, help=COMMANDS[name].summary).get_short_help_str(limit) == \
                command.get_short_help_str(limit), (name, limit)


def test_help_lists_the_commands_as_the_loaded_commands_would():
    def group(cls, **kwargs):
        return cls(name="coopgraph", params=cli.params, help=cli.help, callback=cli.callback,
                   context_settings=cli.context_settings, **kwargs)

    lazy = group(CoopgraphGroup, lazy_commands=COMMANDS)
    loaded = group(click.Group)
    for name in COMMANDS:
        loaded.add_command(group(CoopgraphGroup, lazy_commands=COMMANDS).get_command(click.Context(cli), name))
    runner = CliRunner()
    lazy_help = runner.invoke(lazy, ["--help"], prog_name="coopgraph").output
    assert lazy.commands == {}                      # listed, not imported
    assert lazy_help == runner.invoke(loaded, ["--help"], prog_name="coopgraph").output
    assert all(f"\n  {name} " in lazy_help for name in COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_loads_and_answers_help(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0 and f" {name} [" in result.output.splitlines()[0], result.output[:200]


def test_an_unknown_command_is_a_usage_error(run):
    result = run("shwo", "Su-27")
    assert result.exit_code == 2 and "No such command 'shwo'" in result.output


def test_a_report_leaves_its_graph_to_the_operating_system_and_still_writes_everything(store):
    # the interpreter's last collection would walk the whole graph once more (1.2 s of 4.3 s for chains at 100k);
    # the console script freezes what is left instead, after the output is written in full
    out, report = run_console_script("chains", "--store", str(store), "--format", "json")
    assert report["frozen"] > 10_000, "the report's objects should be left out of the collection at exit"
    expected = CliRunner().invoke(cli, ["chains", "--store", str(store), "--format", "json"])
    assert expected.exit_code == 0, expected.output
    assert json.loads(out) == json.loads(expected.output) and json.loads(out)["chains"]
