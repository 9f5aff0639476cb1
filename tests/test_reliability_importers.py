"""Reliability of the importers (issue 13, point 10, and the property tests over every importer).

Each importer refuses a file that is not its format, with the line and what it
expected, instead of importing nothing (or something else) with exit status 0.
Property-based tests feed each importer mangled bytes of a valid file and other
encodings: never a traceback, never a changed store.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgraph.graph.errors import CoopgraphError, ValidationError
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_files
from coopgraph.loaders.importers import import_file
from coopgraph.loaders.importers.table import Mapping
from coopgraph.queries.export.graphml import write_graphml
from tests.conftest import FIXTURES, MINI
from tests.faults import digest

MAPPING = Mapping.from_options(["subject=Seller", "object=Buyer"], ["relation=cooperates_with"], create="firm",
                               doc_date="2024")
CSV_OPTIONS = ("--map", "subject=Seller", "--map", "object=Buyer", "--set", "relation=cooperates_with",
               "--create-entities", "firm", "--doc-date", "2024")


def refused(run, store, *args) -> str:
    before = digest(store)
    result = run("import", *args, "--store", store)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert digest(store) == before
    return result.output


# -- 10. each importer refuses what is not its format -----------------------------------------------------------

def test_import_graphml_refuses_xml_that_is_not_graphml(run, mini_store_path, tmp_path):
    rss = tmp_path / "feed.xml"
    rss.write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>News</title></channel></rss>\n',
                   encoding="utf-8")
    output = refused(run, mini_store_path, "graphml", rss)
    assert "feed.xml:2: not GraphML: the root element is <rss>, expected <graphml>" in output


def test_import_graphml_refuses_graphml_without_coopgraphs_keys(run, mini_store_path, tmp_path):
    head = ('<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
            '<key id="d0" for="node" attr.name="label" attr.type="string"/>\n')
    empty = tmp_path / "empty.graphml"
    empty.write_text(head + '<graph edgedefault="directed"/>\n</graphml>\n', encoding="utf-8")
    output = refused(run, mini_store_path, "graphml", empty)
    assert "empty.graphml:2: GraphML without coopgraph's keys" in output and "it would import nothing" in output
    other = tmp_path / "yed.graphml"
    other.write_text(head + '<graph edgedefault="directed"><node id="n0"><data key="d0">A</data></node></graph>\n'
                     "</graphml>\n", encoding="utf-8")
    assert "yed.graphml:4: node 'n0' has no 'type'" in refused(run, mini_store_path, "graphml", other)


def test_import_graphml_still_takes_coopgraphs_own_export(run, mini_store_path, tmp_path):
    path = tmp_path / "own.graphml"
    write_graphml(load_files([MINI]), path)
    assert run("import", "graphml", path, "--store", mini_store_path).exit_code == 0


def test_import_csv_refuses_a_nul_byte_with_its_line(run, mini_store_path, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_bytes(b"Seller,Buyer\nAcme,Zenith\nAc\x00me,Other\n")
    output = refused(run, mini_store_path, "csv", path, *CSV_OPTIONS)
    assert "partners.csv:3: a NUL byte" in output


@pytest.mark.parametrize("encoding, expected", [("cp1252", "byte 0xE9 is not UTF-8 (column 5)"),
                                                ("utf-16", "the file is UTF-16")])
def test_import_csv_refuses_text_that_is_not_utf8_instead_of_guessing(run, mini_store_path, tmp_path, encoding, expected):
    path = tmp_path / "partners.csv"
    path.write_bytes("Seller,Buyer\nAlizé,Zenith\n".encode(encoding))
    output = refused(run, mini_store_path, "csv", path, *CSV_OPTIONS)
    assert expected in output and "save the file as UTF-8" in output
    assert ":2:" in output or encoding == "utf-16"


def test_import_csv_still_takes_utf8_with_or_without_a_bom(run, mini_store_path, tmp_path):
    for name, data in (("plain.csv", "Seller,Buyer\nAlizé,Zenith\n".encode("utf-8")),
                       ("bom.csv", "Seller,Buyer\nÉcole,Zenith\n".encode("utf-8-sig"))):
        path = tmp_path / name
        path.write_bytes(data)
        result = run("import", "csv", path, *CSV_OPTIONS, "--store", mini_store_path)
        assert result.exit_code == 0, result.output
    names = {e.name for e in open_store(mini_store_path).dataset().entities.values()}
    assert {"Alizé", "École"} <= names


def test_import_csv_refuses_control_characters_at_validation(run, mini_store_path, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_bytes(b"Seller,Buyer\nAcme\x1b[31m,Zenith\n")
    output = refused(run, mini_store_path, "csv", path, *CSV_OPTIONS)
    assert "U+001B (ESC)" in output and "partners.csv:2" in output


def test_import_ftm_refuses_a_json_array_where_json_lines_are_expected(run, mini_store_path, tmp_path):
    lines = (FIXTURES / "ftm_small.json").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "entities.json"
    path.write_text("\n[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    output = refused(run, mini_store_path, "ftm", path)
    assert "entities.json:2: a JSON array, but FollowTheMoney files are JSON lines" in output and "jq -c" in output


def test_import_sipri_refuses_a_csv_that_is_not_a_trade_register(run, mini_store_path, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("Seller,Buyer\nAcme,Zenith\n", encoding="utf-8")
    output = refused(run, mini_store_path, "sipri", path)
    assert "register.csv" in output


# -- property-based: every importer, mangled input: never a traceback, never a changed store --------------------

_PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pristine_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pristine-import") / "mini.sqlite"
    open_store(path).write(load_files([MINI]), replace=True)
    return path


@pytest.fixture(scope="module")
def valid_inputs(tmp_path_factory) -> dict[str, tuple[str, bytes, dict]]:
    folder = tmp_path_factory.mktemp("valid-inputs")
    write_graphml(load_files([MINI]), folder / "g.graphml")
    from coopgraph.queries.export.json import write_json

    write_json(load_files([MINI]), folder / "g.json")
    return {
        "sipri": (".csv", (FIXTURES / "sipri_small.csv").read_bytes(), {}),
        "ftm": (".json", (FIXTURES / "ftm_small.json").read_bytes(), {}),
        "csv": (".csv", "Seller,Buyer,Year\nAcme,Zenith,2015\nZenith,Alizé,2016-2018\n".encode(), {"mapping": MAPPING}),
        "graphml": (".graphml", (folder / "g.graphml").read_bytes(), {}),
        "json": (".json", (folder / "g.json").read_bytes(), {}),
    }


def import_cleanly_or_refuse(tmp_path: Path, pristine: Path, importer: str, suffix: str, payload: bytes,
                             options: dict) -> None:
    folder = tmp_path / f"case-{time.monotonic_ns()}"
    folder.mkdir()
    store_path, data = folder / "store.sqlite", folder / f"input{suffix}"
    shutil.copy(pristine, store_path)
    data.write_bytes(payload)
    before = digest(store_path)
    try:
        import_file(open_store(store_path), importer, data, **options)
    except CoopgraphError:
        assert digest(store_path) == before
    shutil.rmtree(folder)


@_PROPERTY
@given(importer=st.sampled_from(["sipri", "ftm", "csv", "graphml", "json"]),
       cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 12), st.binary(max_size=8)), max_size=6),
       encoding=st.sampled_from([None, "utf-16", "cp1252"]))
def test_property_mangled_input_to_any_importer_never_crashes(tmp_path, pristine_store, valid_inputs, importer, cuts,
                                                             encoding):
    suffix, payload, options = valid_inputs[importer]
    data = bytearray(payload)
    for where, drop, insert in cuts:
        at = int(where * len(data))
        data[at:at + drop] = insert
    payload = bytes(data)
    if encoding is not None:
        payload = payload.decode("utf-8", errors="replace").encode(encoding, errors="replace")
    import_cleanly_or_refuse(tmp_path, pristine_store, importer, suffix, payload, options)


@_PROPERTY
@given(rows=st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=4), max_size=5),
       header=st.lists(st.sampled_from(["Seller", "Buyer", "Year", "", "Seller"]), max_size=4))
def test_property_odd_spreadsheets_never_crash_the_csv_importer(tmp_path, pristine_store, rows, header):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    import_cleanly_or_refuse(tmp_path, pristine_store, "csv", ".csv", out.getvalue().encode("utf-8", "surrogatepass"),
                             {"mapping": MAPPING})


@_PROPERTY
@given(entities=st.lists(st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=8), st.integers()), "schema": st.sampled_from(["Company", "Person", "Ownership",
                                                                                   "Sanction", "Thing", 7]),
    "properties": st.one_of(st.dictionaries(st.sampled_from(["name", "country", "owner", "asset", "startDate",
                                                             "entity", "alias"]),
                                            st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=2),
                                            max_size=4), st.text(max_size=5)),
    "datasets": st.lists(st.text(max_size=6), max_size=2)}), max_size=5))
def test_property_odd_ftm_entities_never_crash(tmp_path, pristine_store, entities):
    payload = "\n".join(json.dumps(e, ensure_ascii=False) for e in entities).encode("utf-8", "surrogatepass")
    import_cleanly_or_refuse(tmp_path, pristine_store, "ftm", ".json", payload, {})


def test_a_validation_error_names_the_importers_file(tmp_path, pristine_store):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Seller,Buyer\n\x00\n")
    with pytest.raises(ValidationError) as info:
        import_file(open_store(pristine_store), "csv", path, mapping=MAPPING)
    assert info.value.problems[0].file == str(path)
