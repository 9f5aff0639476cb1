"""Reliability of the loaders (issue 13, points 3, 8 and 9): hostile or broken files end in a clear error.

Bounded YAML aliases, nesting and text sizes; impossible dates and control
characters refused at validation with file, line and field; and property-based
tests (hypothesis) feeding malformed records, bad encodings, odd dates and sizes
to every dataset format: never a traceback, never a changed store.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgraph.graph.errors import CoopgraphError, ValidationError
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_files, load_into
from coopgraph.loaders.records import MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_TEXT
from tests.conftest import MINI
from tests.faults import digest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def problems(path: Path, context=None) -> list[str]:
    with pytest.raises(ValidationError) as info:
        load_files([path], context=context)
    return [str(p) for p in info.value.problems]


# -- 3. YAML aliases, nesting depth, text sizes -----------------------------------------------------------------

def alias_bomb(levels: int = 10, width: int = 10) -> str:
    """The issue's file: anchors nested ``levels`` deep inside a claim's attributes (width ** levels values)."""
    lines = ["claims:", "  - subject: state:ruritania", "    relation: cooperates_with", "    object: state:freedonia",
             "    citations: [{document: ruritania-review-2021, locator: p. 1, quote: q}]", "    attributes:",
             f"      a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"      a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_at_once_with_its_line(tmp_path, run, mini_store_path):
    bomb = tmp_path / "claims-bomb.yaml"
    bomb.write_text(alias_bomb(), encoding="utf-8")
    before = digest(mini_store_path)
    started = time.monotonic()
    result = run("load", bomb, "--store", mini_store_path)
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert re.search(rf"claims-bomb\.yaml:\d+: aliases of the anchor here expand the file to [\d,]+ values", result.output)
    assert f"the limit is {MAX_ALIAS_EXPANSION:,}" in result.output
    assert digest(mini_store_path) == before


def test_aliases_within_the_bound_still_work(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "documents:\n  - {id: d, title: T, date: '2020'}\n"
        "entities:\n  - {id: 'firm:a', type: firm, name: A}\n  - {id: 'firm:b', type: firm, name: B}\n"
        "claims:\n"
        "  - {subject: 'firm:a', relation: cooperates_with, object: 'firm:b', citations: &cite [{document: d, locator: p. 1, quote: q}]}\n"
        "  - {subject: 'firm:b', relation: cooperates_with, object: 'firm:a', citations: *cite}\n", encoding="utf-8")
    assert len(load_files([path]).claims) == 2


def test_a_recursive_alias_is_refused(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("- &a {subject: x, attributes: {self: *a}}\n", encoding="utf-8")
    [problem] = problems(path)
    assert "claims.yaml:1: field 'self': an alias refers to a list or mapping that contains it" in problem


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_nesting_deeper_than_the_limit_is_refused(tmp_path, suffix):
    path = tmp_path / f"claims{suffix}"
    inner = "1"
    for _ in range(MAX_DEPTH + 5):
        inner = '{"k": ' + inner + "}"
    path.write_text('[{"subject": "x", "attributes": ' + inner + "}]", encoding="utf-8")
    [problem] = problems(path)
    assert f"nested more than {MAX_DEPTH} levels deep" in problem


@pytest.mark.parametrize("extra", [0, 1, 5])
def test_nesting_just_past_the_limit_with_a_text_at_the_bottom_names_its_line_and_field(tmp_path, extra):
    """The first level past the limit can be the text itself (hypothesis found this case: it raised ValueError)."""
    path = tmp_path / "claims.yaml"
    lists = MAX_DEPTH - 3 + extra  # the file's mapping, the claims list and the claim's mapping are three levels
    path.write_text("claims:\n  - subject: state:ruritania\n    date: 2015-06-31\n    key: "
                    + "[" * lists + "2015-06-31" + "]" * lists + "\n    attributes:\n      k: v\n", encoding="utf-8")
    [problem] = problems(path)
    assert f"claims.yaml:4: field 'key': nested more than {MAX_DEPTH} levels deep" in problem


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_deeply_nested_json_is_an_error_not_a_traceback(tmp_path, run, depth, mini_store_path):
    path = tmp_path / "claims.json"
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    result = run("validate", path, "--store", mini_store_path)
    assert result.exit_code == 1 and "nested more than" in result.output


@pytest.mark.parametrize("form", ["yaml", "json", "csv"])
def test_a_text_longer_than_the_limit_is_refused(tmp_path, form):
    quote = "x" * (MAX_TEXT + 1)
    if form == "csv":
        path = tmp_path / "claims.csv"
        path.write_text(f"subject,relation,object,document,locator,quote\nstate:ruritania,cooperates_with,state:freedonia,"
                        f"ruritania-review-2021,p. 1,{quote}\n", encoding="utf-8")
    else:
        claim = {"subject": "state:ruritania", "relation": "cooperates_with", "object": "state:freedonia",
                 "citations": [{"document": "ruritania-review-2021", "locator": "p. 1", "quote": quote}]}
        path = tmp_path / f"claims.{form}"
        path.write_text(json.dumps([claim]) if form == "json" else yaml.safe_dump([claim]), encoding="utf-8")
    found = problems(path, context=load_files([MINI]))
    assert any(f"the limit is {MAX_TEXT:,}" in p and ("quote" in p or "citations" in p) for p in found), found


def test_the_limits_are_documented():
    text = (DOCS / "dataset-format.md").read_text(encoding="utf-8")
    for number in (MAX_DEPTH, MAX_ALIAS_EXPANSION, MAX_TEXT):
        assert f"{number:,}" in text or str(number) in text, number


# -- 8. impossible unquoted dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["2015-06-31", "2015-02-29", "2015-13-01", "2015-00-10"])
def test_an_impossible_unquoted_date_is_a_validation_error(tmp_path, run, date, mini_store_path):
    path = tmp_path / "documents.yaml"
    path.write_text(f"- id: d\n  title: T\n  date: {date}\n", encoding="utf-8")
    result = run("validate", path, "--store", mini_store_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(r"documents\.yaml:3: field 'date': '" + date + "' has (day|month)", result.output), result.output


# -- 9. control characters ------------------------------------------------------------------------------------

CONTROL = {"NUL": "\x00", "ESC": "\x1b", "BEL": "\x07", "DEL": "\x7f", "VT": "\x0b"}


@pytest.mark.parametrize("name", CONTROL)
@pytest.mark.parametrize("form", ["yaml", "json", "csv"])
def test_control_characters_are_refused_with_file_line_and_field(tmp_path, mini_store_path, name, form):
    char = CONTROL[name]
    if form == "csv":
        path = tmp_path / "entities.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([["id", "type", "name"], ["firm:ok", "firm", "Fine"], ["firm:x", "firm", f"X{char}Y"]])
        line = 3
    elif form == "json":
        path = tmp_path / "entities.json"
        path.write_text('[\n{"id": "firm:ok", "type": "firm", "name": "Fine"},\n'
                        '{"id": "firm:x", "type": "firm",\n "name": ' + json.dumps(f"X{char}Y") + "}\n]", encoding="utf-8")
        line = 4
    else:
        path = tmp_path / "entities.yaml"
        escaped = json.dumps(f"X{char}Y")  # a YAML double-quoted string: \u0000, \u001b ...
        path.write_text(f"- {{id: 'firm:ok', type: firm, name: Fine}}\n- id: 'firm:x'\n  type: firm\n  name: {escaped}\n",
                        encoding="utf-8")
        line = 4
    before = digest(mini_store_path)
    with pytest.raises(ValidationError) as info:
        load_into(open_store(mini_store_path), [path])
    [problem] = info.value.problems
    assert (problem.file, problem.field) == (str(path), "name")
    assert problem.line == line or form == "json"
    assert f"U+{ord(char):04X}" in problem.message
    assert digest(mini_store_path) == before


def test_control_characters_in_the_claims_csv_fast_lane_and_in_nested_values(tmp_path):
    context = load_files([MINI])
    path = tmp_path / "claims.csv"
    path.write_text("subject,relation,object,document,locator,quote\n"
                    "state:ruritania,cooperates_with,state:freedonia,ruritania-review-2021,p. 1,fine\n"
                    "state:ruritania,cooperates_with,state:freedonia,ruritania-review-2021,p. 2,bad\x1b[31m\n",
                    encoding="utf-8")
    [problem] = problems(path, context)
    assert "claims.csv:3: field 'citations': contains the control character U+001B (ESC)" in problem
    nested = tmp_path / "entities.yaml"
    nested.write_text("- id: 'firm:n'\n  type: firm\n  name: N\n  attributes: {note: [\"ok\", \"a\\0b\"]}\n", encoding="utf-8")
    [problem] = problems(nested)
    assert "entities.yaml:4: field 'attributes': contains the control character U+0000 (NUL)" in problem


def test_tabs_and_line_breaks_are_still_allowed(tmp_path):
    path = tmp_path / "entities.yaml"
    path.write_text('- {id: "firm:t", type: firm, name: T, description: "one\\ttwo\\nthree\\r\\nfour"}\n', encoding="utf-8")
    assert load_files([path]).entities["firm:t"].description == "one\ttwo\nthree\r\nfour"


def test_what_validation_lets_in_every_export_can_write(tmp_path, mini_store_path, run):
    """The point of refusing control characters: GraphML, GEXF and XLSX then never refuse the graph."""
    path = tmp_path / "entities.yaml"
    path.write_text('- {id: "firm:ok", type: firm, name: "Tab\\there, Ünïcödé ✓ and 中文"}\n', encoding="utf-8")
    assert run("load", path, "--store", mini_store_path).exit_code == 0
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("xlsx", "g.xlsx")):
        result = run("export", fmt, tmp_path / name, "--store", mini_store_path)
        assert result.exit_code == 0, (fmt, result.output)


# -- property-based: never a traceback, never a changed store ----------------------------------------------------

# hypothesis runs many examples inside one test function: a module-level store copied per example
_PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])

odd_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "\x00", "\x1b[0m", "\ud800", "\ufeff", "é", "中文", "a" * (MAX_TEXT + 1), "null", "~",
                     "yes", "no", "0x1F", "1e999", "-0", "NaN", ".inf", "&a", "*a", "!!binary aGk=", "{", "]", "'"]),
)
odd_dates = st.one_of(
    st.sampled_from(["2015", "2015-06", "2015-06-30", "2015-06-31", "2015-02-29", "2016-02-29", "1990s", "1995s", "0000",
                     "9999-12-31", "10000", "2015-13", "2015-1-1", "20150630", "-2015", " 2015 ", "2015/06/30", "circa 1990"]),
    st.dates().map(str), st.integers(-10**6, 10**6), st.datetimes().map(lambda d: d.isoformat()), odd_text)
odd_value = st.one_of(odd_text, odd_dates, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                      st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5),
                                                                                 max_size=3))
ENTITY_IDS = ["state:ruritania", "state:freedonia", "firm:zenda-motors", "system:falcon", "firm:new", "nonsense", ""]


def record(kind: str) -> st.SearchStrategy[dict]:
    known = {
        "documents": {"id": st.sampled_from(["doc-x", "ruritania-review-2021", "Bad Id"]), "title": odd_text,
                      "date": odd_dates, "url": odd_text},
        "entities": {"id": st.sampled_from(ENTITY_IDS), "type": st.sampled_from(["firm", "state", "frim", ""]),
                     "name": odd_text, "aliases": odd_value, "country": st.sampled_from(ENTITY_IDS),
                     "attributes": odd_value},
        "claims": {"subject": st.sampled_from(ENTITY_IDS), "relation": st.sampled_from(["cooperates_with", "supplies", "x"]),
                   "object": st.sampled_from(ENTITY_IDS), "date": odd_dates, "start": odd_dates, "end": odd_dates,
                   "confidence": odd_value, "quantity": odd_value, "status": odd_text, "value": odd_value,
                   "circa": odd_value, "deal": odd_text, "attributes": odd_value,
                   "citations": st.one_of(odd_value, st.lists(st.fixed_dictionaries(
                       {"document": st.sampled_from(["ruritania-review-2021", "nope"]), "locator": odd_text,
                        "quote": odd_text}), max_size=2))},
    }[kind]
    return st.fixed_dictionaries({}, optional={**known, **{"unknown": odd_value}})


datasets = st.fixed_dictionaries({}, optional={kind: st.lists(record(kind), max_size=3)
                                               for kind in ("documents", "entities", "claims")})


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="surrogatepass") if encoding.startswith("utf") else text.encode(encoding, "replace")


@pytest.fixture(scope="module")
def pristine_store(tmp_path_factory) -> Path:
    from coopgraph.graph.store import open_store as open_

    path = tmp_path_factory.mktemp("pristine") / "mini.sqlite"
    open_(path).write(load_files([MINI]), replace=True)
    return path


def must_fail_cleanly_or_load(tmp_path: Path, pristine: Path, name: str, payload: bytes) -> None:
    """Load ``payload`` as ``name`` into a copy of the store: a load, or a CoopgraphError and a store unchanged."""
    folder = tmp_path / f"case-{time.monotonic_ns()}"
    folder.mkdir()
    target, data = folder / "store.sqlite", folder / name
    shutil.copy(pristine, target)
    data.write_bytes(payload)
    before = digest(target)
    try:
        load_into(open_store(target), [data])
    except CoopgraphError:
        assert digest(target) == before
    shutil.rmtree(folder)


@_PROPERTY
@given(data=datasets, form=st.sampled_from(["yaml", "json"]), encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_property_malformed_yaml_and_json_records_never_crash(tmp_path, pristine_store, data, form, encoding):
    text = json.dumps(data, ensure_ascii=False, allow_nan=True) if form == "json" else yaml.safe_dump(data, allow_unicode=True)
    must_fail_cleanly_or_load(tmp_path, pristine_store, f"mixed.{form}", encode(text, encoding))


@_PROPERTY
@given(kind=st.sampled_from(["documents", "entities", "claims"]), rows=st.lists(st.lists(odd_text, max_size=8), max_size=4),
       header=st.lists(st.sampled_from(["id", "type", "name", "title", "date", "subject", "relation", "object", "document",
                                        "locator", "quote", "confidence", "quantity", "value_amount", "aliases", "circa",
                                        "", "bogus"]), max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_property_malformed_csv_rows_never_crash(tmp_path, pristine_store, kind, rows, header, encoding):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    must_fail_cleanly_or_load(tmp_path, pristine_store, f"{kind}.csv", encode(out.getvalue(), encoding))


VALID_YAML = (MINI / "claims.yaml").read_bytes()


@_PROPERTY
@given(cuts=st.lists(st.tuples(st.integers(0, len(VALID_YAML)), st.integers(0, 8), st.binary(max_size=6)), max_size=6),
       suffix=st.sampled_from([".yaml", ".json"]))
def test_property_mangled_bytes_of_a_valid_file_never_crash(tmp_path, pristine_store, cuts, suffix):
    payload = bytearray(VALID_YAML)
    for at, drop, insert in cuts:
        payload[at:at + drop] = insert
    must_fail_cleanly_or_load(tmp_path, pristine_store, "claims" + suffix, bytes(payload))


@_PROPERTY
@given(tokens=st.lists(st.sampled_from(["claims:", "documents:", "\n", "  ", "- ", "&a ", "*a", "<<: *a", "{", "}", "[", "]",
                                        ",", ": ", "subject", "state:ruritania", "!!binary ", "!!python/name:os.system",
                                        "? ", "'", '"', "\\0", "#", "%YAML 1.1\n", "---\n", "...\n", "\t", "2015-06-31",
                                        "\x85", "|", ">"]), max_size=40))
def test_property_yaml_token_soup_never_crashes(tmp_path, pristine_store, tokens):
    must_fail_cleanly_or_load(tmp_path, pristine_store, "claims.yaml", "".join(tokens).encode("utf-8"))


# written by hand, as a person types YAML: unquoted scalars (dates YAML cannot build), deep brackets, anchors
raw_scalar = st.sampled_from(["2015-06-31", "2015-02-29", "2015-13-01", "2016-02-29", "2015-06-30", "2015", "1990s",
                              "1e999", "-.inf", ".nan", "0x1F", "0o17", "yes", "~", "null", "12:30:00", "2001-12-14t21:59:43.10-05:00",
                              "2001-12-15 2:59:43.10", "'quoted'", '"\\0"', '"\\e"', "!!binary aGk=", "!!int '7'", "[]", "{}"])


@st.composite
def hand_written(draw) -> str:
    fields = draw(st.lists(st.tuples(st.sampled_from(["date", "start", "end", "subject", "object", "relation", "quantity",
                                                      "confidence", "circa", "notes", "attributes", "citations"]),
                                     raw_scalar), min_size=1, max_size=6))
    depth = draw(st.integers(0, 3000))
    opener = draw(st.sampled_from(["[", "{k: "]))
    closer = "]" if opener == "[" else "}"
    nested = opener * depth + draw(raw_scalar) + closer * depth
    width, levels = draw(st.integers(1, 4)), draw(st.integers(0, 4))
    anchors = "".join(f"      a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width) if i else 'x'}]\n" for i in range(levels))
    lines = ["claims:", "  - subject: state:ruritania"]
    lines += [f"    {name}: {value}" for name, value in fields]
    lines += [f"    key: {nested}", "    attributes:", anchors.rstrip("\n") or "      k: v"]
    return "\n".join(lines) + "\n"


@_PROPERTY
@given(text=hand_written(), suffix=st.sampled_from([".yaml", ".json"]))
def test_property_hand_written_yaml_and_deep_json_never_crash(tmp_path, pristine_store, text, suffix):
    must_fail_cleanly_or_load(tmp_path, pristine_store, "claims" + suffix, text.encode("utf-8"))
