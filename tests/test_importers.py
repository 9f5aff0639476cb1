"""Importers (csv/xlsx with a mapping, SIPRI trade register, FollowTheMoney) and merge decisions."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coopgraph.graph.store import open_store
from coopgraph.loaders.import_table import Mapping
from coopgraph.loaders.importers import import_file
from coopgraph.loaders.resolve_names import merge_entities, unmerge_entity
from tests.conftest import FIXTURES

SIPRI = FIXTURES / "sipri_small.csv"
FTM = FIXTURES / "ftm_small.json"
REGISTER = FIXTURES / "sipri" / "trade-register.csv"  # real: a byte-identical copy of ../shared/data/sipri
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def claims_where(store, **fields):
    return [c for c in store.dataset().claims.values() if all(getattr(c, k) == v for k, v in fields.items())]


# -- SIPRI -----------------------------------------------------------------------------


def test_sipri_rows_become_dated_cited_claims(store_path):
    store = open_store(store_path)
    before = store.counts()
    report = import_file(store, "sipri", SIPRI)
    assert report.rows == 5
    # 4 rows x (supplies + transferred_to) x (order + delivery), the unknown supplier's row only transferred_to
    assert report.counts == {"documents": 1, "entities": 5, "deals": 5, "claims": 18}
    assert store.counts()["claims"] == before["claims"] + 18
    doc = store.dataset().documents["sipri-trade-register-2024-10-13"]
    assert (doc.kind, doc.date) == ("register", "2024-10-13") and "SIPRI" in doc.publisher

    order = claims_where(store, subject="state:russia", relation="supplies", object="system:su-35", date="2015")
    assert len(order) == 1 and order[0].status == "contracted" and order[0].quantity == 24
    assert order[0].attributes["recipient"] == "China" and order[0].attributes["tiv_total_order"] == 1200
    cite = order[0].citations[0]
    assert cite.locator == "line 8" and cite.quote.startswith("China,Russia,2015,,24,,Su-35")
    delivered = claims_where(store, subject="system:su-35", relation="transferred_to", object="state:china", start="2016")
    assert len(delivered) == 1 and delivered[0].end == "2018" and delivered[0].status == "delivered"
    assert delivered[0].quantity == 24


def test_sipri_uncertainty_is_kept_not_dropped(store_path):
    store = open_store(store_path)
    import_file(store, "sipri", SIPRI)
    order = claims_where(store, subject="state:russia", relation="supplies", object="system:mi-17", date="2019")
    assert len(order) == 1
    assert order[0].circa is True and order[0].confidence == 0.6
    assert order[0].attributes["number_ordered_uncertain"] is True and "uncertain" in order[0].notes
    deliveries = claims_where(store, subject="system:mi-17", relation="transferred_to", object="state:china", start="2023")
    assert len(deliveries) == 1
    assert deliveries[0].status == "in_progress" and deliveries[0].quantity == 12
    assert deliveries[0].attributes["number_delivered_uncertain"] is True and "12 of 20" in deliveries[0].notes


def test_sipri_latin1_broken_record_unknown_supplier_and_new_entities(store_path):
    store = open_store(store_path)
    report = import_file(store, "sipri", SIPRI)
    created = {eid: name for eid, name, _ in report.created}
    assert created == {"system:epee-9": "Épée-9", "state:freedonia": "Freedonia", "state:ruritania": "Ruritania",
                       "system:hawk-x": "Hawk-X", "system:type-99x": "Type-99X"}
    assert report.resolved == {"Su-35": "system:su-35", "China": "state:china", "Russia": "state:russia",
                               "Mi-17": "system:mi-17"}
    broken = claims_where(store, subject="state:china", relation="supplies", object="system:type-99x")
    assert {c.citations[0].locator for c in broken} == {"lines 12-13"}
    late = [c for c in broken if c.start == "2012"][0]
    assert late.status == "delivered" and late.quantity == 6 and "6 of 10" in late.notes
    assert late.attributes["tiv_delivered"] == 18
    assert [w for w, _ in report.skipped] == ["line 11"]
    assert not claims_where(store, relation="supplies", object="system:hawk-x")
    assert len(claims_where(store, relation="transferred_to", object="state:freedonia", subject="system:hawk-x")) == 2


def test_sipri_import_twice_changes_nothing(store_path):
    store = open_store(store_path)
    import_file(store, "sipri", SIPRI)
    once = store.dataset()
    second = import_file(store, "sipri", SIPRI)
    assert store.dataset() == once
    assert second.created == [] and "Freedonia" in second.resolved


def test_sipri_malformed_row_is_located_and_nothing_is_written(run, store_path, tmp_path):
    bad = tmp_path / "register.csv"
    text = SIPRI.read_bytes().decode("latin-1").replace("China,Russia,2019,?,20", "China,Russia,20x9,?,2O")
    bad.write_bytes(text.encode("latin-1"))
    before = store_path.read_bytes()
    result = run("import", "sipri", bad, "--store", store_path)
    assert result.exit_code == 1
    assert f"{bad}:9: field 'Year of order': '20x9' is not a year (fix:" in result.output
    assert f"{bad}:9: field 'Number ordered': '2O' is not a whole number" in result.output
    assert "nothing was written" in result.output
    assert store_path.read_bytes() == before


def test_sipri_without_header_is_a_clear_error(run, store_path, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("just,some,cells\n1,2,3\n", encoding="utf-8")
    result = run("import", "sipri", bad, "--store", store_path)
    assert result.exit_code == 1
    assert "no header line naming Recipient, Supplier and Weapon designation" in result.output


REGISTER_HEAD = ("Source: SIPRI Arms Transfers Database (c) SIPRI.\nData generated: 13 Oct 2024 2:20:11 PM\n"
                 "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
                 "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
                 "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n")


def write_register(path: Path, rows: list[str]) -> Path:
    path.write_bytes((REGISTER_HEAD + "\n".join(rows) + "\n").encode("latin-1"))
    return path


def test_sipri_every_row_is_one_deal(store_path):
    from coopgraph.loaders.import_sipri import deal_id

    store = open_store(store_path)
    import_file(store, "sipri", SIPRI)
    data = store.dataset()
    sipri = [c for c in data.claims.values() if c.key and c.key.startswith("sipri ")]
    assert len(sipri) == 18 and all(c.deal and c.deal.startswith("deal:sipri-") for c in sipri)
    by_row: dict[str, set[str]] = {}
    for claim in sipri:
        by_row.setdefault(claim.attributes["sipri_row"], set()).add(claim.deal)
    assert len(by_row) == 5 and all(len(deals) == 1 for deals in by_row.values())  # one deal a row
    assert len({d for deals in by_row.values() for d in deals}) == 5                 # and a deal of its own
    su35 = claims_where(store, subject="state:russia", relation="supplies", object="system:su-35", date="2015")[0]
    assert su35.deal == deal_id("Russia", "China", "Su-35", "2015", su35.attributes["sipri_row"])
    assert su35.deal.startswith("deal:sipri-russia-china-su-35-2015-")
    deal = data.deals[su35.deal]
    assert (deal.supplier, deal.item, deal.recipient) == ("state:russia", "system:su-35", "state:china")
    row = su35.attributes["sipri_row"]
    assert {c.deal for c in sipri if c.attributes["sipri_row"] == row and c.relation == "transferred_to"} == {su35.deal}
    hawk = data.deals[claims_where(store, subject="system:hawk-x", relation="transferred_to")[0].deal]
    assert (hawk.supplier, hawk.item, hawk.recipient) == (None, "system:hawk-x", "state:freedonia")
    graph = store.graph()  # the graph's deals: each row's claims together, nothing joined across rows
    assert graph.graph["deals"][su35.deal]["suppliers"] == ["state:russia"]
    assert graph.graph["deals"][su35.deal]["recipients"] == ["state:china"]
    assert len(graph.graph["deals"][su35.deal]["claims"]) == 4


def test_sipri_two_orders_of_one_system_are_two_deals(store_path, tmp_path):
    path = write_register(tmp_path / "register.csv", [
        "Freedonia,Ruritania,2001,,4,,Falcon-9X,fighter aircraft,4,,2003,New,,10,40,40",
        "Freedonia,Ruritania,2010,,6,,Falcon-9X,fighter aircraft,6,,2012,New,,10,60,60",
        "Freedonia,Ruritania,2010,,6,,Falcon-9X,fighter aircraft,6,,2012,New,,10,60,60"])  # listed twice
    store = open_store(store_path)
    report = import_file(store, "sipri", path)
    assert report.counts["deals"] == 2
    deals = [d for d in store.dataset().deals.values() if d.item == "system:falcon-9x"]
    assert sorted(d.id.rsplit("-", 2)[1] for d in deals) == ["2001", "2010"]
    assert {(d.supplier, d.recipient) for d in deals} == {("state:ruritania", "state:freedonia")}


def test_sipri_deal_ids_are_stable_across_reimports(store_path, tmp_path):
    store = open_store(store_path)
    first = import_file(store, "sipri", SIPRI)
    once = store.dataset()
    copy = tmp_path / "copy of the register.csv"
    copy.write_bytes(SIPRI.read_bytes())
    second = import_file(store, "sipri", copy)  # the same rows from another path
    assert store.dataset() == once
    assert first.counts["deals"] == second.counts["deals"] == 5


def test_sipri_variant_from_the_comments(store_path, tmp_path):
    from coopgraph.graph.model import Dataset, Entity
    from coopgraph.loaders.import_sipri import read_sipri
    from coopgraph.loaders.resolve_names import NameIndex

    path = write_register(tmp_path / "register.csv", [
        "China,Russia,1999,,38,,Su-30,FGA aircraft,38,,2000; 2001,New,$1.8 b deal; Su-30MKK version,35,1330,1330",
        "China,Russia,2003,,24,,Su-30MK2,FGA aircraft,24,,2004,New,,35,840,840",
        "China,Russia,2005,,10,,Su-30,FGA aircraft,10,,2006,New,in several versions,35,350,350"])
    su30 = Entity("system:su-30", "weapon_system", "Su-30", ("Su-30MK2",))
    records, _ = read_sipri(path, NameIndex(Dataset(entities={su30.id: su30})))
    deals = [r.data for r in records if r.kind == "deals"]
    assert [(d["item"], d.get("variant")) for d in deals] == [
        ("system:su-30", "Su-30MKK"),   # the comments name the version
        ("system:su-30", "Su-30MK2"),   # the designation is a longer name of the entity it resolved to
        ("system:su-30", None)]
    store = open_store(store_path)
    import_file(store, "sipri", path)
    stored = [d for d in store.dataset().deals.values() if d.id.startswith("deal:sipri-russia-china-su-30-1999-")]
    assert [d.variant for d in stored] == ["Su-30MKK"]


def test_sipri_generic_designations_never_join_deals(store_path, tmp_path):
    path = write_register(tmp_path / "register.csv", [
        "Viet Nam,Ukraine,1994,,4,,ship engine,ship engine,4,,1996,New,DR-77 (8008hp) gas turbine; for 2 Project-1241 "
        "(Tarantul) FAC from Russia,2,8,8",
        "India,Ukraine,1990,,6,,ship engine,ship engine,6,,1992,New,DR-77 (8008hp) gas turbine; for 6 Tarantul (Veer) "
        "FAC from Russia,2,12,12",
        "India,Ukraine,2009,,208,?,aircraft engine,aircraft engine,110,?,2011; 2012,New,Motor-Sich AI-20D-5M (3500hp) "
        "turboprop for modernization of 104 An-32 transport aircraft,1,208,110",
        "Pakistan,Germany,1990,,4,,ship engine,ship engine,4,,1992,New,MTU 2990hp diesel engine for 2 Jalalat FAC,1,4,4",
        "Pakistan,Germany,1990,,4,,ship engine,ship engine,4,,1993,New,MTU 2990hp diesel engine for 2 Jalalat-2 FAC,1,4,4",
        "India,Israel,2001,,6,,air refuel system,air refuel system,6,,2003,New,For 6 Il-78 tanker aircraft,3,18,18",
        "China,Ukraine,2011,,50,,vehicle engine,vehicle engine,50,?,2013,New,Malyshev 6TD-2E (1200hp) diesel engine; "
        "probably for tank produced in China,0.3,15,15"])
    store = open_store(store_path)
    report = import_file(store, "sipri", path)
    data = store.dataset()
    assert not [e for e in data.entities.values()
                if e.name.lower() in ("ship engine", "aircraft engine", "vehicle engine", "air refuel system")]
    items = {}
    for deal in data.deals.values():
        items.setdefault(deal.item, []).append(deal)
    # the comments name the model: that model, one entity however many deals name it
    assert sorted((d.supplier, d.recipient) for d in items["tech:dr-77"]) == [("state:ukraine", "state:india"),
                                                                          ("state:ukraine", "state:viet-nam")]
    ai20 = data.entities["tech:ai-20d-5m"]
    assert (ai20.type, ai20.name, ai20.aliases) == ("technology", "AI-20D-5M", ("Motor-Sich AI-20D-5M",))
    assert ai20.attributes["sipri_designation"] == "aircraft engine"
    assert data.entities["tech:6td-2e"].name == "6TD-2E"
    # no model named: an item of the deal's own, named for the deal
    own = {eid: e for eid, e in data.entities.items() if eid.startswith(("tech:ship-engine-", "tech:air-refuel-system-"))}
    assert len(own) == 3 and all(len(items[eid]) == 1 for eid in own)
    assert sorted(e.name for e in own.values()) == ["air refuel system (Israel for India, 2001)",
                                                    "ship engine (Germany for Pakistan, 1990)",
                                                    "ship engine (Germany for Pakistan, 1990)"]
    assert all("MTU 2990hp" in e.description for e in own.values() if "Pakistan" in e.name)
    claims = [c for c in data.claims.values() if c.object == "tech:dr-77" and c.relation == "supplies"]
    assert {c.attributes["designation"] for c in claims} == {"ship engine"}
    assert {c.deal for c in claims} == {d.id for d in items["tech:dr-77"]}
    assert {eid for eid, _, _ in report.created} >= set(own) | {"tech:dr-77", "tech:ai-20d-5m"}
    again = store.dataset()
    second = import_file(store, "sipri", path)
    assert store.dataset() == again and second.created == []


# -- FollowTheMoney ----------------------------------------------------------------------


def test_ftm_entities_and_relations(store_path):
    store = open_store(store_path)
    report = import_file(store, "ftm", FTM)
    assert report.rows == 11
    # 6 + the person-owned Ownership (owned_by); FtM makes no transfers, so no deals
    assert report.counts == {"documents": 2, "entities": 6, "deals": 0, "claims": 7}
    assert report.resolved["Rostec"] == "firm:rostec"  # not duplicated
    assert sum(1 for e in store.dataset().entities.values() if e.name == "Rostec") == 1
    acme = [e for e in store.dataset().entities.values() if e.name == "Acme Drone Works"][0]
    assert acme.type == "firm" and "ООО «Акме Дрон»" in acme.aliases and acme.country == "state:russia"
    assert acme.attributes["ftm_id"] == "demo-co-acme" and acme.attributes["first_seen"].startswith("2023-02-23")

    owned = claims_where(store, subject=acme.id, relation="subsidiary_of", object="firm:rostec")
    assert len(owned) == 1 and owned[0].start == "2016-03-29" and owned[0].attributes["percentage"] == "49"
    assert owned[0].citations[0].document == "ftm-demo_registry" and owned[0].citations[0].locator == "demo-own-1"
    assert "owner=Rostec" in owned[0].citations[0].quote
    petrov = [e for e in store.dataset().entities.values() if e.name == "Ivan PETROV"][0]
    post = claims_where(store, subject=petrov.id, relation="holds_position", object=acme.id)
    assert post[0].attributes["role"] == "General Director" and post[0].start == "2017-10-23"


def test_ftm_sanctions_become_entity_imposes_targets(store_path):
    store = open_store(store_path)
    import_file(store, "ftm", FTM)
    data = store.dataset()
    sanctions = {e.id: e for e in data.entities.values() if e.type == "sanction" and "ftm_id" in e.attributes}
    assert len(sanctions) == 2
    targets = [c for c in data.claims.values() if c.relation == "targets" and "ftm_id" in c.attributes]
    imposes = [c for c in data.claims.values() if c.relation == "imposes" and c.object in sanctions]
    assert len(targets) == 2 and len(imposes) == 2
    on_acme = [c for c in targets if data.entities[c.object].name == "Acme Drone Works"][0]
    assert on_acme.start == "2023-02-24"
    on_petrov = [c for c in targets if data.entities[c.object].name == "Ivan PETROV"][0]
    assert on_petrov.date == "2024-05-01"  # the earliest listing date when no startDate
    authority = data.entities[[c for c in imposes if c.object == on_acme.subject][0].subject]
    assert authority.type == "gov_body" and authority.country == "state:united-states"


def test_ftm_skips_are_counted_with_reasons(store_path):
    report = import_file(open_store(store_path), "ftm", FTM)
    assert dict(report.skipped_kinds) == {"Family": 1, "Address": 1}
    reasons = dict(report.skipped)
    assert "line 5 (Ownership demo-own-2)" not in reasons       # a person owner becomes owned_by
    assert "Address" in reasons["line 11 (Sanction demo-san-3)"]
    data = open_store(store_path).dataset()
    owned = [c for c in data.claims.values() if c.relation == "owned_by"]
    assert [(data.entities[c.subject].name, data.entities[c.object].name) for c in owned] == [("Acme Drone Works", "Ivan PETROV")]


def test_ftm_import_twice_changes_nothing(store_path):
    store = open_store(store_path)
    import_file(store, "ftm", FTM)
    once = store.dataset()
    import_file(store, "ftm", FTM)
    assert store.dataset() == once


def test_ftm_malformed_lines_are_located(run, store_path, tmp_path):
    bad = tmp_path / "bad.ftm.json"
    lines = FTM.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:40]
    lines[4] = json.dumps({"id": "x", "properties": {}})
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = store_path.read_bytes()
    result = run("import", "ftm", bad, "--store", store_path)
    assert result.exit_code == 1
    assert f"{bad}:3: not valid JSON" in result.output
    assert f"{bad}:5: field 'schema': missing" in result.output and "(fix:" in result.output
    assert store_path.read_bytes() == before


# -- generic CSV / XLSX --------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


DEALS = [["Supplier", "Recipient", "Year", "Units", "Kind"],
         ["Russia", "China", "2015-2019", "24", "firm"],
         ["russian federation", "Zenith Arms", "(2014)", "", "firm"]]


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


# -- merge decisions -----------------------------------------------------------------------


def test_merge_unmerge_round_trips_exactly(store_path):
    store = open_store(store_path)
    import_file(store, "ftm", FTM)
    before = store.dataset()
    result = merge_entities(store, "body:office-of-foreign-assets-control", "body:ofac", note="same office")
    assert result["claims_redirected"] == 1
    merged = store.dataset()
    assert "body:ofac" not in merged.entities
    assert "OFAC" in merged.entities["body:office-of-foreign-assets-control"].aliases
    assert not [c for c in merged.claims.values() if "body:ofac" in (c.subject, c.object)]
    assert store.merges()[0]["note"] == "same office"
    unmerge_entity(store, "body:ofac")
    assert store.dataset() == before
    assert store.merges() == []


def test_merge_folds_a_claim_into_an_equal_one_and_unmerge_restores_both(store_path, tmp_path):
    path = write_csv(tmp_path / "twins.csv", [["A", "B"], ["Rostec", "Zenda Twin"], ["Rostec", "Zenda Twin 2"]])
    store = open_store(store_path)
    import_file(store, "csv", path, mapping=Mapping.from_options(["subject=A", "object=B"], ["relation=cooperates_with"],
                                                                 create="firm", doc_date="2024"))
    before = store.dataset()
    result = merge_entities(store, "firm:zenda-twin", "firm:zenda-twin-2")
    assert result["claims_folded"] == 1
    folded = claims_where(store, subject="firm:rostec", object="firm:zenda-twin")
    assert len(folded) == 1 and [c.locator for c in folded[0].citations] == ["row 2", "row 3"]
    unmerge_entity(store, "firm:zenda-twin-2")
    assert store.dataset() == before


def test_merge_redirects_deals_and_unmerge_restores_them(store_path):
    from coopgraph.graph.model import Dataset, Deal

    store = open_store(store_path)
    import_file(store, "sipri", SIPRI)
    # a declared deal with a variant and notes, which a merge must carry over untouched
    store.write(Dataset(deals={"deal:rr-fr-hawk": Deal("deal:rr-fr-hawk", "system:hawk-x", "state:ruritania",
                                                       "state:freedonia", "Hawk-X2", "Hawk-X2 trainers", "made up")}))
    before = store.dataset()
    deals_of = {d.id for d in before.deals.values() if "state:ruritania" in (d.supplier, d.recipient)}
    assert len(deals_of) == 3  # supplier of the Épée-9 and of the declared deal, recipient of the Type-99X
    result = merge_entities(store, "state:russia", "state:ruritania", note="test")
    assert result["deals_redirected"] == 3
    merged = store.dataset()
    assert not [d for d in merged.deals.values() if "state:ruritania" in d.parties]
    declared = merged.deals["deal:rr-fr-hawk"]
    assert (declared.supplier, declared.variant, declared.name, declared.notes) == (
        "state:russia", "Hawk-X2", "Hawk-X2 trainers", "made up")
    type99 = [d for d in merged.deals.values() if d.item == "system:type-99x"][0]
    assert (type99.supplier, type99.recipient) == ("state:china", "state:russia")
    graph = store.graph()
    assert graph.graph["deals"][type99.id]["recipients"] == ["state:russia"]
    unmerge_entity(store, "state:ruritania")
    assert store.dataset() == before


def test_merge_of_an_item_moves_its_deals_and_a_deal_without_a_record_is_undone(store_path):
    from coopgraph.graph.model import Citation, Claim, Dataset

    store = open_store(store_path)
    import_file(store, "sipri", SIPRI)
    cite = (Citation("sipri-trade-register-2024-10-13", "line 99", "made up"),)
    # a deal the store knows only from a claim naming it (no deals record)
    bare = Claim("state:china", "supplies", "system:type-99x", date="2020", citations=cite, deal="deal:bare")
    store.write(Dataset(claims={bare.id: bare}))  # straight into the store: no deals record is written
    before = store.dataset()
    assert "deal:bare" not in before.deals
    result = merge_entities(store, "system:su-35", "system:type-99x")
    assert result["deals_redirected"] == 1  # the register row's; 'deal:bare' has no record to redirect
    merged = store.dataset()
    assert merged.deals["deal:bare"].item == "system:su-35"  # validation recorded it, with the new item
    type99 = [d for d in before.deals.values() if d.item == "system:type-99x"][0]
    assert merged.deals[type99.id].item == "system:su-35"
    assert all(c.object != "system:type-99x" and c.subject != "system:type-99x" for c in merged.claims.values())
    unmerge_entity(store, "system:type-99x")
    assert store.dataset() == before


def test_merge_command_reports_deals(run, store_path):
    assert run("import", "sipri", SIPRI, "--store", store_path).exit_code == 0
    result = run("merge", "state:russia", "state:ruritania", "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "2 deal(s) redirected" in result.output
    result = run("unmerge", "Ruritania", "--store", store_path)
    assert result.exit_code == 0 and "2 deal(s) restored" in result.output


def test_importers_consult_merge_decisions(store_path):
    store = open_store(store_path)
    import_file(store, "ftm", FTM)
    merge_entities(store, "body:office-of-foreign-assets-control", "body:ofac")
    merged = store.dataset()
    report = import_file(store, "ftm", FTM)
    assert store.dataset() == merged  # 'OFAC' resolves to the kept body, nothing forks
    assert report.resolved["OFAC"] == "body:office-of-foreign-assets-control"


def test_merge_commands(run, store_path):
    assert run("import", "ftm", FTM, "--store", store_path).exit_code == 0
    result = run("merge", "Office of Foreign Assets Control", "OFAC", "--note", "same", "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "merged body:ofac (OFAC) into body:office-of-foreign-assets-control" in result.output
    listing = run("merges", "--store", store_path, "--format", "json")
    assert json.loads(listing.output)[0]["merged"] == "body:ofac"
    assert run("show", "OFAC", "--store", store_path).output.startswith("Office of Foreign Assets Control")
    assert run("unmerge", "OFAC", "--store", store_path).exit_code == 0
    assert "no merge decisions recorded" in run("merges", "--store", store_path).output
    again = run("unmerge", "body:ofac", "--store", store_path)
    assert again.exit_code == 1 and "no merge decision about 'body:ofac'" in again.output


# -- CLI ----------------------------------------------------------------------------------------


def test_import_command_prints_the_report(run, store_path):
    result = run("import", "sipri", SIPRI, "--store", store_path)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "18 claims" in out and "5 new entities" in out and "system:type-99x" in out
    assert "line 11: supplier 'unknown supplier(s)' names no one" in out
    data = json.loads(run("import", "ftm", FTM, "--store", store_path, "--format", "json", "--dry-run").output)
    assert data["dry_run"] is True and data["skipped_kinds"] == {"Family": 1, "Address": 1}


def test_import_dry_run_writes_nothing_and_mapping_options_need_csv(run, store_path):
    before = store_path.read_bytes()
    assert run("import", "ftm", FTM, "--store", store_path, "--dry-run").exit_code == 0
    assert store_path.read_bytes() == before
    result = run("import", "sipri", SIPRI, "--map", "subject=Supplier", "--store", store_path)
    assert result.exit_code == 2 and "only apply to csv and xlsx" in result.output
    assert run("import", "geojson", SIPRI, "--store", store_path).exit_code == 2


# -- the real files: the SIPRI register in tests/fixtures/sipri, the rest in ../shared/data ------------


def test_register_fixture_is_the_shared_file_byte_for_byte():
    import hashlib

    digest = hashlib.sha256(REGISTER.read_bytes()).hexdigest()
    assert digest == "34ea7699f3edbeecc6171f01b36bef9198a0aa8525c4227f5bf4d64f7903d37c"  # as PROVENANCE.md says
    assert f"sha256 `{digest}`" in (REGISTER.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    if (SHARED / "sipri").is_dir():
        for name in ("trade-register.csv", "PROVENANCE.md"):
            assert (REGISTER.parent / name).read_bytes() == (SHARED / "sipri" / name).read_bytes()


def test_real_sipri_register_every_row_becomes_claims_or_is_skipped(store_path):
    store = open_store(store_path)
    report = import_file(store, "sipri", REGISTER)
    assert report.rows == 2643  # PROVENANCE.md: 2,643 records, one broken over two lines
    assert report.counts["deals"] == report.rows  # one deal a row
    data = store.dataset()
    doc = data.documents["sipri-trade-register-2024-10-13"]
    cited = {cit.locator for c in data.claims.values() for cit in c.citations if cit.document == doc.id}
    assert len(cited) == report.rows and "lines 2324-2325" in cited
    skipped = {where for where, _ in report.skipped}
    assert skipped <= cited and len(skipped) == 3  # 'unknown supplier(s)': transfers kept, supplies skipped
    assert report.counts["claims"] == 4 * report.rows - 2 * len(skipped)
    russia_china = [c for c in data.claims.values() if c.subject == "state:russia" and c.relation == "supplies"
                    and c.attributes.get("recipient") == "China" and c.status == "contracted"]
    assert len(russia_china) == 97  # PROVENANCE.md: Russia -> China 97 records
    assert report.resolved["Soviet Union"] == "state:soviet-union"
    assert not [e for e in report.created if e[1] in ("China", "Russia", "United States", "Soviet Union")]
    assert {"state:india", "state:viet-nam", "state:thailand"} <= {eid for eid, _, _ in report.created}
    sipri_deals = {d.id: d for d in data.deals.values() if d.id.startswith("deal:sipri-")}
    assert len(sipri_deals) == 2643
    assert {c.deal for c in data.claims.values() if c.key and c.key.startswith("sipri ")} == set(sipri_deals)
    # generic designations: 130 rows; 120 name a model in their comments, 10 get an item of their own
    generic = {"ship engine", "vehicle engine", "aircraft engine", "air refuel system", "air-independent ship engine"}
    assert not [e for e in data.entities.values() if e.name in generic]
    by_designation = {}
    for claim in data.claims.values():
        if claim.deal in sipri_deals and claim.attributes.get("designation") in generic:
            by_designation.setdefault(claim.deal, sipri_deals[claim.deal].item)
    assert len(by_designation) == 130
    own = {item for item in by_designation.values() if any(item.startswith(f"tech:{g.replace(' ', '-')}-") for g in generic)}
    assert len(own) == 10 and sum(1 for item in by_designation.values() if item in own) == 10
    assert sum(1 for item in by_designation.values() if item == "tech:dr-77") == 4
    assert data.entities["tech:ai-20d-5m"].aliases == ("Motor-Sich AI-20D-5M",)
    again = store.dataset()
    assert import_file(store, "sipri", REGISTER).created == [] and store.dataset() == again


@pytest.mark.skipif(not (SHARED / "ftm").is_dir(), reason="../shared/data/ftm is absent")
def test_real_ftm_files(store_path):
    store = open_store(store_path)
    zala = import_file(store, "ftm", SHARED / "ftm" / "zala_aero_entities.ftm.json")
    assert zala.rows == 91
    assert dict(zala.skipped_kinds) == {"Address": 11, "Family": 4, "Passport": 1}
    data = store.dataset()
    assert len([c for c in data.claims.values() if c.relation == "targets" and "ftm_id" in c.attributes]) == 41
    ownership = [c for c in data.claims.values() if c.relation == "subsidiary_of" and c.key and c.key.startswith("ftm ")]
    person_owned = [c for c in data.claims.values() if c.relation == "owned_by" and c.key and c.key.startswith("ftm ")]
    assert len(ownership) + len(person_owned) == 14  # every Ownership becomes a claim
    assert not [w for w, _ in zala.skipped if "Ownership" in w]
    assert len([c for c in data.claims.values() if c.relation == "holds_position" and "ftm_id" in c.attributes]) == 3
    cst = [e for e in data.entities.values() if e.name == "LLC CST"][0]
    assert "ЗАЛА АЭРО" in cst.aliases and cst.country == "state:russia"
    fsf = import_file(store, "ftm", SHARED / "ftm" / "eu_fsf_sample_entities.ftm.json")
    assert fsf.rows == 7 and dict(fsf.skipped_kinds) == {"Address": 1}
    assert len([c for c in fsf.created if c[2].startswith("FtM ")]) == 6  # 4 Person, 2 Organization
    assert {"state:belarus", "state:iran"} <= {eid for eid, _, _ in fsf.created}  # from country codes


def test_import_graphml_of_our_own_export_round_trips(run, mini_store_path, tmp_path):
    exported = tmp_path / "mini.graphml"
    assert run("export", "graphml", exported, "--store", mini_store_path).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    result = run("import", "graphml", exported, "--store", fresh)
    assert result.exit_code == 0, result.output
    shown = run("show", "Falcon", "--store", fresh)
    assert "Twelve Falcons reached the Freedonian Air Force in June 2001." in " ".join(shown.output.split())
    again = tmp_path / "again.graphml"
    run("export", "graphml", again, "--store", fresh, "--around", "Falcon", "--depth", "3")
    run("export", "graphml", exported, "--store", mini_store_path, "--around", "Falcon", "--depth", "3")
    assert again.read_bytes() == exported.read_bytes()
