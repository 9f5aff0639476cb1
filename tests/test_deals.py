"""Transfers are one fact: deals in validation, the store and every chain."""

from __future__ import annotations

import sqlite3

import pytest

from coopgraph.graph.errors import ValidationError
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_files
from coopgraph.queries import chains, impact
from tests.graphs import make_graph


def ids(chain):
    return [n["id"] for n in chain["nodes"]]


def sale(supplier, item, recipient, deal, **fields):
    """The two claims of one deal."""
    return [(supplier, "supplies", item, {"deal": deal, **fields}), (item, "transferred_to", recipient, {"deal": deal, **fields})]


def test_two_deals_of_one_item_never_join():
    # Belarus sold the tank to Syria, Russia sold it to India: Belarus -> India is nobody's deal
    graph = make_graph(sale("state:by", "system:t72", "state:sy", "deal:by-sy", date="2000")
                       + sale("state:ru", "system:t72", "state:in", "deal:ru-in", date="2001"))
    assert len(chains(graph, "state:by", "state:in", max_hops=4)) == 0
    [chain] = chains(graph, "state:ru", "state:in")
    assert ids(chain) == ["state:ru", "deal:ru-in", "state:in"]
    assert chain["path"] == "RU → T72 → IN"


def test_the_pair_one_sentence_states_is_one_implied_deal_and_separate_statements_are_not():
    one_sentence = make_graph([("state:ru", "supplies", "system:x", {"date": "2001"}),
                               ("system:x", "transferred_to", "state:cn", {"date": "2001"})])
    # make_graph cites each claim with a quote of its own: here both halves share the quote
    for _, _, data in one_sentence.edges(data=True):
        data["citations"] = [{"document": "doc", "locator": "p. 1", "quote": "Russia sold X to China in 2001."}]
    from coopgraph.graph.deals import attach_deals
    from coopgraph.graph.schema import load_schema

    for _, _, data in one_sentence.edges(data=True):
        data.pop("deal", None)
    attach_deals(one_sentence, load_schema().deal_relations)
    assert len(chains(one_sentence, "state:ru", "state:cn")) == 1
    apart = make_graph([("state:ru", "supplies", "system:x", {"date": "2001"}),
                        ("system:x", "transferred_to", "state:cn", {"date": "2001"})])
    assert len(chains(apart, "state:ru", "state:cn")) == 0


def test_a_re_export_is_two_deals_with_the_middle_state_named():
    graph = make_graph(sale("state:su", "system:mig", "state:cn", "deal:su-cn", date="1960")
                       + sale("state:cn", "system:mig", "state:tz", "deal:cn-tz", date="1970"))
    assert len(chains(graph, "state:su", "state:tz")) == 0   # states are not passed through by default
    [chain] = chains(graph, "state:su", "state:tz", via=["state"])
    assert ids(chain) == ["state:su", "deal:su-cn", "state:cn", "deal:cn-tz", "state:tz"]
    assert [d["id"] for d in chain["deals"]] == ["deal:su-cn", "deal:cn-tz"]


def test_what_the_recipient_does_with_the_item_continues_only_on_its_side():
    graph = make_graph(sale("state:ru", "system:su27", "state:cn", "deal:ru-cn", date="1992")
                       + sale("state:ru", "system:su27", "state:in", "deal:ru-in", date="1996")
                       + [("system:j11", "copy_of", "system:su27", {"date": "1998"}),
                          ("firm:shenyang", "manufactures", "system:j11", {"date": "1998"}),
                          ("system:j11", "equips", "service:plaaf", {"date": "2000"})],
                       countries={"firm:shenyang": "state:cn", "service:plaaf": "state:cn"})
    found = chains(graph, "state:ru", "service:plaaf")
    assert [ids(c) for c in found] == [["state:ru", "deal:ru-cn", "system:j11", "service:plaaf"]]
    assert found.chains[0]["path"] == "RU → SU27 → J11 → PLAAF"
    # the Indian deal reaches nothing Chinese
    assert all("deal:ru-in" not in ids(c) for c in chains(graph, "state:ru", "system:j11"))


def test_a_delivery_to_the_state_counts_as_reaching_its_armed_forces():
    graph = make_graph(sale("state:ru", "system:s400", "state:cn", "deal:s400", date="2015", status="contracted")
                       + sale("state:ru", "system:kilo", "state:cn", "deal:kilo", date="1995")
                       + [("service:pla", "part_of", "state:cn"), ("service:plan", "part_of", "service:pla"),
                          ("system:kilo", "equips", "service:plan", {"date": "1997"})])
    found = chains(graph, "state:ru", "service:pla|service:plan")
    by_deal = {c["nodes"][1]["id"]: c for c in found}
    assert set(by_deal) == {"deal:s400", "deal:kilo"}
    named = by_deal["deal:s400"]["recipient_named"]
    assert named == {"recipient": "state:cn", "name": "CN", "counts_as": ["service:pla"]}
    # the Kilo deal reaches the navy itself, so its stand-in chain to the state is left out
    assert ids(by_deal["deal:kilo"]) == ["state:ru", "deal:kilo", "service:plan"]
    assert by_deal["deal:kilo"]["recipient_named"] is None
    # only a delivery stands in: other flows into the state do not reach its forces
    other = make_graph([("system:x", "produced_in", "state:cn"), ("service:pla", "part_of", "state:cn")])
    assert len(chains(other, "system:x", "service:pla")) == 0


def test_states_as_sources_and_targets():
    graph = make_graph(sale("state:ru", "system:x", "state:cn", "deal:x", date="2001"))
    [chain] = chains(graph, "type:state", "type:state")
    assert ids(chain) == ["state:ru", "deal:x", "state:cn"]


def test_an_item_named_as_source_starts_from_its_deals():
    graph = make_graph(sale("state:ru", "system:su35", "state:cn", "deal:su35", date="2015"))
    [chain] = chains(graph, "system:su35", "state:cn")
    assert ids(chain) == ["deal:su35", "state:cn"] and chain["path"] == "SU35 → CN"


def test_impact_of_removing_an_item_removes_its_deals():
    graph = make_graph(sale("state:ru", "system:su35", "state:cn", "deal:su35", date="2015")
                       + [("service:pla", "part_of", "state:cn")])
    report = impact(graph, ["system:su35"], "state:ru", "service:pla")
    assert [(r["id"], r["outcome"]) for r in report["targets"]] == [("service:pla", "lost")]
    assert [ids(c) for c in report["lost_chains"]] == [["state:ru", "deal:su35", "state:cn"]]


def test_deal_summary_counts_one_contract_once_and_the_furthest_status():
    graph = make_graph(sale("state:ru", "system:su35", "state:cn", "deal:su35", date="2015-11", status="contracted", quantity=24)
                       + sale("state:ru", "system:su35", "state:cn", "deal:su35", date="2019-04", status="delivered", quantity=24)
                       + sale("state:ru", "system:su35", "state:cn", "deal:su35", date="2017", doc="other"),
                       documents={"doc": "2020", "other": "2020"})
    deal = graph.graph["deals"]["deal:su35"]
    assert (deal["ordered"], deal["delivered"], deal["status"]) == (24, 24, "delivered")
    assert deal["order_date"] == "2015-11" and deal["delivery_dates"] == ["2019-04"]
    assert deal["documents"] == ["doc", "other"] and len(deal["claims"]) == 6
    assert len(chains(graph, "state:ru", "state:cn")) == 1   # one deal, one chain, however many reports


# -- how many: contracts add up, one contract counts once, units stay apart (docs/schema.md, "Deals") ----

NUMBERS = """documents:
  - {id: primer, title: A primer, date: "2020-03"}
  - {id: register, title: A trade register, date: "2024-10-13", kind: register}
entities:
  - {id: state:ru, type: state, name: Russia}
  - {id: state:cn, type: state, name: China}
  - {id: system:su-27, type: weapon_system, name: Su-27}
  - {id: system:su-35, type: weapon_system, name: Su-35}
  - {id: system:s-400, type: weapon_system, name: S-400}
  - {id: system:kilo, type: weapon_system, name: Kilo}
"""


def said(item, deal, document, locator, quote, **fields):
    """The supplier's and the recipient's claims of one statement."""
    cite = [{"document": document, "locator": locator, "quote": quote}]
    return [{"subject": "state:ru", "relation": "supplies", "object": item, "deal": deal, "citations": cite, **fields},
            {"subject": item, "relation": "transferred_to", "object": "state:cn", "deal": deal, "citations": cite, **fields}]


def row(item, deal, line, ordered_in, number, delivered=None):
    """A register row: its order and its deliveries (a year, or ``(start, end)``), cited to the row, told apart
    by keys, as the SIPRI importer writes them."""
    quote = f"China,Russia,{ordered_in},,{number},,{item},,{number},,..."
    claims = said(item, deal, "register", f"line {line}", quote, date=ordered_in, status="contracted", quantity=number,
                  key=f"row {line} order")
    if delivered:
        when = {"start": delivered[0], "end": delivered[1]} if isinstance(delivered, tuple) else {"date": delivered}
        claims += said(item, deal, "register", f"line {line}", quote, **when, status="delivered", quantity=number,
                       key=f"row {line} delivery")
    return claims


def numbers_store(tmp_path, claims):
    import yaml

    path = tmp_path / "numbers.yaml"
    path.write_text(NUMBERS + yaml.safe_dump({"claims": claims}, sort_keys=False), encoding="utf-8")
    store = open_store(tmp_path / "numbers.sqlite")
    store.write(load_files([path]), replace=True)
    return store


def _deal_line(output: str, deal: str) -> str:
    """The deal's line of ``coopgraph show`` (wrapped lines joined)."""
    text = " ".join(output.split())
    start = text.index("deal ", text.index("deal(s):"))
    return text[start:text.index(f"({deal})", start)]


def test_the_contracts_a_deal_gathers_add_up(tmp_path, run):
    # the primer's "purchases of the Su-27, 1992-2006" (no number) are three orders in the register
    claims = (said("system:su-27", "deal:su27", "primer", "endnote 9", "China's purchases included the Su-27.",
                   start="1992", end="2006")
              + row("system:su-27", "deal:su27", 90, "1992", 2, "1992")
              + row("system:su-27", "deal:su27", 88, "1995", 24, ("1996", "1997"))
              + row("system:su-27", "deal:su27", 206, "1996", 105, ("1998", "2007")))
    store = numbers_store(tmp_path, claims)
    deal = store.graph().graph["deals"]["deal:su27"]
    assert (deal["ordered"], deal["delivered"], deal["unit"]) == (131, 131, None)    # not 105, the largest row
    assert deal["order_date"] == "1992/1996"
    assert [(c["order_date"], c["ordered"]) for c in deal["contracts"]] == [("1992", 2), ("1995", 24), ("1996", 105)]
    shown = run("show", "Su-27", "--store", tmp_path / "numbers.sqlite")
    assert "131 ordered 1992–1996; 131 delivered 1992, 1996–1997, 1998–2007" in _deal_line(shown.output, "deal:su27")


def test_one_contract_two_documents_report_counts_once(tmp_path, run):
    # CSIS's "contract for 24 Su-35" and SIPRI's row of 24 Su-35S are one contract: 24, not 48; the primer's
    # "completed the delivery" in 2019 and the register's deliveries 2016-2018 are the same 24 aircraft
    claims = (row("system:su-35", "deal:su35", 181, "2015", 24, ("2016", "2018"))
              + said("system:su-35", "deal:su35", "primer", "endnote 32", "China signed a contract for 24 Su-35.",
                     date="2015-11", status="contracted", quantity=24)
              + said("system:su-35", "deal:su35", "primer", "endnote 32", "Russia completed the delivery in April 2019.",
                     date="2019-04", status="delivered", quantity=24))
    # two rows of one register, the same year and number, are two orders; the primer's report of one is not a third
    claims += (row("system:kilo", "deal:kilo", 233, "1993", 2, "1995")
               + row("system:kilo", "deal:kilo", 230, "1993", 2, ("1997", "1999"))
               + said("system:kilo", "deal:kilo", "primer", "p. 4", "Two Kilos were ordered in 1993.", date="1993",
                      status="contracted", quantity=2))
    store = numbers_store(tmp_path, claims)
    deals = store.graph().graph["deals"]
    su35, kilo = deals["deal:su35"], deals["deal:kilo"]
    assert (su35["ordered"], su35["delivered"]) == (24, 24)
    assert (kilo["ordered"], kilo["delivered"]) == (4, 4)
    assert [c["documents"] for c in su35["contracts"]] == [["primer", "register"]]
    assert [c["documents"] for c in kilo["contracts"]] == [["primer", "register"], ["register"]]
    shown = run("show", "Su-35", "--store", tmp_path / "numbers.sqlite")
    assert "24 ordered 2015; 24 delivered 2016–2018, 2019-04" in _deal_line(shown.output, "deal:su35")


def test_numbers_of_different_units_are_never_added(tmp_path, run):
    # the primer counts regiments (and regimental sets delivered), the register counts S-400 systems
    claims = (said("system:s-400", "deal:s400", "primer", "endnote 31", "Russia announced the sale of two S-400 "
                   "regiments.", date="2015", status="announced", quantity=2, unit="regiments")
              + said("system:s-400", "deal:s400", "primer", "endnote 31", "Russia completed delivery of the first "
                     "regimental set in May 2018", date="2018-05", status="delivered", quantity=1, unit="regimental sets")
              + said("system:s-400", "deal:s400", "primer", "endnote 31", "delivery of the second regimental set "
                     "began in July 2019.", date="2019-07", status="in_progress", quantity=1, unit="regimental sets")
              + row("system:s-400", "deal:s400", 167, "2015", 8, ("2018", "2019")))
    store = numbers_store(tmp_path, claims)
    deal = store.graph().graph["deals"]["deal:s400"]
    assert deal["numbers"] == [{"unit": None, "ordered": 8, "delivered": 8},
                               {"unit": "regimental sets", "ordered": None, "delivered": 2},
                               {"unit": "regiments", "ordered": 2, "delivered": None}]
    assert (deal["ordered"], deal["delivered"], deal["unit"]) == ("8 S-400 / 2 regiments", "8 S-400 / 2 regimental sets",
                                                                  None)
    line = _deal_line(run("show", "S-400", "--store", tmp_path / "numbers.sqlite").output, "deal:s400")
    assert "8 S-400 / 2 regiments ordered 2015; 8 S-400 / 2 regimental sets delivered" in line
    assert "10" not in line and "8 regiments" not in line


DOCS = """documents:
  - {id: a, title: Report A, date: "2020"}
  - {id: b, title: Report B, date: "2021"}
entities:
  - {id: state:ru, type: state, name: Russia}
  - {id: state:cn, type: state, name: China}
  - {id: state:by, type: state, name: Belarus}
  - {id: system:su-35, type: weapon_system, name: Su-35}
"""


def test_one_deal_two_documents_is_one_deal_with_both_citations(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(DOCS + """deals:
  - {id: deal:su35, item: system:su-35, supplier: state:ru, recipient: state:cn, variant: Su-35S}
claims:
  - {subject: state:ru, relation: supplies, object: system:su-35, deal: su35, date: "2015",
     citations: [{document: a, locator: p. 1, quote: Russia sold Su-35 to China.}]}
  - {subject: system:su-35, relation: transferred_to, object: state:cn, deal: su35, date: "2015",
     citations: [{document: b, locator: p. 9, quote: China bought Su-35 from Russia.}]}
""", encoding="utf-8")
    store = open_store(tmp_path / "s.sqlite")
    store.write(load_files([path]), replace=True)
    deals = store.graph().graph["deals"]
    assert list(deals) == ["deal:su35"]
    assert deals["deal:su35"]["documents"] == ["a", "b"] and deals["deal:su35"]["item_name"] == "Su-35 (Su-35S)"
    assert store.counts()["deals"] == 1
    [chain] = chains(store.graph(), "state:ru", "state:cn")
    cited = {c["document"] for step in chain["steps"] for claim in step["claims"] for c in claim["citations"]}
    assert cited == {"a", "b"}


def test_a_claim_that_disagrees_with_its_deal_is_refused_with_where_and_what(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(DOCS + """claims:
  - {subject: state:ru, relation: supplies, object: system:su-35, deal: su35, date: "2015",
     citations: [{document: a, locator: p. 1, quote: Russia sold Su-35.}]}
  - subject: state:by
    relation: supplies
    object: system:su-35
    deal: su35
    date: "2016"
    citations: [{document: a, locator: p. 2, quote: Belarus sold Su-35.}]
""", encoding="utf-8")
    store = open_store(tmp_path / "s.sqlite")
    store.write(load_files([DOCS_FILE(tmp_path)]), replace=True)
    before = (tmp_path / "s.sqlite").read_bytes()
    with pytest.raises(ValidationError) as err:
        load_files([path])
    [problem] = err.value.problems
    assert problem.line == 12 and problem.field == "subject"
    assert "supplier state:by" in problem.message and "state:ru" in problem.message
    assert (tmp_path / "s.sqlite").read_bytes() == before


def DOCS_FILE(tmp_path):
    path = tmp_path / "base.yaml"
    path.write_text(DOCS, encoding="utf-8")
    return path


def test_deal_on_a_relation_that_is_not_a_transfer_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(DOCS + """claims:
  - {subject: state:ru, relation: cooperates_with, object: state:cn, deal: x,
     citations: [{document: a, locator: p. 1, quote: They cooperate.}]}
""", encoding="utf-8")
    with pytest.raises(ValidationError, match="field 'deal': a 'cooperates_with' claim is not part of a transfer"):
        load_files([path])


def test_a_store_from_before_deals_is_migrated_with_a_message_and_reads_the_same(tmp_path):
    path = tmp_path / "old.sqlite"
    store = open_store(path)
    store.write(load_files([DOCS_FILE(tmp_path)]), replace=True)
    counts = store.counts()
    store.close()
    conn = sqlite3.connect(path)
    # the layout-1 store: no deals table, no claims.deal column
    conn.executescript("DROP TABLE deals; ALTER TABLE claims DROP COLUMN deal; "
                       "UPDATE meta SET value = '1' WHERE key = 'schema_version';")
    conn.close()
    reopened = open_store(path)
    assert reopened.counts() == counts
    assert reopened.migrated and "layout 1 to 2" in reopened.migrated and "load --replace" in reopened.migrated
    assert reopened.exists()


def test_the_cli_says_when_it_migrated_an_old_store(run, tmp_path, mini_store_path):
    conn = sqlite3.connect(mini_store_path)
    conn.executescript("DROP TABLE deals; ALTER TABLE claims DROP COLUMN deal; "
                       "UPDATE meta SET value = '1' WHERE key = 'schema_version';")
    conn.close()
    first = run("stats", "--store", mini_store_path)
    assert first.exit_code == 0 and "migrated store" in first.output and "load --replace" in first.output
    again = run("stats", "--store", mini_store_path)
    assert "migrated" not in again.output


def test_deals_of_the_same_parties_and_item_make_one_chain_and_other_parties_another():
    graph = make_graph(sale("state:ru", "tech:eng", "state:cn", "deal:one", date="2011", quantity=150)
                       + sale("state:ru", "tech:eng", "state:cn", "deal:two", date="2012", quantity=140)
                       + sale("state:ru", "tech:eng", "state:in", "deal:three", date="2012"))
    found = chains(graph, "state:ru", "state:cn|state:in")
    assert sorted(ids(c)[1:] for c in found) == [["deal:one", "state:cn"], ["deal:three", "state:in"]]
    one = next(c for c in found if ids(c)[-1] == "state:cn")
    assert [d["id"] for d in one["deals"]] == ["deal:one", "deal:two"]


def test_a_chain_names_a_party_of_every_deal_it_passes():
    # R's engine goes into the jet; R sells the jet to C; C's programme uses the jet.
    graph = make_graph(sale("state:r", "system:jet", "state:c", "deal:jet", date="2001")
                       + [("tech:engine", "component_of", "system:jet", {"date": "1999"}),
                          ("firm:maker", "manufactures", "tech:engine", {"date": "1998"}),
                          ("system:jet", "equips", "service:caf", {"date": "2003"})],
                       countries={"firm:maker": "state:r", "service:caf": "state:c"})
    # in through the item's input, out to the deal's recipient: the buyer is named
    assert [ids(c) for c in chains(graph, "tech:engine", "state:c")] == [["tech:engine", "deal:jet", "state:c"]]
    # from the seller, on to what the buyer does with the item: the seller is named
    assert [ids(c) for c in chains(graph, "state:r", "service:caf")] == [["state:r", "deal:jet", "service:caf"]]
    # in through the input and out through a use, naming neither party of the sale: not through the deal
    # (the design facts alone still join: the engine is in the jet, the jet equips the force)
    assert [ids(c) for c in chains(graph, "tech:engine", "service:caf")] == [["tech:engine", "system:jet", "service:caf"]]
    assert all("deal:jet" not in ids(c) for c in chains(graph, "firm:maker", "service:caf"))


def test_load_replace_keeps_the_bundled_deals_and_adds_the_files(tmp_path):
    from coopgraph.loaders import load_bundled, load_into

    path = tmp_path / "mine.yaml"
    path.write_text(DOCS.replace("state:ru, type: state, name: Russia", "state:ru2, type: state, name: Ruthenia")
                    .replace("state:cn, type: state, name: China", "state:cn2, type: state, name: Cathay")
                    .replace("state:by, type: state, name: Belarus", "state:by2, type: state, name: Byland")
                    .replace("system:su-35, type: weapon_system, name: Su-35", "system:x9, type: weapon_system, name: X-9")
                    + """deals:
  - {id: deal:x9, item: system:x9, supplier: state:ru2, recipient: state:cn2}
""", encoding="utf-8")
    store = open_store(tmp_path / "s.sqlite")
    counts = load_into(store, [path], replace=True)
    assert counts["deals"] == len(load_bundled().deals) + 1
    assert "deal:ru-cn-su-35-2015" in store.dataset(claims=False).deals


def test_each_deal_summary_read_later_is_the_one_worked_out_from_its_claims(bundled_store_file):
    """graph.graph["deals"] works a summary out when first read: it must be the summary of the deal's claims,
    and the parties a search reads without it must be the summary's."""
    from coopgraph.graph.deals import deal_parties, deal_summary, item_of_deal

    store = open_store(bundled_store_file)
    graph = store.graph()
    deals = graph.graph["deals"]
    members: dict[str, list] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        if data.get("deal"):
            members.setdefault(data["deal"], []).append((u, v, key, data))
    declared = store.dataset().deals
    assert len(deals) > 50
    for deal_id in deals:
        parties = deal_parties(deals, deal_id)  # read before the summary is worked out
        summary = deals[deal_id]
        assert summary == deal_summary(deal_id, members.get(deal_id, []), declared.get(deal_id), graph)
        assert parties == (summary["suppliers"], summary["item"], summary["recipients"])
        assert item_of_deal(deals, deal_id) == summary["item"]
    assert "deal:no-such-deal" not in deals
    with pytest.raises(KeyError):
        deals["deal:no-such-deal"]
