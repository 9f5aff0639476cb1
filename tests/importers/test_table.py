"""The csv/xlsx importer with a column mapping: names resolve, rows are cited, deals tie sides."""

from __future__ import annotations

from tests.importers.common import (  # shared data and helpers
    pytest, open_store, Mapping, import_file, SIPRI, FTM, claims_where, write_csv, DEALS,
)


def test_table_with_map_and_set_resolves_names_and_cites_rows(run, store_path, tmp_path):
    path = write_csv(tmp_path / "My deals.csv", DEALS[:2])
    result = run("import", "csv", path, "--map", "subject=Supplier", "--map", "object=Recipient", "--map", "date=Year",
                 "--map", "quantity=Units", "--set", "relation=arms_transfers_to", "--doc-date", "2024-03",
                 "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "Russia -> state:russia" in result.output
    store = open_store(store_path)
    claim = claims_where(store, subject="state:russia", relation="arms_transfers_to", object="state:china", start="2015")[0]
    assert claim.end == "2019" and claim.quantity == 24
    assert claim.citations[0].document == "my-deals.csv"
    assert claim.citations[0].locator == "row 2"
    assert claim.citations[0].quote == "Supplier=Russia; Recipient=China; Year=2015-2019; Units=24; Kind=firm"
    doc = store.dataset().documents["my-deals.csv"]
    assert (doc.kind, doc.date, doc.title) == ("spreadsheet", "2024-03", "My deals.csv")


def test_table_unresolved_names_are_errors_with_row_and_column(run, store_path, tmp_path):
    path = write_csv(tmp_path / "deals.csv", DEALS)
    before = store_path.read_bytes()
    result = run("import", "csv", path, "--map", "subject=Supplier", "--map", "object=Recipient",
                 "--set", "relation=cooperates_with", "--store", store_path)
    assert result.exit_code == 1
    assert (f"{path}:3: field 'object': 'Zenith Arms' (column 'Recipient') matches no entity "
            "(fix: add it to the store first, pass --create-entities TYPE, or --map object_type=COLUMN)") in result.output
    assert store_path.read_bytes() == before


def test_table_creates_entities_from_a_type_column_and_keeps_circa(store_path, tmp_path):
    path = write_csv(tmp_path / "deals.csv", DEALS)
    store = open_store(store_path)
    mapping = Mapping.from_options(["subject=Supplier", "object=Recipient", "date=Year", "object_type=Kind"],
                                   ["relation=cooperates_with"], doc_date="2024")
    report = import_file(store, "csv", path, mapping=mapping)
    assert report.created == [("firm:zenith-arms", "Zenith Arms", "row 3, column 'Recipient'")]
    assert report.resolved["russian federation"] == "state:russia"
    claim = claims_where(store, subject="state:russia", object="firm:zenith-arms")[0]
    assert claim.date == "2014" and claim.circa is True


def test_table_mapping_file_and_xlsx(store_path, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Transfers"
    sheet.append(["Seller", "Item", "Year", "Role"])
    sheet.append(["Russia", "S-400", 2015, "exporter"])
    sheet.append(["Russia", "Su-35", 2016.0, "exporter"])
    book.save(tmp_path / "transfers.xlsx")
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text("map: {subject: Seller, object: Item, date: Year, attr.role: Role}\n"
                            "set: {relation: supplies, status: contracted}\nsheet: Transfers\n"
                            "document: {title: Our transfers, date: 2024-05}\n", encoding="utf-8")
    store = open_store(store_path)
    report = import_file(store, "xlsx", tmp_path / "transfers.xlsx", mapping=Mapping.from_file(mapping_file))
    assert report.counts["claims"] == 2
    claim = claims_where(store, subject="state:russia", relation="supplies", object="system:su-35", date="2016",
                         status="contracted")[0]
    assert claim.attributes == {"role": "exporter"} and claim.citations[0].locator == "row 3"
    assert store.dataset().documents["transfers.xlsx"].title == "Our transfers"


def test_table_mapping_naming_a_missing_column_is_an_error(run, store_path, tmp_path):
    path = write_csv(tmp_path / "deals.csv", DEALS)
    result = run("import", "csv", path, "--map", "subject=Suplier", "--map", "object=Recipient",
                 "--set", "relation=supplies", "--store", store_path)
    assert result.exit_code == 1
    assert f"{path}:1: field 'subject': no column 'Suplier' in the header (fix: did you mean 'Supplier'?)" in result.output


def test_hostile_strings_survive(store_path, tmp_path):
    hostile = ["Robert'); DROP TABLE claims;--", 'Quote "inside" <script>alert(1)</script>',
               "=HYPERLINK(\"http://x\")", "Ünïcödé 名前 \u202eevil", "tab\there"]
    rows = [["Seller", "Buyer", "Note"]] + [[name, "Russia", f"{name}\nsecond line"] for name in hostile]
    path = write_csv(tmp_path / "hostile.csv", rows)
    store = open_store(store_path)
    import_file(store, "csv", path, mapping=Mapping.from_options(
        ["subject=Seller", "object=Buyer", "notes=Note"], ["relation=cooperates_with"], create="firm", doc_date="2024"))
    data = store.dataset()
    names = {e.name for e in data.entities.values() if e.type == "firm"}
    for name in hostile:
        clean = " ".join(name.split())
        assert clean in names
        claim = [c for c in data.claims.values() if c.subject in data.entities and data.entities[c.subject].name == clean][0]
        assert claim.notes == f"{clean} second line" and f"Seller={clean}" in claim.citations[0].quote
    assert store.counts()["claims"] > 0  # the table is still there
    again = store.dataset()
    import_file(store, "csv", path, mapping=Mapping.from_options(
        ["subject=Seller", "object=Buyer", "notes=Note"], ["relation=cooperates_with"], create="firm", doc_date="2024"))
    assert store.dataset() == again


def test_table_deal_column_ties_both_sides_of_a_transfer(run, store_path, tmp_path):
    sold = write_csv(tmp_path / "sold.csv", [["Seller", "Item", "Year", "Deal"],
                                             ["Russia", "Su-35", "2015", "RU-CN Su-35 2015"],
                                             ["Russia", "S-400", "2014", ""]])
    bought = write_csv(tmp_path / "bought.csv", [["Item", "Buyer", "Year", "Deal"],
                                                 ["Su-35", "China", "2015", "RU-CN Su-35 2015"]])
    result = run("import", "csv", sold, "--map", "subject=Seller", "--map", "object=Item", "--map", "date=Year",
                 "--map", "deal=Deal", "--set", "relation=supplies", "--doc-date", "2024", "--store", store_path)
    assert result.exit_code == 0, result.output
    result = run("import", "csv", bought, "--map", "subject=Item", "--map", "object=Buyer", "--map", "date=Year",
                 "--map", "deal=Deal", "--set", "relation=transferred_to", "--doc-date", "2024", "--store", store_path)
    assert result.exit_code == 0, result.output
    store = open_store(store_path)
    deal = store.dataset().deals["deal:ru-cn-su-35-2015"]  # the cell, slugged
    assert (deal.supplier, deal.item, deal.recipient) == ("state:russia", "system:su-35", "state:china")
    tied = [c for c in store.dataset().claims.values() if c.deal == "deal:ru-cn-su-35-2015"]
    assert {(c.relation, c.citations[0].document) for c in tied} >= {("supplies", "sold.csv"),
                                                                     ("transferred_to", "bought.csv")}
    untied = claims_where(store, subject="state:russia", relation="supplies", object="system:s-400", date="2014")
    assert len(untied) == 1 and untied[0].deal is None  # an empty cell: its implied deal


def test_table_deal_must_agree_and_belong_to_a_transfer(run, store_path, tmp_path):
    path = write_csv(tmp_path / "sold.csv", [["Seller", "Item", "Deal"], ["Russia", "Su-35", "d1"],
                                             ["Russia", "S-400", "d1"]])
    before = store_path.read_bytes()
    result = run("import", "csv", path, "--map", "subject=Seller", "--map", "object=Item", "--map", "deal=Deal",
                 "--set", "relation=supplies", "--store", store_path)
    assert result.exit_code == 1
    assert f"{path}:3: field 'object': claim of deal 'deal:d1' names item system:s-400" in result.output
    states = write_csv(tmp_path / "states.csv", DEALS[:2])
    result = run("import", "csv", states, "--map", "subject=Supplier", "--map", "object=Recipient", "--set", "deal=d2",
                 "--set", "relation=arms_transfers_to", "--store", store_path)
    assert result.exit_code == 1
    assert f"{states}:2: field 'deal': a 'arms_transfers_to' claim is not part of a transfer" in result.output
    assert store_path.read_bytes() == before


def test_import_dry_run_writes_nothing_and_mapping_options_need_csv(run, store_path):
    before = store_path.read_bytes()
    assert run("import", "ftm", FTM, "--store", store_path, "--dry-run").exit_code == 0
    assert store_path.read_bytes() == before
    result = run("import", "sipri", SIPRI, "--map", "subject=Supplier", "--store", store_path)
    assert result.exit_code == 2 and "only apply to csv and xlsx" in result.output
    assert run("import", "geojson", SIPRI, "--store", store_path).exit_code == 2
