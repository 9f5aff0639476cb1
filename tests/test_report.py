"""One report shape: the library's rows are the CLI's rows, in every format, through one output path."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from coopgraph.graph.store import open_store
from coopgraph.queries import centrality, chains, paths, search
from coopgraph.queries.headline import HEADLINE_FROM, HEADLINE_LIMIT, HEADLINE_TO
from coopgraph.queries.report import Report

ROOT = Path(__file__).resolve().parents[1]


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def as_text(rows):
    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]


def test_python_users_get_the_rows_the_cli_writes(run, store_path):
    graph = open_store(store_path).graph()
    result = chains(graph, HEADLINE_FROM, list(HEADLINE_TO), limit=HEADLINE_LIMIT)
    cli = csv_rows(run("chains", "--format", "csv", "--store", store_path).output)
    assert cli == as_text(result.rows) and len(cli) > 20
    found = paths(graph, "Su-35", "EED")
    assert csv_rows(run("path", "Su-35", "EED", "--format", "csv", "--store", store_path).output) == as_text(found.rows)
    ranked = centrality(graph, "degree", top=20)
    assert csv_rows(run("centrality", "--format", "csv", "--store", store_path).output) == as_text(ranked.rows)


def test_json_lines_give_one_row_an_object(run, store_path):
    out = run("search", "su", "--format", "nl", "--store", store_path).output.splitlines()
    rows = [json.loads(line) for line in out]
    assert rows == search(open_store(store_path), "su").rows and len(rows) > 3
    assert run("search", "zzzz-nothing", "--format", "nl", "--store", store_path).output == ""


def test_a_report_reads_like_its_document():
    listing = Report([{"a": 1}])
    assert list(listing) == [{"a": 1}] and listing == [{"a": 1}] and len(listing) == 1
    mapping = Report([{"a": 1}], document={"rows": [{"a": 1}], "total": 1}, notes=["1 row"])
    assert mapping["total"] == 1 and mapping.get("missing", 0) == 0 and "rows" in mapping
    assert mapping.columns == ["a"] and mapping.notes == ["1 row"]


def test_no_module_outside_the_cli_branches_on_an_output_format():
    pattern = re.compile(r"""\bfmt\b\s*(==|!=|\bin\b)|==\s*["'](csv|json|table|nl)["']""")
    offenders = []
    for folder in ("graph", "loaders", "queries"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_every_library_error_is_a_coopgraph_error():
    import coopgraph.graph.errors as errors
    from coopgraph.graph.dates import DateFormatError

    classes = [obj for obj in vars(errors).values() if isinstance(obj, type) and issubclass(obj, Exception)]
    assert all(issubclass(c, errors.CoopgraphError) for c in classes + [DateFormatError])
    raw = []
    for folder in ("graph", "loaders", "queries"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"raise (ValueError|TypeError|KeyError|RuntimeError)\(", line):
                    raw.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert raw == []
