"""neo4j-admin CSV: the import tool's headers, array delimiters, hostile text, deals, the directory."""

from __future__ import annotations

from tests.export.common import (  # shared data and helpers
    json, Citation, load_schema, neo, MINI, HOSTILE, hostile_dataset, DEAL_SALE, deals_dataset, implied_deals, _dataset_of, _listing, _deal_node_count, _keyed_without_record, _read_csv, _neo4j_csv_dataset,
)


def test_neo4j_csv_headers_follow_the_import_tool_format(run, mini_store_path, tmp_path):
    out = tmp_path / "neo"
    result = run("export", "neo4j-csv", out, "--store", mini_store_path)
    assert result.exit_code == 0, result.output
    assert _listing(out) == sorted(neo.FILES)
    header, entities = _read_csv(out / "entities.csv")
    assert header[:2] == ["id:ID(Entity)", ":LABEL"] and "aliases:string[]" in header
    header, documents = _read_csv(out / "documents.csv")
    assert header[:2] == ["id:ID(Document)", ":LABEL"] and {d[":LABEL"] for d in documents} == {"Document"}
    header, deals = _read_csv(out / "deals.csv")
    assert header[:4] == ["id:ID(Deal)", ":LABEL", "implied:boolean", "has_record:boolean"]
    assert [(d["id:ID(Deal)"], d[":LABEL"], d["has_record:boolean"]) for d in deals] == [
        ("deal:rur-faf-falcon-2001", "Deal", "true")]
    header, rels = _read_csv(out / "relationships.csv")
    assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert {"confidence:double", "year:int", "month:int", "day:int", "circa:boolean", "quantity:long",
            "documents:string[]", "locators:string[]", "quotes:string[]"} <= set(header)
    suppliers_header, suppliers = _read_csv(out / "deal_suppliers.csv")
    assert suppliers_header[:3] == [":START_ID(Entity)", ":END_ID(Deal)", ":TYPE"]
    recipients_header, recipients = _read_csv(out / "deal_recipients.csv")
    assert recipients_header[:3] == [":START_ID(Deal)", ":END_ID(Entity)", ":TYPE"]
    items_header, items = _read_csv(out / "deal_items.csv")
    assert items_header == [":START_ID(Deal)", ":END_ID(Entity)", ":TYPE"]
    assert items == [{":START_ID(Deal)": "deal:rur-faf-falcon-2001", ":END_ID(Entity)": "system:falcon",
                      ":TYPE": "DEAL_ITEM"}]
    for h in header + suppliers_header + recipients_header + list(neo.ENTITY_HEADER) + list(neo.DOCUMENT_HEADER) \
            + list(neo.DEAL_HEADER):
        name, _, kind = h.partition(":")
        assert kind in ("", "ID(Entity)", "ID(Document)", "ID(Deal)", "LABEL", "START_ID(Entity)", "END_ID(Entity)",
                        "START_ID(Deal)", "END_ID(Deal)", "TYPE", "int", "long", "double", "boolean", "string[]"), h
    schema = load_schema()
    ds = _dataset_of(MINI)
    assert {e["id:ID(Entity)"]: e[":LABEL"] for e in entities} == {
        e.id: "Entity;" + schema.label(e.type) for e in ds.entities.values()}
    claims = rels + suppliers + recipients
    assert {r["claim_id"]: r[":TYPE"] for r in claims} == {cid: schema.rel_type(c.relation) for cid, c in ds.claims.items()}
    falcon = [r for r in recipients if r["relation"] == "transferred_to"][0]
    assert (falcon[":START_ID(Deal)"], falcon[":END_ID(Entity)"]) == ("deal:rur-faf-falcon-2001",
                                                                       "service:freedonian-air-force")
    assert (falcon["subject"], falcon["object"], falcon["deal"]) == ("system:falcon", "service:freedonian-air-force",
                                                                     "deal:rur-faf-falcon-2001")
    assert (falcon["year:int"], falcon["month:int"], falcon["day:int"], falcon["quantity:long"]) == ("2001", "6", "", "12")
    assert falcon["circa:boolean"] == "false" and falcon["value_estimate:boolean"] == "true"
    assert [(r[":START_ID(Entity)"], r[":END_ID(Deal)"]) for r in suppliers] == [("state:ruritania",
                                                                                  "deal:rur-faf-falcon-2001")]
    # the exact command, on standard output
    command = result.stdout.strip().splitlines()[-1]
    assert command == f"neo4j-admin database import full --nodes={out}/entities.csv --nodes={out}/documents.csv " \
                      f"--nodes={out}/deals.csv --relationships={out}/relationships.csv " \
                      f"--relationships={out}/deal_suppliers.csv --relationships={out}/deal_recipients.csv " \
                      f"--relationships={out}/deal_items.csv neo4j"
    assert "--relationships=deal_items.csv neo4j" in (out / "import.sh").read_text()
    assert _neo4j_csv_dataset(out, ";") == ds


def test_neo4j_csv_picks_a_free_array_delimiter_and_says_so(tmp_path):
    ds = hostile_dataset()  # aliases hold ; | ^ ~, so only U+001F is free
    result = neo.write_neo4j_csv(ds, tmp_path / "neo")
    assert "--array-delimiter=U+001F" in result["command"] and "--multiline-fields=true" in result["command"]
    assert neo.choose_array_delimiter(["a", "b"]) == ";"


def test_neo4j_csv_round_trips_hostile_text(tmp_path):
    ds = hostile_dataset()
    out = tmp_path / "neo"
    result = neo.write_neo4j_csv(ds, out)
    delim = "\x1f" if "U+001F" in result["command"] else ";"
    _, entities = _read_csv(out / "entities.csv")
    for row in entities:
        entity = ds.entities[row["id:ID(Entity)"]]
        assert row["name"] == entity.name
        assert (row["aliases:string[]"].split(delim) if row["aliases:string[]"] else []) == list(entity.aliases)
        assert (row["description"] or None) == entity.description
        assert json.loads(row["attributes"] or "{}") == entity.attributes
    _, documents = _read_csv(out / "documents.csv")
    assert {d["id:ID(Document)"]: d["title"] for d in documents} == {d.id: d.title for d in ds.documents.values()}
    rels = [row for name in ("relationships.csv", "deal_suppliers.csv", "deal_recipients.csv")
            for row in _read_csv(out / name)[1]]
    assert len(rels) == len(ds.claims)
    for row in rels:
        claim = ds.claims[row["claim_id"]]
        assert (row.get("subject") or row[":START_ID(Entity)"], row.get("object") or row[":END_ID(Entity)"]) == (
            claim.subject, claim.object)
        quotes = row["quotes:string[]"].split(delim)
        assert quotes == [c.quote for c in claim.citations]
        assert row["locators:string[]"].split(delim) == [c.locator for c in claim.citations]
        assert [Citation(**c) for c in json.loads(row["citations"])] == list(claim.citations)
        assert (row["notes"] or None) == claim.notes and (row["key"] or None) == claim.key
        assert float(row["confidence:double"]) == claim.confidence
    assert _neo4j_csv_dataset(out, delim) == ds


def test_neo4j_csv_carries_every_deal(tmp_path):
    for ds in (deals_dataset(), _keyed_without_record()):
        out = tmp_path / "neo"
        result = neo.write_neo4j_csv(ds, out)
        delim = "\x1f" if "U+001F" in result["command"] else ";"
        deals = _deal_node_count(ds)
        assert (result["deals"], result["deal_items"], result["relationships"]) == (deals, deals, len(ds.claims))
        assert _neo4j_csv_dataset(out, delim) == ds
        _, rows = _read_csv(out / "deals.csv")
        implied = {r["id:ID(Deal)"] for r in rows if r["implied:boolean"] == "true"}
        assert implied == implied_deals(ds)
        assert all(r["has_record:boolean"] == "false" and r["item"] == "system:evil" for r in rows
                   if r["id:ID(Deal)"] in implied)
        sale = [r for r in rows if r["id:ID(Deal)"] == DEAL_SALE][0]
        assert (sale["variant"], sale["name"], sale["notes"], sale["label"]) == (
            HOSTILE[0], HOSTILE[6], ds.deals[DEAL_SALE].notes, HOSTILE[6])


def test_neo4j_csv_refuses_a_directory_with_other_files(run, mini_store_path, tmp_path):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("export", "neo4j-csv", out, "--store", mini_store_path)
    assert result.exit_code == 1 and "holds other files" in result.output
    assert _listing(out) == ["keep.txt"]
    assert _listing(tmp_path) == ["busy", "mini.sqlite"]


def test_neo4j_csv_replaces_an_earlier_export(run, mini_store_path, tmp_path):
    out = tmp_path / "neo"
    assert run("export", "neo4j-csv", out, "--store", mini_store_path).exit_code == 0
    assert run("export", "neo4j-csv", out, "--store", mini_store_path, "--type", "state").exit_code == 0
    _, rels = _read_csv(out / "relationships.csv")
    assert rels == []
    assert _listing(tmp_path) == ["mini.sqlite", "neo"]
