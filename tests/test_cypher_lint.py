"""Every Cypher statement coopgraph ships or sends passes Neo4j's own grammar.

The linter is Neo4j's ``@neo4j-cypher/language-support`` (``lintCypherQuery``), run
offline by the machine's Node from ``tools/cypherlint`` (``npm ci --prefix tools/cypherlint``,
which the README's test command and ``.ci/run`` do; a clone without it installs it here, once,
when npm is there). Tests skip, saying why, where Node is missing or the install fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from coopgraph.graph import bolt_store
from coopgraph.loaders import load_bundled
from coopgraph.queries.cypher_pack import pack
from coopgraph.queries.export.cypher import cypher_statements

LINTER = Path(__file__).resolve().parents[1] / "tools" / "cypherlint"


_INSTALL: dict[str, str] = {}


def _linter_ready() -> str | None:
    """``None`` when the linter can run; else why not. A clone without node_modules installs them once."""
    if shutil.which("node") is None:
        return "Node is not installed, so Neo4j's Cypher parser cannot run (install Node, then npm ci --prefix tools/cypherlint)"
    if (LINTER / "node_modules").is_dir():
        return None
    if "tried" not in _INSTALL:
        _INSTALL["tried"] = "yes"
        npm = shutil.which("npm")
        if npm is None:
            _INSTALL["why"] = "npm is not installed; run npm ci --prefix tools/cypherlint"
        else:
            done = subprocess.run([npm, "ci", "--prefix", str(LINTER), "--no-audit", "--no-fund", "--loglevel=error"],
                                  capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                _INSTALL["why"] = f"npm ci --prefix tools/cypherlint failed: {done.stderr.strip()[-300:]}"
    return None if (LINTER / "node_modules").is_dir() else _INSTALL.get("why", "tools/cypherlint/node_modules missing")


def lint(named: dict[str, str]) -> dict[str, dict]:
    why = _linter_ready()
    if why:
        pytest.skip(why)
    payload = json.dumps([{"name": k, "query": v} for k, v in named.items()])
    out = subprocess.run(["node", str(LINTER / "lint.mjs")], input=payload, capture_output=True, text=True,
                         timeout=300, check=True)
    return {item["name"]: item for item in json.loads(out.stdout)}


def errors_of(results: dict[str, dict]) -> dict[str, list]:
    return {name: r["errors"] for name, r in results.items() if r["errors"]}


def test_the_linter_catches_a_broken_statement():
    results = lint({"good": "MATCH (n:Entity {id: $id}) RETURN n", "bad": "MATCH (n:Entity {id: $id} RETURN n"})
    assert not results["good"]["errors"] and results["bad"]["errors"]


def test_statements_the_bolt_store_sends():
    assert errors_of(lint(bolt_store.statements())) == {}


def test_the_cypher_pack():
    assert errors_of(lint({name: q.statement for name, q in pack().items()})) == {}


def test_the_cypher_examples_in_the_docs():
    from tests.test_cypher_pack import doc_queries

    queries = doc_queries()
    assert queries
    assert errors_of(lint(queries)) == {}


def test_the_cypher_script_export_of_the_bundled_data():
    statements = {f"statement {i}": s.rstrip(";") for i, s in enumerate(cypher_statements(load_bundled()))}
    assert errors_of(lint(statements)) == {}


def test_hostile_strings_in_the_script_export_stay_inside_literals():
    from coopgraph.graph.model import Dataset, Entity

    names = ["x'}) DETACH DELETE n //", "back\\slash", 'quote"', "new\nline", "Рособоронэкспорт"]
    data = Dataset(entities={f"firm:f{i}": Entity(f"firm:f{i}", "firm", n) for i, n in enumerate(names)})
    statements = {f"statement {i}": s.rstrip(";") for i, s in enumerate(cypher_statements(data))}
    assert errors_of(lint(statements)) == {}
