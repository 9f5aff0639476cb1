"""Every Cypher statement coopgraph ships or sends passes Neo4j's own grammar.

The linter is Neo4j's ``@neo4j-cypher/language-support`` (``lintCypherQuery``), run
offline by the machine's Node from ``tools/cypherlint`` (``npm ci --prefix tools/cypherlint``,
which ``.ci/run`` does). Tests skip where Node or the package is missing.
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


def lint(named: dict[str, str]) -> dict[str, dict]:
    if shutil.which("node") is None or not (LINTER / "node_modules").is_dir():
        pytest.skip("Node or tools/cypherlint/node_modules missing (npm ci --prefix tools/cypherlint)")
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
