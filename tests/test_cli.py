"""The CLI as a user meets it: CliRunner against stores in tmp_path."""

from __future__ import annotations

import csv
import io
import json
import sys

from tests.conftest import FIXTURES, MINI


def test_first_command_builds_the_store_from_the_bundled_dataset(run, tmp_path):
    store = tmp_path / "new" / "store.sqlite"
    store.parent.mkdir()  # a --store in a folder that does not exist is an error (test_newcomer.py)
    result = run("stats", "--store", store)
    assert result.exit_code == 0, result.output
    assert store.exists()
    assert "csis-2020-mtc-primer" in result.output and "uts-2022-advanced-tech" in result.output


def test_store_from_environment_variable(run, tmp_path, monkeypatch):
    store = tmp_path / "env.sqlite"
    monkeypatch.setenv("COOPGRAPH_STORE", str(store))
    assert run("stats").exit_code == 0
    assert store.exists()


def test_show_su27_lists_dated_claims_with_csis_endnotes(run, store_path):
    result = run("show", "Su-27", "--store", store_path)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Su-27")
    assert "system:su-27" in out
    assert "copy_of" in out and "J-11" in out
    assert "csis-2020-mtc-primer, endnote 9:" in out and "endnote 20:" in out
    assert "1992–2006" in out
    assert "an unlicensed copy of Russia's Su-27/Su-30 fighter" in " ".join(out.split())
    assert all(len(line) <= 80 for line in out.splitlines())


def test_show_json_carries_every_citation(run, store_path):
    result = run("show", "system:su-35", "--store", store_path, "--format", "json")
    report = json.loads(result.output)
    assert report["entity"]["name"] == "Su-35"
    assert report["claims"] and all(c["citations"] for c in report["claims"])
    contract = [c for c in report["claims"] if c["relation"] == "transferred_to" and c["date"] == "2015-11"]
    assert contract and contract[0]["quantity"] == 24


def test_show_csv_has_a_header_and_one_row_per_claim(run, store_path):
    result = run("show", "S-400", "--store", store_path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {"claim", "when", "relation", "citations"} <= set(rows[0])


def test_show_unknown_entity_is_a_clear_error(run, store_path):
    result = run("show", "Eurofighter", "--store", store_path)
    assert result.exit_code == 1
    assert "no entity matches 'Eurofighter'" in result.output
    assert "Traceback" not in result.output


def test_search_finds_by_alias(run, store_path):
    result = run("search", "PLAAF", "--store", store_path, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)[0]["id"] == "service:plaaf"


def test_load_then_show_user_claims(run, tmp_path):
    store = tmp_path / "s.sqlite"
    result = run("load", MINI, "--store", store)
    assert result.exit_code == 0, result.output
    assert "entities" in result.output
    shown = run("show", "Falcon", "--store", store)
    assert "Twelve Falcons reached" in shown.output
    still_bundled = run("show", "Su-27", "--store", store)
    assert still_bundled.exit_code == 0


def test_load_bad_file_exits_1_names_file_line_field_and_keeps_store(run, tmp_path):
    store = tmp_path / "s.sqlite"
    run("load", MINI, "--store", store)
    before = store.read_bytes()
    result = run("load", FIXTURES / "bad_claims.yaml", "--store", store)
    assert result.exit_code == 1
    assert "bad_claims.yaml:5: field 'date'" in result.output
    assert "bad_claims.yaml:8: field 'subject'" in result.output
    assert "nothing was written" in result.output
    assert store.read_bytes() == before


def test_load_replace_drops_earlier_user_data(run, tmp_path):
    store = tmp_path / "s.sqlite"
    run("load", MINI, "--store", store)
    assert run("show", "Falcon", "--store", store).exit_code == 0
    assert run("load", "--replace", FIXTURES / "mini" / "documents.yaml", "--store", store).exit_code == 0
    assert run("show", "Falcon", "--store", store).exit_code == 1


def test_validate_writes_nothing(run, tmp_path):
    store = tmp_path / "s.sqlite"
    assert run("validate", MINI, "--store", store).exit_code == 0
    assert json.loads(run("search", "Falcon", "--store", store, "--format", "json").output) == []


def test_usage_errors_exit_2(run, store_path):
    assert run("show", "--store", store_path).exit_code == 2
    assert run("stats", "--format", "xml", "--store", store_path).exit_code == 2
    assert run("load", "--store", store_path).exit_code == 2


def test_export_json_has_the_stable_keys(run, store_path, tmp_path):
    out = tmp_path / "out.json"
    result = run("export", "json", out, "--store", store_path)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert {"documents", "nodes", "edges"} <= set(doc)
    assert {"id", "title", "publisher", "date"} <= set(doc["documents"][0])
    assert {"id", "type", "name", "aliases"} <= set(doc["nodes"][0])
    edge = doc["edges"][0]
    assert {"id", "source", "target", "type", "start", "end", "status", "confidence", "citations"} <= set(edge)
    assert {"document", "locator", "quote"} == set(edge["citations"][0])
    assert all(e["citations"] for e in doc["edges"])


def test_export_json_to_stdout(run, store_path):
    result = run("export", "json", "-", "--store", store_path)
    assert json.loads(result.output)["nodes"]


def test_schema_lists_relation_types_with_flow(run):
    result = run("schema", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    copy = [r for r in rows if r["name"] == "copy_of"][0]
    assert copy["flow"] == "reverse"


def test_user_schema_extension_from_the_command_line(run, tmp_path, monkeypatch):
    monkeypatch.setenv("COOPGRAPH_SCHEMA", "")  # restored after the test, whatever --schema sets
    ext = tmp_path / "ext.yaml"
    ext.write_text("entity_types:\n  shipyard:\n    prefix: yard\n    label: Shipyard\n"
                   "relation_types:\n  built_at:\n    subject: [weapon_system]\n    object: [shipyard]\n    flow: none\n")
    data = tmp_path / "data.yaml"
    data.write_text(
        "documents:\n  - {id: doc, title: T, date: '2020'}\n"
        "entities:\n  - {id: 'yard:sevmash', type: shipyard, name: Sevmash}\n"
        "claims:\n  - {subject: 'system:lada-class', relation: built_at, object: 'yard:sevmash',"
        " citations: [{document: doc, locator: p. 1, quote: q}]}\n")
    store = tmp_path / "s.sqlite"
    without = run("load", data, "--store", store)
    assert without.exit_code == 1 and "unknown entity type 'shipyard'" in without.output
    result = run("--schema", ext, "load", data, "--store", store)
    assert result.exit_code == 0, result.output
    assert "built_at" in run("--schema", ext, "show", "Sevmash", "--store", store).output


def test_no_progress_bar_when_not_a_terminal(run, tmp_path):
    result = run("load", MINI, "--store", tmp_path / "s.sqlite")
    assert result.exit_code == 0 and "validating" not in result.output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_and_not_when_quiet(monkeypatch):
    from coopgraph.cli.options import progress_bar

    for quiet, drawn in ((False, True), (True, False)):
        screen = _Terminal()
        monkeypatch.setattr(sys, "stderr", screen)
        with progress_bar("exporting graphml", quiet) as progress:
            if progress is not None:
                for done in (2000, 4000, 5000):
                    progress(done, 5000, "claims")
        assert ("exporting graphml: claims" in screen.getvalue()) is drawn
        assert ("5000/5000" in screen.getvalue()) is drawn
