"""Documentation under test: every ``coopgraph ...`` command in README.md and docs/*.md runs.

Each page's commands run in page order, as a reader would type them, against a scratch copy
of the bundled store, in a scratch folder (so the files they write land there). The files a
page shows (a ```csv deals.csv block, a ```yaml block starting ``# my-claims.yaml``) are
written first; the files a reader brings (a SIPRI register, an OpenSanctions export) are the
real ones in tests/fixtures. Commands that need a Neo4j server (``push``, ``--backend neo4j``,
``cypher run``) are left out; a synopsis (``coopgraph export FORMAT PATH``) is checked with
``--help``; an inline mention of a command without its arguments (```coopgraph merge```) must
name a command and arguments that exist.
"""

from __future__ import annotations

import re
import shlex
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopgraph.cli.main import cli
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([\w-]*)[ \t]*([^\n`]*)\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`(coopgraph [^`]+)`")
SHELL = ("", "bash", "sh", "shell", "console")
#: what a synopsis writes where a reader puts their own value
PLACEHOLDERS = {"FORMAT", "PATH", "FILE", "FILES", "ENTITY", "SELECTOR", "NAME", "DATE", "KEY=VALUE", "TEXT"}
#: files a reader brings, and the ones the tests use in their place (a register in SIPRI's layout, small
#: so that the pages run quickly; the real slice's import is tested in tests/importers/test_sipri.py)
BROUGHT = {
    "trade-register.csv": FIXTURES / "sipri_small.csv",
    "entities.ftm.json": FIXTURES / "ftm" / "zala_aero_entities.ftm.json",
}
#: the whole documentation must run in well under a minute
BUDGET_SECONDS = 60
_spent: dict[str, float] = {}


def needs_neo4j(args: list[str]) -> bool:
    joined = " ".join(args)
    return args[:1] == ["push"] or "--backend neo4j" in joined or args[:2] == ["cypher", "run"] or "--uri" in args


def page_commands(page: Path) -> list[tuple[str, str]]:
    """``(kind, command)`` in page order: ``block`` lines of shell blocks, ``inline`` code spans."""
    text = page.read_text(encoding="utf-8")
    found: list[tuple[int, str, str]] = []
    for match in FENCE.finditer(text):
        lang, _, body = match.groups()
        if lang not in SHELL:
            continue
        for line in body.replace("\\\n", " ").splitlines():
            for part in re.split(r"\s*&&\s*", line.strip().removeprefix("$ ")):
                if part == "coopgraph" or part.startswith("coopgraph "):
                    found.append((match.start(), "block", part))
    prose = FENCE.sub(lambda m: " " * len(m.group(0)), text)
    found += [(m.start(), "inline", m.group(1)) for m in INLINE.finditer(prose)]
    return [(kind, command) for _, kind, command in sorted(found)]


def page_files(page: Path) -> dict[str, str]:
    """Files a page shows: ```csv NAME blocks, and YAML/CSV blocks whose first line is ``# NAME``."""
    files = {}
    for lang, info, body in FENCE.findall(page.read_text(encoding="utf-8")):
        if info.strip() and "." in info:
            files[info.strip()] = body
        elif lang in ("yaml", "yml") and re.match(r"#\s*[\w.-]+\.ya?ml\s*\n", body):
            files[body.split("\n", 1)[0].lstrip("# ").strip()] = body
    return files


def test_the_pages_hold_commands_to_check():
    commands = {page.name: page_commands(page) for page in PAGES}
    assert len(commands["README.md"]) > 20 and len(commands["importers.md"]) > 5
    assert "deals.csv" in page_files(ROOT / "docs" / "importers.md")
    assert "my-claims.yaml" in page_files(ROOT / "README.md")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_documented_command_runs(page, tmp_path, bundled_store_file, monkeypatch):
    store = tmp_path / "store.sqlite"
    shutil.copy(bundled_store_file, store)
    work = tmp_path / "work"
    work.mkdir()
    for name, body in page_files(page).items():
        (work / name).write_text(body, encoding="utf-8")
    for name, original in BROUGHT.items():
        shutil.copy(original, work / name)
    monkeypatch.chdir(work)
    monkeypatch.delenv("COOPGRAPH_SCHEMA", raising=False)
    runner = CliRunner(env={"COOPGRAPH_STORE": str(store), "COOPGRAPH_BACKEND": None})
    failures = []
    timings: list[tuple[float, str]] = []
    started = time.perf_counter()
    for kind, command in page_commands(page):
        args = shlex.split(command, comments=True)[1:]
        if needs_neo4j(args):
            continue
        synopsis = any(a in PLACEHOLDERS or a.startswith("[") or re.fullmatch(r"[a-z0-9-]+(\|[a-z0-9-]+)+", a)
                       for a in args)
        if synopsis:
            words = []
            for a in args:
                if a in PLACEHOLDERS or a.startswith(("[", "-")) or "|" in a:
                    break
                words.append(a)
            args = words[:2] if words[:1] == ["cypher"] else words[:1]
            args.append("--help")
        began = time.perf_counter()
        result = runner.invoke(cli, args, catch_exceptions=True)
        timings.append((time.perf_counter() - began, " ".join(args)))
        ok = result.exit_code == 0
        if not ok and kind == "inline" and result.exit_code == 2 and "Missing argument" in result.output:
            ok = True  # a mention of a command (`coopgraph merge`), its arguments left to the text
        if not ok:
            failures.append(f"{page.name}: coopgraph {' '.join(args)} -> exit {result.exit_code}\n"
                            f"{result.output[-800:]}{result.exception!r}")
    _spent[page.name] = time.perf_counter() - started
    assert not failures, "\n\n".join(failures)
    assert sum(_spent.values()) < BUDGET_SECONDS, (_spent, sorted(timings, reverse=True)[:5])
