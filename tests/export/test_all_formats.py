"""What every export format promises: the CLI, hostile text, deals, atomic writes, progress."""

from __future__ import annotations

from tests.export.common import (  # shared data and helpers
    json, nx, pytest, CoopgraphError, DEAL_ITEM, load_schema, load_files, validate_records, read_graphml, from_node_link, read_table, EXPORTERS, MINI, hostile_dataset, DEAL_UNUSED, deals_dataset, implied_deals, _dataset_of, _listing, _records, _read_csv, _neo4j_csv_dataset, _cypher_graph, _cypher_dataset, _broken_dataset, _break_writers,
)


def test_hostile_dataset_is_schema_valid():
    ds = hostile_dataset()
    schema = load_schema()
    for claim in ds.claims.values():
        rel = schema.relation(claim.relation)
        assert rel.allows(ds.entities[claim.subject].type, ds.entities[claim.object].type)


def test_deals_dataset_is_what_validation_makes_of_it():
    ds = deals_dataset()
    valid = validate_records(_records(ds), load_schema())
    assert valid.deals == ds.deals and set(valid.claims) == set(ds.claims)   # (validation folds the quotes' spaces)
    assert all(valid.claims[cid].deal == c.deal for cid, c in ds.claims.items())
    assert len(ds.deals) == 3 and len(implied_deals(ds)) == 3   # the one-sentence pair is one implied deal


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_format_exports_the_mini_store_from_the_cli(run, mini_store_path, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    result = run("export", fmt, out, "--store", mini_store_path)
    assert result.exit_code == 0, result.output
    assert out.exists() and (out.is_dir() or out.stat().st_size > 0)
    assert f"wrote {out}:" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_hostile_text_survives_every_format(tmp_path, fmt):
    ds = hostile_dataset()
    out = tmp_path / f"out.{fmt}"
    EXPORTERS[fmt](ds, out)
    files = sorted(out.iterdir()) if out.is_dir() else [out]
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out, read_only=True)
        text = "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    else:
        text = "".join(f.read_text(encoding="utf-8") for f in files)
    # the non-Latin names appear as they are in every format
    for name in ("Рособоронэкспорт", "中国航空工业集团"):
        assert name in text, fmt
    # and each format reads back to the same names
    readers = {
        "graphml": lambda: {e.name for e in read_graphml(out).entities.values()},
        "gexf": lambda: {d["label"] for _, d in nx.read_gexf(out, version="1.3").nodes(data=True) if d["type"] != "Deal"},
        "json": lambda: {n["name"] for n in json.loads(out.read_text(encoding="utf-8"))["nodes"] if n["type"] != "Deal"},
        "neo4j-csv": lambda: {r["name"] for r in _read_csv(out / "entities.csv")[1]},
        "cypher": lambda: {e["name"] for e in _cypher_graph(out.read_text(encoding="utf-8"))[1].values()},
        "csv": lambda: {e.name for e in read_table(out).entities.values()},
        "xlsx": lambda: {e.name for e in read_table(out).entities.values()},
    }
    names = {e.name for e in ds.entities.values()}
    if fmt == "csv":  # the claims table names only the entities that have claims
        names = {ds.entities[i].name for c in ds.claims.values() for i in (c.subject, c.object)}
    assert readers[fmt]() == names


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_format_keeps_the_deals(tmp_path, fmt):
    """Each claim's deal and each deal record survive; a reader gives implied deals back as none."""
    ds = deals_dataset()
    out = tmp_path / ("neo" if fmt == "neo4j-csv" else f"out.{fmt}")
    result = EXPORTERS[fmt](ds, out)
    readers = {
        "graphml": lambda: read_graphml(out),
        "json": lambda: from_node_link(json.loads(out.read_text(encoding="utf-8"))),
        "neo4j-csv": lambda: _neo4j_csv_dataset(out, "\x1f" if "U+001F" in result["command"] else ";"),
        "cypher": lambda: _cypher_dataset(out.read_text(encoding="utf-8")),
        "csv": lambda: read_table(out),
        "xlsx": lambda: read_table(out),
    }
    if fmt == "gexf":  # no reader: the deal nodes and each claim's deal are there
        g = nx.read_gexf(out, version="1.3")
        assert {n for n, t in g.nodes(data="type") if t == "Deal"} == set(ds.deals) | implied_deals(ds)
        assert {d["id"]: d.get("deal") for _, _, d in g.edges(data=True) if d["relation"] != DEAL_ITEM} == {
            cid: c.deal for cid, c in ds.claims.items()}
        return
    back = readers[fmt]()
    assert {cid: c.deal for cid, c in back.claims.items()} == {cid: c.deal for cid, c in ds.claims.items()}
    assert back.claims == ds.claims
    expected = {k: v for k, v in ds.deals.items() if fmt != "csv" or k != DEAL_UNUSED}   # csv: deals with claims
    assert back.deals == expected
    assert not set(back.deals) & implied_deals(ds)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_an_error_mid_write_leaves_no_file_and_no_temp_file(tmp_path, fmt, monkeypatch):
    _break_writers(monkeypatch)
    out = tmp_path / "sub" / f"out.{fmt}"
    with pytest.raises((CoopgraphError, TypeError)):
        EXPORTERS[fmt](_broken_dataset(), out)
    assert not out.exists()
    assert _listing(out.parent) == []


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_an_error_keeps_the_earlier_export(tmp_path, fmt, monkeypatch):
    out = tmp_path / f"out.{fmt}"
    EXPORTERS[fmt](_dataset_of(MINI), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()} if out.is_dir() else out.read_bytes()
    _break_writers(monkeypatch)
    with pytest.raises((CoopgraphError, TypeError)):
        EXPORTERS[fmt](_broken_dataset(), out)
    after = {p.name: p.read_bytes() for p in out.iterdir()} if out.is_dir() else out.read_bytes()
    assert after == before
    assert _listing(tmp_path) == [out.name]


def test_cli_error_exits_1_and_writes_nothing(run, mini_store_path, tmp_path):
    out = tmp_path / "x.graphml"
    result = run("export", "graphml", out, "--store", mini_store_path, "--around", "Eurofighter")
    assert result.exit_code == 1 and "no entity matches 'Eurofighter'" in result.output
    assert not out.exists()


def test_cli_usage_errors(run, mini_store_path, tmp_path):
    assert run("export", "graphml", tmp_path / "g", "--store", mini_store_path, "--depth", "2").exit_code == 2
    assert run("export", "graphml", tmp_path / "g", "--store", mini_store_path, "--chains-from", "ZM").exit_code == 2
    assert run("export", "graphml", tmp_path, "--store", mini_store_path).exit_code == 2
    assert run("export", "graphml", tmp_path / "g", "--store", mini_store_path, "--type", "frim").exit_code == 2
    assert run("export", "dot", tmp_path / "g", "--store", mini_store_path).exit_code == 2


def test_cli_standard_output(run, mini_store_path):
    result = run("export", "graphml", "-", "--store", mini_store_path)
    assert result.exit_code == 0 and result.stdout.startswith("<?xml") and "</graphml>" in result.stdout
    assert run("export", "cypher", "-", "--store", mini_store_path).stdout.startswith("// coopgraph")
    for fmt in ("xlsx", "neo4j-csv"):
        result = run("export", fmt, "-", "--store", mini_store_path)
        assert result.exit_code == 1 and ("standard output" in result.output or "not '-'" in result.output)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_writer_reports_its_progress_through_the_claims(tmp_path, fmt):
    data = load_files([MINI])
    seen = []
    target = tmp_path / ("out" if fmt == "neo4j-csv" else f"out.{fmt}")
    EXPORTERS[fmt](data, target, progress=lambda done, total, what: seen.append((done, total, what)))
    assert seen and seen[-1] == (len(data.claims), len(data.claims), "claims")


def test_export_on_the_cli_is_quiet_when_asked(run, mini_store_path, tmp_path):
    result = run("export", "graphml", tmp_path / "g.graphml", "--quiet", "--store", mini_store_path)
    assert result.exit_code == 0, result.output
    assert "exporting" not in result.output and (tmp_path / "g.graphml").exists()


def test_the_registry_holds_each_format_once_with_its_reader(tmp_path):
    from coopgraph.loaders import load_bundled
    from coopgraph.queries.export import EXPORT_FORMATS

    data = load_bundled()
    assert [f.name for f in EXPORT_FORMATS.values() if f.directory] == ["neo4j-csv"]
    for name, fmt in EXPORT_FORMATS.items():
        if fmt.reader is None:
            continue
        out = tmp_path / f"bundled.{name}"
        fmt.writer(data, out)
        back = fmt.reader(out)
        if name == "csv":  # one table: the claims and their deals come back whole
            assert back.claims == data.claims and set(back.deals) <= set(data.deals)
        else:
            assert back == data, name
