"""The SIPRI trade register importer: dated, cited claims, one deal per row, generic designations, comments."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from tests.importers.common import (  # shared data and helpers
    open_store, import_file, SIPRI, REGISTER, SHARED, claims_where, write_register,
)


@pytest.fixture(scope="module")
def reports_store_file(tmp_path_factory):
    """A store of the two reports only: the bundled store also holds SIPRI register rows, which these
    tests import themselves (tests/test_bundled_register.py tests the import over the bundled store)."""
    from coopgraph.data import bundled_files
    from coopgraph.loaders import load_files

    path = tmp_path_factory.mktemp("reports") / "reports.sqlite"
    open_store(path).write(load_files(bundled_files(only_reports=True)), replace=True)
    return path


@pytest.fixture
def store_path(tmp_path, reports_store_file):
    target = tmp_path / "store.sqlite"
    shutil.copy(reports_store_file, target)
    return target


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


def test_sipri_every_row_is_one_deal(store_path):
    from coopgraph.loaders.importers.sipri import deal_id

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
    assert su35.deal == deal_id("Russia", "China", "Su-35", "2015", su35.attributes["sipri_row"],
                                ("state:russia", "system:su-35", "state:china"))
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
    from coopgraph.loaders.importers.sipri import read_sipri
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


def test_a_version_that_incl_introduces_is_not_the_deals(tmp_path):
    from coopgraph.graph.model import Dataset, Entity
    from coopgraph.loaders.importers.sipri import read_sipri
    from coopgraph.loaders.resolve_names import NameIndex

    path = write_register(tmp_path / "register.csv", [
        "China,Russia,1991,,21,,Su-27S,FGA aircraft,21,,1992,New,Part of 24 (incl 4 Su-27UBK version) ordered in "
        "$700 m deal,42.5,892.5,892.5",
        "China,Russia,1999,,28,,Su-27S,FGA aircraft,28,,2000; 2001; 2002,New,$1 b deal; Su-27UBK version,42.5,1190,1190"])
    su27 = Entity("system:su-27", "weapon_system", "Su-27", ("Su-27S", "Su-27UBK"))
    records, _ = read_sipri(path, NameIndex(Dataset(entities={su27.id: su27})))
    assert [r.data.get("variant") for r in records if r.kind == "deals"] == ["Su-27S", "Su-27UBK"]


def test_a_row_is_the_same_item_whatever_was_imported_before(store_path, tmp_path):
    # an import of another AL-31 row made an entity "AL-31"; a row "AL-31FN version" is still the AL-31FN
    store = open_store(store_path)
    india = write_register(tmp_path / "india.csv", [
        "India,Russia,2001,?,125,?,AL-31,turbofan,115,?,2005; 2006,New,Spare engines for Su-30MKI,3,375,345"])
    import_file(store, "sipri", india)
    assert "system:al-31" in store.dataset(claims=False).entities
    china = write_register(tmp_path / "china.csv", [
        "China,Russia,2000,,54,,AL-31,turbofan,54,?,2003; 2004; 2005,New,$160-200m deal; AL-31FN version for J-10 "
        "combat aircraft produced in China; incl spare engines,3.25,175.5,175.5"])
    import_file(store, "sipri", china)
    [deal] = [d for d in store.dataset().deals.values() if d.id.startswith("deal:sipri-russia-china-al-31-2000-")]
    assert (deal.item, deal.variant) == ("tech:al-31fn", None)


def test_a_row_of_none_ordered_loads_back_from_the_json_export(run, store_path, tmp_path):
    # SIPRI writes 0 ordered for licensed production; the export must give back 0, not nothing (which is
    # another claim: its id hashes the quantity)
    path = write_register(tmp_path / "register.csv", [
        "China,France,2005,?,0,,Arriel-2C,turboshaft,630,?,2012; 2013,New,Produced under licence in China,0.35,0,220.5"])
    assert run("import", "sipri", path, "--store", store_path, "--quiet").exit_code == 0
    row = {cid: c for cid, c in open_store(store_path).dataset().claims.items() if c.key and "arriel" in c.subject + c.object}
    assert sorted(c.quantity for c in row.values() if c.key.endswith(" order")) == [0, 0]
    out = tmp_path / "graph.json"
    assert run("export", "json", out, "--store", store_path, "--quiet").exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    assert run("load", out, "--store", fresh, "--quiet").exit_code == 0
    back = open_store(fresh).dataset().claims
    assert {cid: back.get(cid) for cid in row} == row


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
    cited = {cit.locator for c in data.claims.values() for cit in c.citations if cit.document == doc.id
             and not cit.locator.endswith(", comments")}
    assert len(cited) == report.rows and "lines 2324-2325" in cited
    skipped = {where for where, _ in report.skipped}
    assert skipped <= cited and len(skipped) == 3  # 'unknown supplier(s)': transfers kept, supplies skipped
    from_comments = [c for c in data.claims.values() if c.key and c.key.endswith(" comments")]
    assert report.counts["claims"] == 4 * report.rows - 2 * len(skipped) + len(from_comments)
    assert sum(report.comment_counts.values()) == len(from_comments) > 1000
    # read from a row's comments: cited to them ("line N, comments"), or, for a claim of the row's deal
    # (licensed_to), to the row itself as the deal's other claims are
    assert {cit.locator for c in from_comments for cit in c.citations} <= {f"{w}, comments" for w in cited} | cited
    assert {c.relation for c in from_comments if c.deal} == {"licensed_to"}
    russia_china = [c for c in data.claims.values() if c.subject == "state:russia" and c.relation == "supplies"
                    and c.attributes.get("recipient") == "China" and c.status == "contracted"]
    assert len(russia_china) == 97  # PROVENANCE.md: Russia -> China 97 records
    assert report.resolved["Soviet Union"] == "state:soviet-union"
    assert not [e for e in report.created if e[1] in ("China", "Russia", "United States", "Soviet Union")]
    assert {"state:india", "state:viet-nam", "state:thailand"} <= {eid for eid, _, _ in report.created}
    sipri_deals = {d.id: d for d in data.deals.values() if d.id.startswith("deal:sipri-")}
    assert len(sipri_deals) == 2643
    assert {c.deal for c in data.claims.values() if c.key and c.key.startswith("sipri ") and c.deal} == set(sipri_deals)
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


# -- comments: programme links, modernisation, local production, designations ----------------------


def _comment_claims(store, line):
    return sorted((c.subject, c.relation, c.object) for c in store.dataset().claims.values()
                  if c.key and c.key.endswith(" comments") and any(cit.locator.startswith(f"line {line}")
                                                                  for cit in c.citations))


def test_india_phrases_give_programme_links(store_path, tmp_path):
    path = write_register(tmp_path / "register.csv", [
        "India,Russia,2010,?,4,,AK-630 30mm,naval gun,4,,2022,New,For 1 Vikrant (IAC or Project-71) aircraft "
        "carrier produced in India,1,4,4",
        "India,France,1999,?,6,,ship engine,ship engine,6,,2010; 2011; 2012,New,SEMT-Pielstick 16PA6 STC (7600hp) "
        "diesel engine; for 3 Shivalik (Project-17) frigates produced in India; produced under licence in India,"
        "2.5,15,15"])
    store = open_store(store_path)
    report = import_file(store, "sipri", path)
    data = store.dataset()
    vikrant, shivalik = data.entities["program:vikrant"], data.entities["program:shivalik"]
    assert (vikrant.type, vikrant.country, vikrant.aliases) == ("program", "state:india", ("IAC", "Project-71"))
    assert (shivalik.country, shivalik.aliases) == ("state:india", ("Project-17",))
    assert _comment_claims(store, 4) == [("system:ak-630-30mm", "component_of", "program:vikrant")]
    assert ("tech:16pa6-stc", "component_of", "program:shivalik") in _comment_claims(store, 5)
    # "produced under licence in India": the row's deal is also a licence, cited to the row
    [licence] = [c for c in data.claims.values() if c.relation == "licensed_to"]
    assert (licence.subject, licence.object, licence.date) == ("tech:16pa6-stc", "state:india", "1999")
    assert licence.deal == next(c.deal for c in data.claims.values() if c.relation == "supplies"
                                and c.object == "tech:16pa6-stc")
    assert licence.citations[0].locator == "line 5"
    assert report.comment_counts == {"programme link": 2, "local production": 1, "licence": 1}


def test_comment_claims_are_reported_below_the_row_and_cite_the_comments(store_path, tmp_path):
    path = write_register(tmp_path / "register.csv", [
        "China,Russia,2000,,54,,AL-31,turbofan,54,?,2003; 2004; 2005,New,$160-200m deal; AL-31FN version for J-10 "
        "combat aircraft produced in China; incl spare engines,3.25,175.5,175.5",
        "China,Russia,2004,?,50,?,MR-90,fire control radar,41,?,2008; 2010,New,For 50 Type-054A (Jiangkai-2) "
        "frigates produced in China; for use with HHQ-16 SAM; possibly produced in China,4.5,900,738"])
    store = open_store(store_path)
    import_file(store, "sipri", path)
    data = store.dataset()
    [j10] = [c for c in data.claims.values() if c.object == "program:j-10"]
    assert j10.subject == "tech:al-31fn"  # the version names the reports' AL-31FN engine
    assert (j10.relation, j10.status, j10.confidence, j10.start, j10.end) == ("component_of", "reported", 0.7,
                                                                                "2003", "2005")
    assert j10.citations[0].locator == "line 4, comments"
    assert j10.citations[0].quote.startswith("$160-200m deal; AL-31FN version for J-10")
    assert j10.attributes["phrase"] == "for J-10 combat aircraft produced in China"
    assert data.entities["program:j-10"].country == "state:china"
    radar = {(c.relation, c.object): c.confidence for c in data.claims.values()
             if c.subject == "system:mr-90" and c.key.endswith(" comments")}
    # the row's own confidence is 0.6 (its year of order is uncertain); "possibly" lowers what it hedges
    assert radar == {("component_of", "program:type-054a"): 0.5, ("component_of", "system:hhq-16"): 0.5,
                     ("produced_in", "state:china"): 0.3}
    assert data.entities["system:hhq-16"].country is None  # named without a place: no country given to it


def test_a_phrase_naming_two_programmes_gives_two_links(store_path, tmp_path):
    path = write_register(tmp_path / "register.csv", [
        "China,Russia,2011,,184,,D-30,turbofan,184,?,2012; 2013,New,D-30KP-2 version; for H-6K bomber aircraft and "
        "Y-20A transport aircraft produced in China and modernization of Il-76 transport aircraft,3,552,552"])
    store = open_store(store_path)
    import_file(store, "sipri", path)
    assert _comment_claims(store, 4) == [("tech:d-30kp-2", "component_of", "program:h-6k"),
                                         ("tech:d-30kp-2", "component_of", "program:y-20a"),
                                         ("tech:d-30kp-2", "component_of", "system:il-76")]
    deal = next(d for d in store.dataset().deals.values() if d.item == "tech:d-30kp-2" and d.id.startswith("deal:sipri"))
    assert deal.variant is None  # D-30KP-2 is the item the reports name, not a version of "D-30"


def test_a_russian_aircraft_is_not_taken_for_a_chinese_programme(store_path, tmp_path):
    from coopgraph.queries import chains

    path = write_register(tmp_path / "register.csv", [
        "China,Russia,1999,?,150,?,Kh-59ME Ovod,ASM,150,?,2004; 2005; 2006,New,Incl for Su-30 combat aircraft,1.1,165,165",
        "China,Russia,2015,,24,,Su-35S,FGA aircraft,24,,2016; 2017; 2018,New,$2 b deal; Su-35S version,60,1440,1440"])
    store = open_store(store_path)
    report = import_file(store, "sipri", path)
    assert _comment_claims(store, 4) == [("system:kh-59me-ovod", "component_of", "system:su-30")]
    assert _comment_claims(store, 5) == []  # a comment that names no programme gives no link
    assert not [eid for eid, _, _ in report.created if eid.startswith("program:")]
    found = chains(store.graph(), "state:russia", "country:China&type:program", limit=100)
    assert not [c for c in found if any(n.get("item") == "system:kh-59me-ovod" for n in c["nodes"])]


def test_modernisation_local_production_and_designation(store_path, tmp_path):
    path = write_register(tmp_path / "register.csv", [
        "China,Russia,2001,,100,?,Zhuk,combat aircraft radar,100,?,2001; 2002,New,Zhuk-8 version; for modernization "
        "of J-8B (J-8-II) combat aircraft to J-8IIM,2,200,200",
        "China,Russia,1996,,105,?,Su-27S,FGA aircraft,105,?,1998; 1999,New,Part of $1.5-2.5 b deal for 200 but about "
        "95 cancelled; assembled from kits; Chinese designation J-11,42.5,4462.5,4462.5",
        "China,Russia,1997,?,1000,?,Kh-31A1,anti-ship/anti-radar missile,1000,?,2001; 2002,New,including production "
        "of Kh-31P in China as KR-1,0.9,900,900"])
    store = open_store(store_path)
    data = import_file(store, "sipri", path) and store.dataset()
    assert _comment_claims(store, 4) == [("program:j-8iim", "derived_from", "system:j-8b"),
                                         ("system:zhuk", "component_of", "program:j-8iim")]
    assert data.entities["program:j-8iim"].country == "state:china"   # China's modernisation of its J-8Bs
    assert [d.variant for d in data.deals.values() if d.item == "system:zhuk"] == ["Zhuk-8"]
    # the register's Su-27S is the reports' Su-27; its Chinese designation J-11 is the reports' J-11
    assert _comment_claims(store, 5) == [("system:j-11", "derived_from", "system:su-27"),
                                         ("system:su-27", "produced_in", "state:china")]
    kr1 = data.entities["system:kr-1"]
    assert (kr1.country, _comment_claims(store, 6)) == ("state:china", [("system:kr-1", "derived_from", "system:kh-31a1")])


def test_explain_lists_every_clause_the_rules_did_not_understand(run, store_path, tmp_path):
    path = write_register(tmp_path / "register.csv", [
        "China,Russia,2015,,24,,Su-35S,FGA aircraft,24,,2016; 2017; 2018,New,$2 b deal; Su-35S version,60,1440,1440",
        "China,Russia,2019,,18,,Mi-17,transport helicopter,18,?,2021; 2022,New,Zorgle blat wibble; Armed Mi-171Sh "
        "version,7.25,130.5,130.5"])
    result = run("import", "sipri", path, "--explain", "--store", store_path)
    assert result.exit_code == 0
    assert "1 comment clause(s) in 1 row(s) the rules did not understand" in result.output
    assert "line 5" in result.output and "Zorgle blat wibble" in result.output
    data = open_store(store_path).dataset()  # the row's deal is imported all the same
    assert [d.variant for d in data.deals.values() if d.id.startswith("deal:sipri-russia-china-mi-17-2019")] == ["Mi-171Sh"]
    rows = json.loads(run("import", "sipri", path, "--explain", "--dry-run", "--format", "json",
                          "--store", store_path).output)
    assert rows == [{"where": "line 5", "comment": "Zorgle blat wibble; Armed Mi-171Sh version",
                     "clause": "Zorgle blat wibble"}]
    assert run("import", "ftm", path, "--explain", "--store", store_path).exit_code == 2


def test_a_file_that_is_not_a_register_is_refused_naming_the_line(run, store_path, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("\n\nName,Role,Year\nAda,engineer,1843\n", encoding="utf-8")
    result = run("import", "sipri", bad, "--store", store_path)
    assert result.exit_code == 1
    assert f"{bad}:3: not a SIPRI trade register" in result.output and "line 3 reads 'Name,Role,Year'" in result.output


def test_a_row_curated_into_a_deal_must_be_that_deal(store_path, tmp_path):
    from coopgraph.graph.errors import ValidationError
    from coopgraph.loaders.importers.sipri import read_sipri, row_hash
    from coopgraph.loaders.resolve_names import index_for

    row = ("China,Soviet Union,1991,,3,,Su-27S,FGA aircraft,3,,1991,New,Part of 24 ordered from Soviet Union,"
           "42.5,127.5,127.5")
    path = write_register(tmp_path / "register.csv", [row])
    _, index = index_for(open_store(store_path))
    key = row_hash(next(csv.reader([row])))
    with pytest.raises(ValidationError, match="filed under deal 'deal:ru-cn-su-27-1992-2006' but names supplier "
                                              "state:soviet-union"):
        read_sipri(path, index, row_deals={key: "deal:ru-cn-su-27-1992-2006"})
    with pytest.raises(ValidationError, match="which the store does not hold"):
        read_sipri(path, index, row_deals={key: "deal:no-such-deal"})
