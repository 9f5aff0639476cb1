"""A newcomer's first hour (issue 14): answers that do not mislead, output that never hides,
forgiving names, one exit-code contract, conventions other tools taught, tests that run from a clone."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


# -- wrong or misleading -------------------------------------------------------------------------------

def test_lineage_table_says_whose_relative_each_design_is(run, store_path):
    out = run("lineage", "Su-27", "--store", store_path).output
    header, _, *rows = out.splitlines()
    assert header.split()[:4] == ["depth", "design", "is", "of"]
    su30 = [line for line in rows if line.split()[1:2] == ["Su-30"]]
    # the Su-30 is an ancestor of the J-11, not of the Su-27 asked about
    assert su30 and "ancestor of" in su30[0] and su30[0].split("ancestor of")[1].split()[0] == "J-11"
    data = json.loads(run("lineage", "Su-27", "--store", store_path, "--json").output)
    assert {(r["entity_name"], r["direction"], r["from_name"]) for r in data} >= {("J-11", "descendant", "Su-27"),
                                                                               ("Su-30", "ancestor", "J-11")}


def test_show_announces_a_partial_match(run, store_path):
    result = run("show", "Sukhoi", "--store", store_path)
    assert result.exit_code == 0
    assert "no entity is named 'Sukhoi'" in result.output and "Su-57 (system:su-57)" in result.output
    assert "note:" not in run("show", "Su-57", "--store", store_path).output  # an exact name needs no note


def _boxes_hit(segment, box, margin=1e-6):
    """True when the segment enters the inside of the box (touching its edge does not count)."""
    (x0, y0), (x1, y1) = segment
    cx, cy, w, h = box
    left, right, bottom, top = cx - w / 2 + margin, cx + w / 2 - margin, cy - h / 2 + margin, cy + h / 2 - margin
    for i in range(201):
        t = i / 200
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        if left < x < right and bottom < y < top:
            return True
    return False


def test_chain_plot_layout_runs_by_hop_around_nodes_with_whole_labels(store_path):
    from coopgraph.graph.store import open_store
    from coopgraph.queries import chains
    from coopgraph.queries.plot import layout_chains

    graph = open_store(store_path).graph()
    found = chains(graph, "country:Russia", ["org:PLA", "country:China"], limit=60)
    layout = layout_chains(found.chains)
    names = {n["id"]: n["name"] for c in found.chains for n in c["nodes"]}
    # full labels: every name drawn whole (wrapped at spaces only)
    assert all(" ".join(layout.labels[n].split()) == " ".join(name.split()) for n, name in names.items())
    # layers by hop: every chain's nodes run left to right, or back along an arc drawn against the layers
    for chain in found.chains:
        first, last = chain["nodes"][0]["id"], chain["nodes"][-1]["id"]
        assert layout.layers[first] < layout.layers[last] or chain["hops"] == 0
    # no arc passes through a box other than its own two ends
    for (a, b), points, _, _ in layout.routes:
        for segment in zip(points, points[1:]):
            hit = [n for n, box in layout.boxes.items() if n not in (a, b) and _boxes_hit(segment, box)]
            assert not hit, f"arc {a} -> {b} runs through {hit}"
        # and it starts at the box of the node things came from, ending at the one they went to
        assert abs(points[0][1] - layout.boxes[a][1]) < 1e-6 and abs(points[-1][1] - layout.boxes[b][1]) < 1e-6


def test_chain_plot_draws_copy_of_from_the_original_to_the_copy(store_path):
    from coopgraph.graph.store import open_store
    from coopgraph.queries import chains
    from coopgraph.queries.plot import layout_chains

    found = chains(open_store(store_path).graph(), "Su-27", "J-11")
    layout = layout_chains(found.chains)
    copies = [r for r in layout.routes if "copy_of" in r[2]]
    assert copies
    for key, points, label, _ in copies:
        assert layout.labels[key[0]].startswith("Su-27") and layout.labels[key[1]] == "J-11"
        assert points[0][0] < points[-1][0]  # drawn left to right: Su-27 -> J-11, the way the design went
        assert label.startswith("← copy_of")  # the claim, J-11 copy_of Su-27, reads against the arrow


def test_chain_plot_file_is_written(run, store_path, tmp_path):
    result = run("chains", "--from", "Su-27", "--to", "J-11", "--plot", tmp_path / "c.png", "--store", store_path)
    assert result.exit_code == 0 and (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_timeline_by_month_in_a_window_shows_only_its_months(run, store_path):
    result = run("timeline", "--counts", "--by", "month", "--from-date", "2018", "--to-date", "2018",
                 "--store", store_path, "--csv")
    periods = [row["period"] for row in csv.DictReader(io.StringIO(result.output))]
    assert periods and all(re.fullmatch(r"2018-(\d\d|\?\?)", p) for p in periods), periods
    table = run("timeline", "--counts", "--by", "month", "--from-date", "2018", "--to-date", "2018",
                "--store", store_path).output
    assert "2018-??" in table and "dated to the year only" in table


def test_timeline_legend_colours_are_distinct(store_path):
    from coopgraph.graph.store import open_store
    from coopgraph.queries import timeline, timeline_counts
    from coopgraph.queries.plot import distinct_colours, timeline_figure

    counts = timeline_counts(timeline(open_store(store_path).graph()).rows)
    relations = [c for c in counts.columns if c not in ("period", "total")]
    assert len(relations) > 20
    figure = timeline_figure(counts)
    handles = figure.axes[0].get_legend().legend_handles
    colours = {tuple(round(v, 4) for v in h.get_facecolor()) for h in handles}
    assert len(handles) == len(relations) == len(colours)
    assert len(set(distinct_colours(60))) == 60


# -- output that never hides -----------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["search", "lada"], ["impact", "Su-27", "Su-30"], ["centrality"], ["schema"],
                                  ["lineage", "Su-27"], ["show", "AL-31F"], ["timeline", "--counts"]])
def test_tables_are_never_cut_when_piped(run, store_path, args):
    extra = [] if args == ["schema"] else ["--store", store_path]
    out = run(*args, *extra).output
    assert "…" not in out


def test_piped_tables_keep_every_id_whole(run, store_path):
    rows = json.loads(run("search", "lada", "--store", store_path, "--json").output)
    table = run("search", "lada", "--store", store_path).output
    assert rows and all(row["id"] in table.split() and row["name"] in table for row in rows)


def test_a_terminal_table_wraps_and_never_cuts_an_id():
    from coopgraph.cli.output import table

    rows = [{"id": "program:lada-based-aip", "name": "Advanced Lada-based submarine with "
             "air-independent propulsion, jointly designed", "type": "program"}]
    text = table(rows, width=60)
    assert "…" not in text
    assert "program:lada-based-aip" in text
    assert " ".join(text.split()).count("Lada-based") == 1 and "jointly designed" in " ".join(text.split())
    assert max(len(line) for line in text.splitlines()) <= 60  # wrapped to the width
    narrow = table(rows, width=20)  # narrower than the id: the id stays whole and the table overflows instead
    assert "program:lada-based-aip" in narrow and "…" not in narrow


def test_quantities_show_in_show_and_chains(run, store_path):
    shown = run("show", "AL-31F", "--store", store_path).output
    table = shown.split("deal(s):")[0]
    assert re.search(r"\b150\b", table) and re.search(r"\b140\b", table)  # two contracts, told apart
    chains = " ".join(run("chains", "--from", "AL-31F", "--to", "country:China", "--store", store_path).output.split())
    assert "quantity 150" in chains and "quantity 140" in chains


def test_chains_name_their_documents_and_explain_locators(run, store_path):
    out = run("chains", "--from", "Su-27", "--to", "J-11", "--store", store_path).output
    assert "Documents cited:" in out
    assert "csis-2020-mtc-primer: Alec Blivas, \"Sino-Russian Military-Technical" in out
    assert "en.N = endnote N" in out and "en.20" in out
    document = json.loads(run("chains", "--from", "Su-27", "--to", "J-11", "--store", store_path, "--json").output)
    assert document["documents"]["csis-2020-mtc-primer"]["title"].startswith("Sino-Russian")


# -- forgiving names -----------------------------------------------------------------------------------

def test_a_name_without_its_hyphen_is_taken_and_said(run, store_path):
    result = run("show", "Su27", "--store", store_path)
    assert result.exit_code == 0 and "[system:su-27, weapon_system]" in result.output
    assert "'Su27' taken as Su-27 (system:su-27)" in result.output


def test_search_tolerates_missing_hyphens_and_case(run, store_path):
    for text in ("Su27", "su 27", "SU-27"):
        rows = json.loads(run("search", text, "--store", store_path, "--json").output)
        assert "system:su-27" in [r["id"] for r in rows], text


@pytest.mark.parametrize("args, suggestion", [
    (["show", "Rosteck"], "did you mean Rostec (firm:rostec)?"),
    (["chains", "--from", "country:Rusia"], "did you mean Russian Federation (state:russia)"),
    (["lineage", "Su-72"], "system:su-27"),
])
def test_a_mistyped_name_gets_suggestions_that_work(run, store_path, args, suggestion):
    result = run(*args, "--store", store_path)
    assert result.exit_code == 1 and suggestion in result.output
    assert len(result.output.strip().splitlines()) <= 2
    suggested = re.search(r"\(([a-z_]+:[^)\s]+)\)", result.output[result.output.index("did you mean"):]).group(1)
    assert run("show", suggested, "--store", store_path).exit_code == 0  # the hint itself works


def test_search_that_finds_nothing_suggests_and_exits_zero(run, store_path):
    result = run("search", "Rosteck", "--store", store_path)
    assert result.exit_code == 0 and "did you mean Rostec (firm:rostec)?" in result.output


def test_as_of_before_every_document_says_so(run, store_path):
    result = run("chains", "--as-of", "2015", "--store", store_path)
    assert result.exit_code == 0
    assert "no chains found" in result.output
    assert "no document in the store was published by 2015" in result.output
    assert "2020-03 (csis-2020-mtc-primer)" in result.output


# -- one exit-code contract ------------------------------------------------------------------------------

@pytest.mark.parametrize("args, status", [
    (["chains", "--as-of", "2015"], 0),                       # an empty answer is an answer
    (["search", "Eurofighter"], 0),
    (["show", "Eurofighter"], 1),                              # no such entity
    (["lineage", "Eurofighter"], 1),
    (["chains", "--from", "Eurofighter"], 1),
    (["validate", "/no/such/file.yaml"], 1),
    (["show"], 2),                                             # usage
    (["chains", "--from", "type:frim"], 2),
    (["chains", "--via", "frim"], 2),
    (["neighbours", "Su-27", "--type", "frim"], 2),
    (["timeline", "--relation", "suplies"], 2),
    (["timeline", "--status", "dleivered"], 2),
    (["chains", "--as-of", "20x5"], 2),
    (["show", "Su-27", "--json", "--csv"], 2),
    (["nosuchcommand"], 2),
])
def test_exit_status_follows_the_documented_contract(run, store_path, args, status):
    result = run(*args, "--store", store_path) if args != ["nosuchcommand"] else run(*args)
    assert result.exit_code == status, result.output
    if status:
        assert "Traceback" not in result.output
        error = [line for line in result.output.splitlines() if line.startswith("Error")]
        assert error and len(error[0]) <= 240, error


def test_the_contract_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Exit status"):]
    assert "| 0 |" in section and "| 1 |" in section and "| 2 |" in section


# -- conventions ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("flag, fmt", [("--json", "json"), ("--csv", "csv"), ("--nl", "nl")])
def test_format_shortcuts_match_format(run, store_path, flag, fmt):
    assert run("search", "lada", flag, "--store", store_path).output == \
        run("search", "lada", "--format", fmt, "--store", store_path).output
    assert run("schema", flag).output == run("schema", "--format", fmt).output


def test_nl_is_one_json_object_a_line(run, store_path):
    lines = run("search", "lada", "--nl", "--store", store_path).output.splitlines()
    assert lines and all(json.loads(line)["id"] for line in lines)


MY_CLAIMS = """\
documents:
  - {id: my-source, title: "A report I read", date: "2023-05", publisher: Someone}
claims:
  - subject: state:russia
    relation: supplies
    object: system:su-35
    date: "2023"
    status: delivered
    citations:
      - {document: my-source, locator: p. 12, quote: "Russia delivered more Su-35s to China in 2023."}
"""


def test_dash_reads_standard_input_for_validate_load_and_import(run, store_path):
    assert "ok: 1 documents, 0 entities, 1 claims" in run("validate", "-", "--store", store_path, input=MY_CLAIMS).output
    bad = run("validate", "-", "--store", store_path, input="claims: [{subject: x}]\n")
    assert bad.exit_code == 1 and "<stdin>:1: field 'relation': missing" in bad.output and "coopgraph-stdin" not in bad.output
    loaded = run("load", "-", "--store", store_path, input=MY_CLAIMS)
    assert loaded.exit_code == 0, loaded.output
    from coopgraph.graph.store import open_store

    assert "my-source" in open_store(store_path).dataset(claims=False).documents
    ftm = (FIXTURES / "ftm_small.json").read_text(encoding="utf-8")
    imported = run("import", "ftm", "-", "--dry-run", "--store", store_path, input=ftm)
    assert imported.exit_code == 0 and imported.output.startswith("would import <stdin> (ftm)")


def test_info_prints_path_counts_and_versions(run, store_path):
    from coopgraph.graph.sqlite_store import SCHEMA_VERSION
    from coopgraph.graph.store import open_store
    from coopgraph.loaders.bundled import bundled_version

    text = run("info", "--store", store_path).output
    assert str(store_path) in text and bundled_version() in text
    info = json.loads(run("info", "--store", store_path, "--json").output)
    counts = open_store(store_path).counts()
    assert info["store"] == str(store_path) and info["deals"] == counts["deals"] > 0
    assert info["claims"] == counts["claims"] and info["store layout"] == f"{SCHEMA_VERSION} (this coopgraph writes {SCHEMA_VERSION})"
    assert "entity types" in info["schema"] and info["coopgraph"]


def test_our_json_export_loads_back(run, store_path, mini_store_path, tmp_path):
    from coopgraph.graph.store import open_store

    exported = tmp_path / "graph.json"
    assert run("export", "json", exported, "--store", store_path).exit_code == 0
    source, before = open_store(store_path).dataset(), open_store(mini_store_path).dataset()
    result = run("load", exported, "--store", mini_store_path)
    assert result.exit_code == 0, result.output
    after = open_store(mini_store_path).dataset()
    for part in ("documents", "entities", "deals", "claims"):
        assert set(getattr(source, part)) | set(getattr(before, part)) == set(getattr(after, part)), part
    assert all(after.claims[cid] == claim for cid, claim in source.claims.items())
    again = run("import", "json", exported, "--store", mini_store_path)
    assert again.exit_code == 0 and "imported" in again.output
    assert open_store(mini_store_path).dataset() == after  # the same file twice changes nothing


def test_a_broken_node_link_file_is_a_located_problem(run, store_path, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "coopgraph-node-link", "version": 2, "nodes": [{"id": "x"}]}', encoding="utf-8")
    result = run("load", bad, "--store", store_path)
    assert result.exit_code == 1 and f"{bad}: not a complete coopgraph node-link document" in result.output


def test_graphml_reads_back_with_lists_as_lists(tmp_path):
    from coopgraph.loaders import load_bundled
    from coopgraph.queries.export.graphml import GRAPH_TO_FILE_NAMES, read_graphml_graph, write_graphml

    path = tmp_path / "g.graphml"
    write_graphml(load_bundled(), path)
    graph = read_graphml_graph(path)
    node = graph.nodes["system:su-27"]
    assert isinstance(node.get("aliases", []), list) and not any(k.endswith("_json") for k in node)
    edges = list(graph.edges(keys=True, data=True))
    assert all(isinstance(d["citations"], list) and isinstance(d["citations"][0], dict)
               for _, _, _, d in edges if d["relation"] != "DEAL_ITEM")
    assert isinstance(graph.graph["documents"], list)
    assert GRAPH_TO_FILE_NAMES["edges"]["type"] == "relation"
    assert "read_graphml_graph" in (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")


def test_cypher_query_text_with_parameters():
    from coopgraph.graph.errors import CoopgraphError
    from coopgraph.queries.cypher_pack import parse_query_text, run_query

    class Recorder:
        def run_cypher(self, statement, params):
            self.sent = (statement, params)
            return [{"ok": 1}]

    query = parse_query_text("// who supplies it\n:param id => 'system:su-35';\n"
                             "MATCH (s:Entity)-[:SUPPLIES]->(d:Deal)-[:DEAL_ITEM]->(:Entity {id: $id})\n"
                             "RETURN s.name AS supplier LIMIT $n;\n", "q.cypher")
    store = Recorder()
    assert run_query(store, query, {"n": 5}) == [{"ok": 1}]
    assert store.sent[1] == {"id": "system:su-35", "n": 5} and "$id" in store.sent[0]  # values stay parameters
    with pytest.raises(CoopgraphError, match=r"uses \$n but no value is given; add --param n=VALUE"):
        run_query(Recorder(), query)


@pytest.mark.bolt
def test_cli_cypher_run_reads_a_file_and_standard_input(run, bolt_target, tmp_path):
    from coopgraph.graph.bolt_store import BoltStore
    from coopgraph.loaders import load_bundled

    uri, driver, dialect = bolt_target
    BoltStore(uri, driver=driver, dialect=dialect).write(load_bundled(), replace=True)
    query = tmp_path / "suppliers.cypher"
    query.write_text(":param id => 'system:su-35';\n"
                     "MATCH (s:Entity)-[:SUPPLIES]->(:Deal)-[:DEAL_ITEM]->(:Entity {id: $id})\n"
                     "RETURN DISTINCT s.name AS supplier\n", encoding="utf-8")
    from_file = run("cypher", "run", query, "--uri", uri, "--json")
    assert from_file.exit_code == 0, from_file.output
    assert "Russian Federation" in {r["supplier"] for r in json.loads(from_file.output)}
    statement = "MATCH (e:Entity {id: $id}) RETURN e.name AS name"
    from_stdin = run("cypher", "run", "-", "--param", "id=state:russia", "--uri", uri, "--json", input=statement)
    assert json.loads(from_stdin.output) == [{"name": "Russian Federation"}]
    missing = run("cypher", "run", "-", "--uri", uri, input=statement)
    assert missing.exit_code == 1 and "add --param id=VALUE" in missing.output
    # the example of docs/neo4j.md, as a reader would save and run it
    page = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    example = page.split("For example, `deliveries.cypher`:")[1].split("```cypher\n")[1].split("```")[0]
    (tmp_path / "deliveries.cypher").write_text(example, encoding="utf-8")
    documented = run("cypher", "run", tmp_path / "deliveries.cypher", "--param", "item=system:su-35",
                     "--param", "since=2010", "--uri", uri, "--json")
    assert documented.exit_code == 0, documented.output
    assert "Russian Federation" in {r["supplier"] for r in json.loads(documented.output)}


# -- tests that run from a clone --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ftm", "graphml-xsd", "gexf-xsd", "sipri"])
def test_fixture_copies_have_their_provenance_and_equal_the_shared_data(name):
    copy = FIXTURES / name
    assert (copy / "PROVENANCE.md").is_file()
    if not (SHARED_DATA / name).is_dir():
        pytest.skip(f"../shared/data/{name} is not here to compare with (the copy is what the tests use)")
    for original in (SHARED_DATA / name).iterdir():
        assert hashlib.sha256((copy / original.name).read_bytes()).hexdigest() == \
            hashlib.sha256(original.read_bytes()).hexdigest(), original.name


def test_no_test_reads_the_shared_data_folder_but_the_seed_checks():
    offenders = []
    for path in (ROOT / "tests").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if re.search(r"""["']shared["']""", line) and "seeds" not in line and path.name != "test_newcomer.py":
                # the SIPRI test may compare its copy with the shared original when that is present
                if not line.strip().startswith("SHARED =") and "SHARED" not in line:
                    offenders.append(f"{path.name}: {line.strip()}")
    assert not offenders
    from tests.export.common import GEXF_XSD_DIR, XSD_DIR
    from tests.importers.common import FTM_REAL

    assert FIXTURES in XSD_DIR.parents and FIXTURES in GEXF_XSD_DIR.parents and FIXTURES in FTM_REAL.parents


def test_the_readme_test_command_installs_the_cypher_linter():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = [line for line in readme.splitlines() if "pytest" in line and line.startswith("python3 -m venv")]
    assert command and "npm ci --prefix tools/cypherlint" in command[0]
    assert "npm ci --prefix tools/cypherlint" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


FILE_SUFFIXES = {"sqlite", "yaml", "yml", "json", "md", "csv", "html", "png", "svg", "graphml", "gexf", "cypher", "py"}


def test_every_python_name_the_docs_give_exists():
    import importlib

    missing = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for dotted in sorted(set(re.findall(r"\bcoopgraph(?:\.[A-Za-z_][A-Za-z0-9_]*)+", doc.read_text(encoding="utf-8")))):
            parts = dotted.split(".")
            if parts[-1] in FILE_SUFFIXES:  # a file name (coopgraph.sqlite), not a Python name
                continue
            for cut in range(len(parts), 0, -1):
                try:
                    target = importlib.import_module(".".join(parts[:cut]))
                except ImportError:
                    continue
                try:
                    for attribute in parts[cut:]:
                        target = getattr(target, attribute)
                except AttributeError:
                    missing.append(f"{doc.name}: {dotted}")
                break
            else:
                missing.append(f"{doc.name}: {dotted}")
    assert not missing


def test_docs_document_import_graphml_and_json():
    importers = (ROOT / "docs" / "importers.md").read_text(encoding="utf-8")
    assert "coopgraph import graphml" in importers and "coopgraph import json" in importers


# -- unsafe -------------------------------------------------------------------------------------------------

def test_a_mistyped_store_folder_is_an_error_not_a_new_store(run, tmp_path):
    missing = tmp_path / "nonexistent" / "dir" / "x.sqlite"
    result = run("stats", "--store", missing)
    assert result.exit_code == 1
    assert "no folder" in result.output and str(missing.parent) in result.output
    assert len(result.output.strip().splitlines()) <= 2
    assert not (tmp_path / "nonexistent").exists()  # nothing was created
    assert run("stats", "--store", tmp_path / "new.sqlite").exit_code == 0  # a new file in a folder that exists is fine


def test_exports_and_plots_respect_the_umask(run, store_path, tmp_path):
    import os
    import stat

    previous = os.umask(0o022)
    try:
        assert run("export", "json", tmp_path / "g.json", "--store", store_path).exit_code == 0
        assert run("export", "graphml", tmp_path / "g.graphml", "--store", store_path).exit_code == 0
        assert run("export", "neo4j-csv", tmp_path / "n4j", "--store", store_path).exit_code == 0
        assert run("chains", "--from", "Su-27", "--to", "J-11", "--plot", tmp_path / "c.png",
                   "--store", store_path).exit_code == 0
    finally:
        os.umask(previous)
    for name in ("g.json", "g.graphml", "c.png", "n4j/entities.csv", "n4j/import.sh"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode & 0o644 == 0o644 and not mode & 0o022, (name, oct(mode))
    assert stat.S_IMODE((tmp_path / "n4j").stat().st_mode) == 0o755


def test_a_latin1_terminal_gets_output_not_a_traceback(store_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "COOPGRAPH_STORE": str(store_path)}
    out = subprocess.run([sys.executable, "-m", "coopgraph", "chains", "--from", "Su-27", "--to", "J-11"],
                         capture_output=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr.decode("latin-1")
    text = out.stdout.decode("latin-1")
    assert "Traceback" not in out.stderr.decode("latin-1")
    assert "Su-27 -> J-11" in text and "chain" in text


def test_the_sqlite_store_declares_its_foreign_keys(store_path):
    import sqlite3

    connection = sqlite3.connect(store_path)
    declared = {(table, row[3], row[2], row[4]) for table in ("claims", "citations", "names", "entities", "deals")
                for row in connection.execute(f"PRAGMA foreign_key_list({table})")}
    assert {("claims", "subject", "entities", "id"), ("claims", "object", "entities", "id"),
            ("claims", "deal", "deals", "id"), ("citations", "claim_id", "claims", "id"),
            ("citations", "document", "documents", "id"), ("names", "entity_id", "entities", "id"),
            ("deals", "item", "entities", "id")} <= declared
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert "datasette serve --immutable" in (ROOT / "docs" / "sqlite.md").read_text(encoding="utf-8")


def test_an_ambiguous_name_is_a_short_error_that_says_what_to_do(run, store_path):
    result = run("show", "Su", "--store", store_path)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) <= 2 and all(len(line) <= 160 for line in lines), lines
    assert "system:su-27" in result.output and "coopgraph search Su" in result.output
    assert run("search", "Su", "--store", store_path).exit_code == 0  # and the hint works


def test_load_replace_keeps_the_bundled_deals(run, store_path, tmp_path):
    from coopgraph.graph.store import open_store
    from coopgraph.loaders import load_bundled

    mine = tmp_path / "my-claims.yaml"
    mine.write_text(MY_CLAIMS, encoding="utf-8")
    assert run("load", "--replace", mine, "--store", store_path).exit_code == 0
    deals = open_store(store_path).dataset().deals
    assert set(load_bundled().deals) <= set(deals)  # the README's rebuild must not drop a deal record
