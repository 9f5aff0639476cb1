"""Chains over the real SIPRI trade register are sound: a transfer is one fact.

The register slice in ``tests/fixtures/sipri`` (2,643 real rows, see its
PROVENANCE.md) is imported, with the API ``coopgraph import sipri`` uses, into a
copy of the bundled store. Then, for **every** pair of a register supplier state
and a register recipient state, the chain search is asked for chains of up to
four hops. A chain whose every hop is cited only to the register must name a
(supplier, recipient) pair that some register row holds: anything else joins the
supplier of one transfer to the recipient of another (Belarus sold T-72M1 tanks
to Iran, the Soviet Union sold T-72M1 tanks to India: Belarus sold nothing to
India).

The register is imported and the graph built once for the module. The chain
search builds its flow view of the graph on every call; the graph does not
change between the queries here, so the test builds that view once too.
"""

from __future__ import annotations

import csv
import itertools
import shutil
import time
from collections import defaultdict

import pytest

from coopgraph.graph.sqlite_store import fold
from coopgraph.graph.store import open_store
from coopgraph.loaders.importers import import_file
from coopgraph.loaders.resolve_names import index_for
from tests.conftest import FIXTURES

REGISTER = FIXTURES / "sipri" / "trade-register.csv"
MAX_HOPS = 4


def _register_rows() -> list[list[str]]:
    """The register's records as cells, read here independently of the importer.

    The file is Latin-1 with 11 preamble lines before the header; one record is
    broken over two lines by an unquoted newline, whose second half (it starts
    with an empty cell) holds no names and is left out.
    """
    lines = REGISTER.read_bytes().decode("latin-1").split("\n")
    head = next(i for i, line in enumerate(lines) if line.startswith("Recipient,Supplier,"))
    return [cells for cells in csv.reader(lines[head + 1:]) if len(cells) > 7 and cells[0].strip()]


def _is_state(name: str) -> bool:
    # SIPRI marks non-state armed groups with '*' and international organisations with '**'
    return not name.endswith("*") and not name.lower().startswith("unknown")


def _is_generic(designation: str) -> bool:
    """A designation that only names a class of item: lower-case descriptive words, no model name."""
    return not any(ch.isupper() or ch.isdigit() for ch in designation)


@pytest.fixture(scope="module")
def register(tmp_path_factory, bundled_store_file):
    path = tmp_path_factory.mktemp("register") / "store.sqlite"
    shutil.copy(bundled_store_file, path)
    store = open_store(path)
    report = import_file(store, "sipri", REGISTER)
    assert report.rows == 2643
    data = store.dataset()
    documents = [d for d in data.documents if d.startswith("sipri-trade-register-")]
    assert len(documents) == 1
    _, index = index_for(store)

    def state(name: str) -> str:
        found = index.resolve(name.strip(), ("state",))
        assert found.id, f"register state '{name}' resolves to no state entity"
        return found.id

    rows = _register_rows()
    assert len(rows) == 2643
    pairs = {(state(r[1]), state(r[0])) for r in rows if _is_state(r[1]) and _is_state(r[0])}
    yield {
        "store": store,
        "data": data,
        "graph": store.graph(),
        "document": documents[0],
        "pairs": pairs,
        "suppliers": sorted({s for s, _ in pairs}),
        "recipients": sorted({r for _, r in pairs}),
        "rows": rows,
    }
    store.close()


def test_register_only_chains_name_a_register_pair(register):
    from coopgraph.queries import chains

    graph, document, pairs = register["graph"], register["document"], register["pairs"]
    suppliers, recipients = register["suppliers"], register["recipients"]
    assert len(recipients) == 6 and len(suppliers) > 40
    started = time.perf_counter()
    unsound: list[str] = []
    checked = 0
    for supplier, recipient in itertools.product(suppliers, recipients):
        if supplier == recipient:
            continue
        result = chains(graph, [supplier], [recipient], max_hops=MAX_HOPS, limit=10000)
        assert result.complete, f"{supplier} -> {recipient}: the search stopped at its budget"
        for chain in result.chains:
            documents = {citation["document"] for step in chain["steps"] for claim in step["claims"]
                         for citation in claim["citations"]}
            if documents != {document}:
                continue  # other evidence joins in: not the register's word alone
            checked += 1
            ends = (chain["nodes"][0]["id"], chain["nodes"][-1]["id"])
            if ends not in pairs:
                unsound.append(f"{ends[0]} -> {ends[1]}: {chain['path']}")
    elapsed = time.perf_counter() - started
    assert checked > 0, "no chain rests on the register alone: the import or the search lost it"
    assert not unsound, (f"{len(unsound)} chain(s) cited only to the register join a supplier to a recipient "
                         f"that no register row pairs:\n" + "\n".join(unsound[:40]))
    assert elapsed < 60, f"the {len(suppliers) * len(recipients)} chain searches took {elapsed:.0f} s"


def test_belarus_to_india_gives_no_chain(register):
    from coopgraph.queries import chains

    assert ("state:belarus", "state:india") not in register["pairs"]
    found = chains(register["graph"], ["state:belarus"], ["state:india"], max_hops=MAX_HOPS, limit=10000)
    assert found.chains == [], [c["path"] for c in found.chains]


def test_no_generic_designation_entity_joins_two_deals(register):
    """An item of a row whose designation only names a class ("ship engine") is shared by two deals
    only when both rows' comments name it (the DR-77 gas turbine in four deals), and no entity is
    named by the class itself."""
    data = register["data"]
    generic = {fold(r[6]) for r in register["rows"] if _is_generic(r[6])}
    assert generic >= {"ship engine", "vehicle engine", "aircraft engine"}
    assert not [e.id for e in data.entities.values() if any(fold(n) in generic for n in e.names)]
    row_of: dict[str, list[str]] = {}
    for claim in data.claims.values():
        if claim.deal and claim.deal.startswith("deal:sipri-") and claim.deal not in row_of:
            row_of[claim.deal] = next(csv.reader([claim.citations[0].quote]))
    deals_of: dict[str, list[str]] = defaultdict(list)
    for deal_id, deal in data.deals.items():
        if deal_id in row_of:
            deals_of[deal.item].append(deal_id)
    generic_deals = [d for d, row in row_of.items() if _is_generic(row[6])]
    assert len(generic_deals) == 130
    joined = []
    for deal_id in generic_deals:
        item = data.entities[data.deals[deal_id].item]
        others = [d for d in deals_of[item.id] if d != deal_id]
        comments = fold(row_of[deal_id][12])
        if others and not any(fold(name) in comments for name in item.names):
            joined.append(f"{item.id} ({item.name}): {deal_id} and {', '.join(others)}")
    assert not joined, "generic designations joined unrelated deals:\n" + "\n".join(joined)
