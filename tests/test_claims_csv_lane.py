"""The fast lane for claims CSV files gives exactly what the full checks give: same claims, same errors."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from coopgraph.graph.errors import ValidationError
from coopgraph.graph.schema import load_schema
from coopgraph.loaders import load_files
from coopgraph.loaders.files import read_files
from coopgraph.loaders.records import iter_csv_records
from coopgraph.loaders.validate import validate_records

from .conftest import MINI

HEADER = ["subject", "relation", "object", "date", "start", "end", "circa", "status", "confidence", "quantity",
          "unit", "key", "notes", "document", "locator", "quote", "value_amount", "value_currency", "deal"]
DOC = "ruritania-review-2021"

# each column's pool: mostly plain values, some that need care, some that are wrong
POOLS = {
    "subject": ["firm:zenda-motors", "firm:zenda-motors", " firm:zenda-motors ", "state:ruritania", "firm:nope", ""],
    "relation": ["manufactures", "manufactures", "supplies", "transferred_to", "manufacture", ""],
    "object": ["tech:zm-9-engine", "tech:zm-9-engine", "system:falcon", "state:freedonia", "tech:nope"],
    "date": ["", "", "1995", "1995-03", " 2001 ", "1990s", "2015-13", "c. 1999"],
    "start": ["", "", "", "1998", "2004"],
    "end": ["", "", "", "2002", "1997"],
    "circa": ["", "", "yes", "TRUE", "0", " "],
    "status": ["", "", "reported", "contracted", "rumoured"],
    "confidence": ["", "", "0.9", " 0.5", "1", "1.5", "high", "nan"],
    "quantity": ["", "", "24", "1,200", "-3", "two"],
    "unit": ["", "", "engines"],
    "key": ["", "", "", "k1"],
    "notes": ["", "", "a note", "  spaced  "],
    "document": [DOC, DOC, DOC, f" {DOC}", "no-such-doc", ""],
    "locator": ["p. 3", "p. 3", "p. 4", "endnote 7", ""],
    "quote": ["Zenda builds the ZM-9.", "Zenda  builds\nthe ZM-9.", "Another line.", "", "Zenda builds the ZM-9."],
    "value_amount": ["", "", "", "", "2.5e9", "lots"],
    "value_currency": ["", "", "", "", "USD"],
    # a deal: shared by rows that may or may not agree on its parts, without its prefix, or badly named
    "deal": ["", "", "", "", "deal:zm-sale", "zm-sale", " deal:zm-sale ", "deal:falcon-2001", "deal:Bad Id", "deal:"],
}


# the values of each pool that are valid whatever else the row holds
GOOD = {column: [v for v in pool if v not in {"firm:nope", "manufacture", "tech:nope", "2015-13", "c. 1999", "2004",
                                               "1997", "rumoured", "1.5", "high", "nan", "-3", "two", "no-such-doc",
                                               "lots", "USD", "2.5e9", "deal:Bad Id", "deal:"} and (v.strip() or column not in
                                               ("subject", "relation", "object", "document", "locator", "quote"))]
        for column, pool in POOLS.items()}


def allowed_triples() -> list[tuple[str, str, str]]:
    schema = load_schema()
    types = {"state:ruritania": "state", "state:freedonia": "state", "firm:zenda-motors": "firm",
             "tech:zm-9-engine": "technology", "system:falcon": "weapon_system", "system:hawk": "weapon_system"}
    return [(s, name, o) for name, rel in schema.relation_types.items() for s in types for o in types
            if s != o and rel.allows(types[s], types[o])]


def write_claims(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def both_lanes(claims_file: Path):
    """(fast lane result, full-checks result): each a Dataset, or the list of problem texts."""
    schema = load_schema()
    base = read_files([MINI / "documents.yaml", MINI / "entities.yaml"])
    outcomes = []
    for records, files in ((base, [claims_file]), (base + list(iter_csv_records(claims_file)), [])):
        try:
            outcomes.append(validate_records(records, schema, claim_files=files))
        except ValidationError as exc:
            outcomes.append([str(p) for p in exc.problems])
    return outcomes


@pytest.mark.parametrize("seed", range(40))
def test_fast_lane_agrees_with_the_full_checks_on_random_rows(tmp_path, seed):
    rng = random.Random(seed)
    rows = [{column: rng.choice(pool) for column, pool in POOLS.items()} for _ in range(rng.randint(1, 25))]
    rows += [dict(rng.choice(rows)) for _ in range(rng.randint(0, 5))]  # restated claims, exact or with other citations
    for row in rows[-3:]:
        row["locator"] = rng.choice(POOLS["locator"])
    fast, full = both_lanes(write_claims(tmp_path / "claims.csv", rows))
    assert type(fast) is type(full)
    if isinstance(full, list):
        # the full checks look at field names of every record first, so only the order may differ
        assert sorted(fast) == sorted(full)
    else:
        assert list(fast.claims.items()) == list(full.claims.items())
        assert fast.deals == full.deals


@pytest.mark.parametrize("seed", range(20))
def test_fast_lane_builds_the_same_dataset_from_valid_rows(tmp_path, seed):
    rng = random.Random(seed)
    triples = allowed_triples()
    rows = []
    for number in range(rng.randint(1, 40)):
        row = {column: rng.choice(pool) for column, pool in GOOD.items()}
        row["key"] = rng.choice(["", f"k{number}", f" k{number} "]) if number % 3 else f"k{number}"
        row["subject"], row["relation"], row["object"] = rng.choice(triples)
        if row["start"] or row["end"]:
            row["date"] = ""
        # a deal of its own for some transfers (shared deals are the random rows' test: they may disagree)
        row["deal"] = rng.choice(["", f"deal:d{number}", f"d{number}"]) if row["relation"] in load_schema().deal_relations else ""
        rows.append(row)
    for _ in range(rng.randint(0, 10)):  # restatements: same claim, another citation
        rows.append({**rng.choice(rows), "locator": rng.choice(GOOD["locator"]), "quote": rng.choice(GOOD["quote"])})
    fast, full = both_lanes(write_claims(tmp_path / "claims.csv", rows))
    assert not isinstance(full, list), full
    assert list(fast.claims.items()) == list(full.claims.items())
    assert fast.deals == full.deals
    assert len(fast.claims) >= 1


def test_fast_lane_gathers_restated_claims_and_keeps_every_field(tmp_path):
    plain = {"subject": "firm:zenda-motors", "relation": "manufactures", "object": "tech:zm-9-engine", "date": "1995",
             "document": DOC, "locator": "p. 3", "quote": "Zenda builds the ZM-9."}
    rows = [plain, {**plain, "locator": "p. 9", "quote": "The ZM-9  is Zenda's."}, plain,
            {**plain, "date": "", "start": "1998", "end": "2002", "circa": "yes", "status": "contracted",
             "confidence": "0.6", "quantity": "1,200", "unit": "engines", "key": "k1", "notes": " batch "}]
    fast, full = both_lanes(write_claims(tmp_path / "claims.csv", rows))
    assert list(fast.claims.values()) == list(full.claims.values())
    first, second = fast.claims.values()
    assert [c.locator for c in first.citations] == ["p. 3", "p. 9"]
    assert first.citations[1].quote == "The ZM-9 is Zenda's."
    assert (second.start, second.end, second.circa, second.status, second.confidence, second.quantity,
            second.unit, second.key, second.notes) == ("1998", "2002", True, "contracted", 0.6, 1200, "engines", "k1", "batch")


def test_rows_of_one_deal_must_agree_on_its_parts_in_both_lanes(tmp_path):
    sale = {"subject": "firm:zenda-motors", "relation": "supplies", "object": "tech:zm-9-engine", "date": "1995",
            "document": DOC, "locator": "p. 3", "quote": "Zenda sold ZM-9 engines to Freedonia.", "deal": "zm-sale"}
    delivered = {**sale, "subject": "tech:zm-9-engine", "relation": "transferred_to", "object": "state:freedonia"}
    fast, full = both_lanes(write_claims(tmp_path / "claims.csv", [sale, delivered]))
    assert list(fast.claims.items()) == list(full.claims.items())
    assert fast.deals == full.deals
    assert {c.deal for c in fast.claims.values()} == {"deal:zm-sale"}
    assert (fast.deals["deal:zm-sale"].supplier, fast.deals["deal:zm-sale"].recipient) == ("firm:zenda-motors", "state:freedonia")
    # another supplier for the same deal: refused in both lanes, naming the row, the field and both parties
    path = write_claims(tmp_path / "claims.csv", [sale, delivered, {**sale, "subject": "state:ruritania"}])
    fast, full = both_lanes(path)
    assert fast == full and len(fast) == 1
    assert fast[0].startswith(f"{path}:4: field 'subject':") and "firm:zenda-motors" in fast[0] and "state:ruritania" in fast[0]


def test_a_conflict_between_rows_names_both_lines(tmp_path):
    plain = {"subject": "firm:zenda-motors", "relation": "manufactures", "object": "tech:zm-9-engine", "date": "1995",
             "document": DOC, "locator": "p. 3", "quote": "Zenda builds the ZM-9."}
    path = write_claims(tmp_path / "claims.csv", [plain, {**plain, "status": "contracted"}])
    fast, full = both_lanes(path)
    assert fast == full
    assert len(fast) == 1
    assert fast[0].startswith(f"{path}:3: ") and f"conflicts with the claim at {path}:2" in fast[0]


def test_a_directory_load_reports_progress_up_to_every_row(tmp_path):
    plain = {"subject": "firm:zenda-motors", "relation": "manufactures", "object": "tech:zm-9-engine",
             "document": DOC, "locator": "p. 3"}
    rows = [{**plain, "quote": f"Statement {n}.", "key": f"k{n}"} for n in range(4500)]
    folder = tmp_path / "set"
    folder.mkdir()
    for name in ("documents.yaml", "entities.yaml"):
        (folder / name).write_text((MINI / name).read_text(encoding="utf-8"), encoding="utf-8")
    write_claims(folder / "claims.csv", rows)
    seen = []
    data = load_files([folder], progress=lambda done, total, what: seen.append((done, total)))
    assert len(data.claims) == 4500
    assert seen[-1] == (4500, 4500)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) >= 3


def test_a_claim_restated_across_a_yaml_and_a_csv_file_gathers_both_citations(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    for name in ("documents.yaml", "entities.yaml"):
        (folder / name).write_text((MINI / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "claims.yaml").write_text(
        "- subject: firm:zenda-motors\n  relation: manufactures\n  object: tech:zm-9-engine\n  date: '1995'\n"
        f"  citations: [{{document: {DOC}, locator: p. 1, quote: Zenda makes the ZM-9.}}]\n", encoding="utf-8")
    plain = {"subject": "firm:zenda-motors", "relation": "manufactures", "object": "tech:zm-9-engine", "date": "1995",
             "document": DOC, "locator": "p. 3", "quote": "Zenda builds the ZM-9."}
    write_claims(folder / "claims-more.csv", [plain])
    (claim,) = load_files([folder]).claims.values()
    assert [c.locator for c in claim.citations] == ["p. 1", "p. 3"]
    write_claims(folder / "claims-more.csv", [{**plain, "confidence": "0.3"}])
    with pytest.raises(ValidationError) as caught:
        load_files([folder])
    (problem,) = caught.value.problems
    assert problem.file.endswith("claims-more.csv") and problem.line == 2
    assert "claims.yaml:1" in problem.message


def test_an_empty_or_header_only_claims_file_adds_nothing(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    for name in ("documents.yaml", "entities.yaml"):
        (folder / name).write_text((MINI / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "claims.csv").write_text("", encoding="utf-8")
    assert load_files([folder]).claims == {}
    (folder / "claims.csv").write_text("\ufeff" + ",".join(HEADER) + "\n", encoding="utf-8")
    assert load_files([folder]).claims == {}
