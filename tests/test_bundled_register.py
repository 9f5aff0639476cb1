"""The bundled SIPRI register rows: the headline reaches Chinese programmes, one deal per transfer, provenance.

The bundled store holds the SIPRI trade register's 181 Russia / Soviet Union -> China rows
(package/data/sipri-register-russia-china.yaml, written by tools/build_sipri_register.py from
tests/fixtures/sipri/trade-register.csv). These tests ask it what an analyst would.
"""

from __future__ import annotations

import csv
import shutil

import pytest

from coopgraph.graph.store import open_store
from coopgraph.queries import chains
from tests.conftest import FIXTURES

REGISTER = FIXTURES / "sipri" / "trade-register.csv"
DOCUMENT = "sipri-trade-register-2024-10-13"
HEADLINE_TO = ["org:PLA", "country:China&type:program"]


@pytest.fixture(scope="module")
def store(bundled_store_file):
    return open_store(bundled_store_file)


@pytest.fixture(scope="module")
def graph(store):
    return store.graph()


@pytest.fixture(scope="module")
def headline(graph):
    from coopgraph.cli.commands_reports import CHAINS_DEFAULT_LIMIT, CHAINS_DEFAULT_TO, DEFAULT_FROM

    assert list(CHAINS_DEFAULT_TO) == HEADLINE_TO and DEFAULT_FROM == "country:Russia"
    return chains(graph, DEFAULT_FROM, list(CHAINS_DEFAULT_TO), limit=CHAINS_DEFAULT_LIMIT)


def _route(result, item: str, end: str):
    """The chain from Russia through a deal of ``item`` to ``end``."""
    found = [c for c in result if c["nodes"][0]["id"] == "state:russia" and len(c["nodes"]) >= 3
             and c["nodes"][1].get("item") == item and c["nodes"][-1]["id"] == end]
    assert found, f"no chain Russia -> {item} -> {end}: " + "; ".join(c["path"] for c in result)
    return found[0]


def _documents(chain) -> set[str]:
    return {cit["document"] for step in chain["steps"] for claim in step["claims"] for cit in claim["citations"]}


def _locators(step) -> set[str]:
    return {cit["locator"] for claim in step["claims"] for cit in claim["citations"]}


# -- the headline --------------------------------------------------------------------------------


@pytest.mark.parametrize("item, programme", [
    ("tech:al-31fn", "program:j-10"),
    ("tech:al-31f", "program:j-15"),
    ("system:al-31", "program:j-20"),          # the AL-31F-M2 version
    ("tech:d-30kp-2", "program:h-6k"),
    ("tech:d-30kp-2", "program:y-20a"),
    ("system:mr-90", "program:type-054a"),
    ("system:mr-90", "program:type-052b"),
    ("system:9m317", "program:type-052b"),     # the 9M38M2 version
    ("system:ak-176-76mm", "program:type-056"),
    ("system:zhuk", "program:j-8iim"),         # the Zhuk-8 version, for modernising J-8B to J-8IIM
])
def test_the_headline_reaches_the_chinese_programmes_the_register_names(headline, item, programme):
    chain = _route(headline, item, programme)
    assert chain["hops"] == 2
    sale, use = chain["steps"]
    assert all(claim["citations"] and all(c["quote"] for c in claim["citations"]) for step in chain["steps"]
               for claim in step["claims"])
    assert {c["relation"] for c in sale["claims"]} == {"supplies"}
    assert {c["relation"] for c in use["claims"]} == {"component_of"}
    assert all(loc.endswith(", comments") for loc in _locators(use))
    assert all(c["status"] == "reported" for c in use["claims"])
    for deal in chain["deals"]:  # the deal's dates and numbers
        assert deal["order_date"] and (deal["ordered"] or deal["delivered"]) and deal["suppliers"] == ["state:russia"]
        assert deal["recipients"] == ["state:china"]


def test_the_programmes_are_chinese_programmes(graph):
    for programme in ("program:j-10", "program:j-15", "program:j-20", "program:h-6k", "program:y-20a",
                      "program:type-054a", "program:type-052b", "program:type-056", "program:j-8iim"):
        node = graph.nodes[programme]
        assert (node["type"], node["country"]) == ("program", "state:china"), programme
    assert "Jiangkai-2" in graph.nodes["program:type-054a"]["aliases"]


def test_the_csis_evidence_joins_where_it_exists(headline):
    d30 = _route(headline, "tech:d-30kp-2", "program:h-6k")
    assert "deal:ru-cn-d-30kp-2-2011-2012-184" in {d["id"] for d in d30["deals"]}
    assert _documents(d30) == {"csis-2020-mtc-primer", DOCUMENT}
    assert "endnote 23" in _locators(d30["steps"][0])
    al31fn = _route(headline, "tech:al-31fn", "program:j-10")
    merged = next(d for d in al31fn["deals"] if d["id"] == "deal:ru-cn-al-31fn-2011-2012-123")
    assert merged["documents"] == ["csis-2020-mtc-primer", DOCUMENT] and merged["ordered"] == 123
    assert len(al31fn["deals"]) == 5  # five AL-31FN contracts for the J-10, one route


def test_the_su27_kits_reach_the_j11_and_the_pla(headline):
    chain = next(c for c in headline if [n["id"] for n in c["nodes"]] ==
                 ["state:russia", "deal:ru-cn-su-27-1992-2006", "system:j-11", "service:pla"])
    to_j11 = chain["steps"][1]
    relations = {(c["relation"], cit["document"], cit["locator"]) for c in to_j11["claims"] for cit in c["citations"]}
    assert ("copy_of", "csis-2020-mtc-primer", "endnote 20") in relations
    assert ("derived_from", DOCUMENT, "line 206, comments") in relations  # "assembled from kits; Chinese designation J-11"


def test_a_russian_aircraft_is_not_a_chinese_programme(graph, headline):
    # "For Su-30 combat aircraft" (R-77, Kh-59MK ...) links the missiles to the Russian Su-30, which no chain
    # to the PLA or a Chinese programme passes through
    assert graph.nodes["system:su-30"]["type"] == "weapon_system" and graph.nodes["system:su-30"]["country"] == "state:russia"
    into_su30 = {u for u, _, rel in graph.in_edges("system:su-30", data="type") if rel == "component_of"}
    assert "system:r-77" in into_su30
    assert not [c for c in headline if "system:su-30" in [n["id"] for n in c["nodes"][:-1]] and c["nodes"][1].get("item") == "system:r-77"]


def test_every_headline_chain_is_listed_within_the_default_limit(headline, run, bundled_store_file, tmp_path):
    assert not headline.truncated and headline.complete and headline.found == len(headline)
    store_file = tmp_path / "store.sqlite"
    shutil.copy(bundled_store_file, store_file)
    result = run("chains", "--store", store_file)
    assert result.exit_code == 0
    for shown in ("Russian Federation → AL-31FN → J-10", "Russian Federation → AL-31F → J-15",
                  "Russian Federation → AL-31 (AL-31F-M2) → J-20", "Russian Federation → D-30KP-2 → H-6K",
                  "Russian Federation → D-30KP-2 → Y-20A", "Russian Federation → AK-176 76mm → Type-056",
                  "Russian Federation → Zhuk (Zhuk-8) → J-8IIM", "Russian Federation → MR-90 → Type-054A",
                  "Russian Federation → Su-27 → J-11 → People's Liberation Army"):
        assert shown in result.output, shown
    assert f"{headline.found} chains found; all listed" in result.output


# -- one deal per transfer -------------------------------------------------------------------------


@pytest.mark.parametrize("deal, item, rows", [
    ("deal:ru-cn-su-35-2015", "system:su-35", {"line 181"}),
    ("deal:ru-cn-s-400-2015", "system:s-400", {"line 167"}),
    ("deal:ru-cn-su-27-1992-2006", "system:su-27", {"line 90", "line 88", "line 206", "line 73"}),
    ("deal:ru-cn-kilo-class-1992-2006", "system:kilo-class", {"line 233", "line 230", "line 153"}),
])
def test_a_deal_both_report_is_one_deal_with_both_documents(graph, deal, item, rows):
    summary = graph.graph["deals"][deal]
    assert summary["documents"] == ["csis-2020-mtc-primer", DOCUMENT]
    assert (summary["item"], summary["suppliers"], summary["recipients"]) == (item, ["state:russia"], ["state:china"])
    cited = {c["locator"] for c in summary["citations"] if c["document"] == DOCUMENT}
    assert cited == rows
    others = [d for d, s in graph.graph["deals"].items() if s["item"] == item and d != deal
              and s["suppliers"] == ["state:russia"] and DOCUMENT in s["documents"]]
    if item == "system:su-27":  # the 1991 order from the Soviet Union: 21 delivered by Russia in 1992
        assert [graph.graph["deals"][d]["order_date"] for d in others] == ["1991"]
    else:
        assert others == []


# -- how many: a deal counts each contract once, adds distinct contracts up, keeps units apart -----------


@pytest.mark.parametrize("deal, ordered, delivered, ordered_in", [
    # the primer's 1992-2006 purchases: the register's rows 90, 88, 206, 73 (2 + 24 + 105 + 28)
    ("deal:ru-cn-su-27-1992-2006", 159, 159, "1992/1999"),
    ("deal:ru-cn-su-30-1992-2006", 100, 100, "1999/2003"),        # 38 + 38 + 24
    ("deal:ru-cn-s-300-1992-2006", 24, 24, "1992/2006"),          # 4 + 4 + 8 + 8
    ("deal:ru-cn-kilo-class-1992-2006", 12, 12, "1993/2002"),     # 2 (Project-877E) + 2 (Project-636E) + 8
    # one contract, reported by both documents: counted once
    ("deal:ru-cn-su-35-2015", 24, 24, "2015"),
    ("deal:ru-cn-al-31fn-2011-2012-123", 123, 123, "2011"),
    ("deal:ru-cn-d-30kp-2-2011-2012-184", 184, 184, "2011"),
    ("deal:ru-cn-mi-17-2012", 52, 52, "2012"),
    ("deal:ru-cn-al-41fs-2015", 10, 10, "2015"),
    ("deal:ru-cn-lada-class-2013", 4, 1, "2013-03"),              # the primer only: four agreed, the first delivered
    # SIPRI counts S-400 systems, the primer regiments: never added
    ("deal:ru-cn-s-400-2015", "8 S-400 / 2 regiments", "8 S-400 / 2 regimental sets", "2015"),
])
def test_the_bundled_deals_count_each_contract_once(graph, deal, ordered, delivered, ordered_in):
    summary = graph.graph["deals"][deal]
    assert (summary["ordered"], summary["delivered"], summary["order_date"]) == (ordered, delivered, ordered_in)


def test_show_su27_gives_the_sum_of_its_contracts(run, store_path):
    text = " ".join(run("show", "Su-27", "--store", store_path).output.split())
    assert "159 ordered 1992–1999; 159 delivered 1992, 1996–1997, 1998–2007, 2000–2002 (deal:ru-cn-su-27-1992-2006)" in text
    # the 1991 order of 24 "(incl 4 Su-27UBK version)": its deals are of the Su-27S, not of the 4 trainers
    assert "deal Su-27 (Su-27S): Russian Federation → People's Republic of China; delivered; 21 ordered 1991" in text
    assert "(Su-27UBK)" not in text


def test_the_register_names_meet_the_reports_names(graph):
    assert {"Su-27S", "Su-27SK", "Su-27UBK"} <= set(graph.nodes["system:su-27"]["aliases"])
    assert {"Project-877E", "Project-636E", "Project-636"} <= set(graph.nodes["system:kilo-class"]["aliases"])
    assert "Project-956E" in graph.nodes["system:sovremenny"]["aliases"]
    sovremenny = [s for s in graph.graph["deals"].values() if s["item"] == "system:sovremenny"]
    assert len(sovremenny) == 2 and {s["variant"] for s in sovremenny} == {"Project-956E", "Type-956EM"}
    assert not [n for n in graph.nodes if n in ("system:su-27s", "system:project-877e", "system:project-636e",
                                                  "system:su-35s", "system:s-400-triumf")]


def test_show_su35_cites_csis_and_sipri_for_one_deal(run, store_path):
    result = run("show", "Su-35", "--store", store_path)
    assert result.exit_code == 0
    assert "1 deal(s):" in result.output and "(deal:ru-cn-su-35-2015)" in result.output
    assert "csis-2020-mtc-primer, endnote 32" in result.output
    assert f"{DOCUMENT}, line 181" in result.output


# -- provenance ------------------------------------------------------------------------------------


def test_the_register_document_and_every_citation_of_it(store):
    data = store.dataset()
    doc = data.documents[DOCUMENT]
    assert (doc.kind, doc.date, doc.url) == ("register", "2024-10-13", "https://www.sipri.org/databases/armstransfers")
    assert "SIPRI" in doc.publisher and doc.title.startswith("SIPRI Arms Transfers Database, trade register")
    lines = REGISTER.read_bytes().decode("latin-1").split("\n")
    rows = set()
    for claim in data.claims.values():
        for cit in claim.citations:
            if cit.document != DOCUMENT:
                continue
            number = int(cit.locator.split()[1].rstrip(","))
            cells = next(csv.reader([lines[number - 1]]))
            assert (cells[0], cells[1]) in {("China", "Russia"), ("China", "Soviet Union")}
            if cit.locator.endswith(", comments"):
                assert cit.quote == cells[12] and claim.status == "reported" and claim.confidence < 0.8
            else:
                assert cit.quote == lines[number - 1]
                rows.add(number)
    assert len(rows) == 181


def test_the_bundled_file_is_what_the_generator_writes():
    from tools.build_sipri_register import OUTPUT, build

    assert OUTPUT.read_text(encoding="utf-8") == build()


def _disagreeing(data) -> list[str]:
    """The claims of a deal that name another supplier, item or recipient than their deal."""
    from coopgraph.graph.deals import deal_item, deal_party
    from coopgraph.graph.schema import load_schema

    roles = load_schema().deal_relations
    wrong = []
    for claim in data.claims.values():
        if not claim.deal or claim.relation not in roles:
            continue
        role, deal = roles[claim.relation], data.deals[claim.deal]
        party = deal.supplier if role == "supplier" else deal.recipient
        if deal_item(role, claim.subject, claim.object) != deal.item or (
                party and deal_party(role, claim.subject, claim.object) != party):
            wrong.append(f"{claim.id}: {claim.subject} {claim.relation} {claim.object} under {deal.id} "
                         f"({deal.supplier} -> {deal.item} -> {deal.recipient})")
    return wrong


def _register_rows(data) -> dict[str, str]:
    """``{row hash: deal}`` of the register rows the store holds (their order and delivery claims)."""
    return {c.key.split()[1]: c.deal for c in data.claims.values()
            if c.key and c.key.startswith("sipri ") and c.key.endswith((" order", " delivery"))}


def test_importing_the_whole_register_over_the_bundled_store_keeps_its_rows(run, store_path, bundled_store_file,
                                                                              tmp_path):
    store = open_store(store_path)
    before = store.dataset()
    imported = run("import", "sipri", REGISTER, "--store", store_path, "--quiet")
    assert imported.exit_code == 0 and "2643 record(s)" in imported.output
    after = open_store(store_path).dataset()
    # the bundled rows are as they were: the same deals and claims, no second deal of the same row
    assert all(after.claims[cid] == claim for cid, claim in before.claims.items())
    assert {k: d for k, d in _register_rows(after).items() if k in _register_rows(before)} == _register_rows(before)
    assert [d.id for d in after.deals.values() if d.item == "system:su-35"] == ["deal:ru-cn-su-35-2015"]
    # the other rows are added, each a deal (the 20 bundled rows filed under the primer's 10 deals excepted)
    rows = _register_rows(after)
    assert len(rows) == 2643 and len(set(rows.values())) == 2643 - 20 + 10
    assert _disagreeing(after) == []
    # the export validates and loads into a fresh store, giving the same store
    out = tmp_path / "graph.json"
    assert run("export", "json", out, "--store", store_path, "--quiet").exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    shutil.copy(bundled_store_file, fresh)
    checked = run("validate", out, "--store", fresh)
    assert checked.exit_code == 0 and checked.output.startswith("ok:")
    loaded = run("load", out, "--store", fresh, "--quiet")
    assert loaded.exit_code == 0, loaded.output
    assert open_store(fresh).dataset() == after
    # and importing the register again changes nothing
    assert run("import", "sipri", REGISTER, "--store", store_path, "--quiet").exit_code == 0
    assert open_store(store_path).dataset() == after


def test_a_register_row_is_the_same_deal_whatever_the_store_held_before(run, monkeypatch, bundled_store_file,
                                                                          tmp_path):
    # a store of the reports only, where an earlier import of an Indian row made an entity "AL-31": the
    # Chinese rows' "AL-31FN version" is still the AL-31FN, as in the bundled store; and the rows whose
    # names only the bundled curation resolves (Project-956/Sovremenny) are other deals, not the same
    # deal ids with other items, so that the store's export loads where the bundled rows are
    monkeypatch.setenv("COOPGRAPH_BUNDLED", "reports")
    path = tmp_path / "reports.sqlite"
    assert run("stats", "--store", path).exit_code == 0
    monkeypatch.delenv("COOPGRAPH_BUNDLED")
    lines = REGISTER.read_bytes().decode("latin-1").split("\n")
    header = next(n for n, line in enumerate(lines) if line.startswith("Recipient,Supplier"))
    assert lines[308].startswith("India,Russia,2001,?,125,?,AL-31,turbofan")
    india = tmp_path / "india.csv"
    india.write_bytes("\n".join(lines[:header + 1] + [lines[308], ""]).encode("latin-1"))
    assert run("import", "sipri", india, "--store", path, "--quiet").exit_code == 0
    assert run("import", "sipri", REGISTER, "--store", path, "--quiet").exit_code == 0
    mine, bundled = open_store(path).dataset(), open_store(bundled_store_file).dataset()
    item_of_line = {}
    for data in (bundled, mine):
        for claim in data.claims.values():
            if claim.deal and claim.key and claim.key.endswith(" order") and claim.relation == "supplies":
                item_of_line.setdefault(claim.citations[0].locator, []).append(claim.object)
    for line in ("line 27", "line 40", "line 41", "line 168", "line 263", "line 264", "line 268"):  # the AL-31 rows
        assert len(set(item_of_line[line])) == 1, (line, item_of_line[line])
    assert _disagreeing(mine) == []
    out = tmp_path / "reports.json"
    assert run("export", "json", out, "--store", path, "--quiet").exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    shutil.copy(bundled_store_file, fresh)
    loaded = run("load", out, "--store", fresh, "--quiet")
    assert loaded.exit_code == 0, loaded.output
    assert _disagreeing(open_store(fresh).dataset()) == []


# -- only the reports ------------------------------------------------------------------------------


def test_only_the_reports_when_asked(run, monkeypatch, tmp_path):
    from coopgraph.data import bundled_files

    assert [p.name for p in bundled_files(only_reports=False)][-1] == "sipri-register-russia-china.yaml"
    monkeypatch.setenv("COOPGRAPH_BUNDLED", "reports")
    assert "sipri-register-russia-china.yaml" not in [p.name for p in bundled_files()]
    fresh = tmp_path / "reports.sqlite"
    assert run("stats", "--store", fresh).exit_code == 0  # built on first use from the reports only
    assert set(open_store(fresh).dataset().documents) == {"csis-2020-mtc-primer", "uts-2022-advanced-tech"}
    monkeypatch.setenv("COOPGRAPH_BUNDLED", "all")
    full = tmp_path / "full.sqlite"
    assert run("stats", "--store", full).exit_code == 0
    assert DOCUMENT in open_store(full).dataset().documents
    mine = tmp_path / "mine.yaml"
    mine.write_text("documents:\n  - {id: my-notes, title: My notes, date: '2024'}\n", encoding="utf-8")
    monkeypatch.setenv("COOPGRAPH_BUNDLED", "reports")
    assert run("load", "--replace", mine, "--store", full).exit_code == 0  # rebuilt: the reports plus my file
    assert set(open_store(full).dataset().documents) == {"csis-2020-mtc-primer", "uts-2022-advanced-tech", "my-notes"}
    monkeypatch.setenv("COOPGRAPH_BUNDLED", "registers")
    with pytest.raises(Exception, match="COOPGRAPH_BUNDLED"):
        bundled_files()
