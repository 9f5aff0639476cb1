"""One test per kind of bad input: each message names file, line, field and a fix."""

from __future__ import annotations

import textwrap

import pytest

from coopgraph.graph.errors import ValidationError
from coopgraph.loaders import load_files
from tests.conftest import MINI

HEADER = "claims:\n"


def problems_for(tmp_path, body: str, name: str = "claims.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    with pytest.raises(ValidationError) as info:
        load_files([MINI / "documents.yaml", MINI / "entities.yaml", path])
    return [str(p) for p in info.value.problems]


GOOD_CITATION = '    citations:\n      - {document: ruritania-review-2021, locator: p. 3, quote: "Zenda Motors builds the ZM-9 engine."}\n'


def claim(**fields) -> str:
    base = {"subject": "firm:zenda-motors", "relation": "manufactures", "object": "tech:zm-9-engine"}
    base.update(fields)
    lines = "".join(f"    {k}: {v}\n" for k, v in base.items() if v is not None)
    return "  -" + lines[3:] + GOOD_CITATION


def test_unknown_entity_reference(tmp_path):
    [msg] = problems_for(tmp_path, HEADER + claim(object="tech:zm-10-engine"))
    assert msg.startswith(f"{tmp_path / 'claims.yaml'}:4: field 'object'")
    assert "unknown entity 'tech:zm-10-engine'" in msg and "did you mean 'tech:zm-9-engine'" in msg


def test_unknown_entity_type(tmp_path):
    body = "entities:\n  - id: firm:acme\n    type: company\n    name: Acme\n"
    [msg] = problems_for(tmp_path, body, "entities-extra.yaml")
    assert ":3: field 'type': unknown entity type 'company'" in msg


def test_unknown_relation_type(tmp_path):
    [msg] = problems_for(tmp_path, HEADER + claim(relation="builds"))
    assert ":3: field 'relation': unknown relation type 'builds'" in msg


def test_endpoint_types_not_allowed_for_relation(tmp_path):
    [msg] = problems_for(tmp_path, HEADER + claim(relation="transferred_to", subject="state:ruritania", object="state:freedonia"))
    assert ":3: field 'relation'" in msg
    assert "cannot join a state (state:ruritania) to a state (state:freedonia)" in msg


@pytest.mark.parametrize("value, fragment", [('"2015-13"', "month 13"), ('"2015-02-30"', "day 30"), ('"March 2015"', "not a date")])
def test_malformed_or_impossible_date(tmp_path, value, fragment):
    [msg] = problems_for(tmp_path, HEADER + claim(date=value))
    assert ":5: field 'date'" in msg and fragment in msg


def test_end_before_start(tmp_path):
    [msg] = problems_for(tmp_path, HEADER + claim(start='"2016"', end='"2015-11"'))
    assert ":6: field 'end': end 2015-11 is before start 2016" in msg


def test_claim_without_citation(tmp_path):
    body = HEADER + "  - subject: firm:zenda-motors\n    relation: manufactures\n    object: tech:zm-9-engine\n"
    [msg] = problems_for(tmp_path, body)
    assert ":2: field 'citations': missing" in msg and "add at least one citation" in msg


def test_citation_to_unknown_document(tmp_path):
    body = HEADER + claim().replace("ruritania-review-2021", "ruritania-review-2012")
    [msg] = problems_for(tmp_path, body)
    assert "field 'citations'" in msg and "unknown document 'ruritania-review-2012'" in msg


def test_citation_without_quote(tmp_path):
    body = HEADER + claim().replace(', quote: "Zenda Motors builds the ZM-9 engine."', "")
    [msg] = problems_for(tmp_path, body)
    assert "citation 1 lacks quote" in msg


def test_conflicting_duplicate_claims(tmp_path):
    body = HEADER + claim(status="reported") + claim(status="delivered")
    [msg] = problems_for(tmp_path, body)
    assert ":8:" in msg and "conflicts with the claim at" in msg and ":2" in msg


def test_conflicting_duplicate_entity_ids(tmp_path):
    body = "entities:\n  - {id: firm:acme, type: firm, name: Acme}\n  - {id: firm:acme, type: firm, name: Acme Corp}\n"
    [msg] = problems_for(tmp_path, body, "entities-extra.yaml")
    assert ":3: field 'id': duplicate id 'firm:acme'" in msg


def test_identical_duplicate_claims_merge_their_citations(tmp_path):
    second = claim().replace("p. 3", "p. 30")
    path = tmp_path / "claims.yaml"
    path.write_text(HEADER + claim() + second)
    data = load_files([MINI / "documents.yaml", MINI / "entities.yaml", path])
    [merged] = data.claims.values()
    assert [c.locator for c in merged.citations] == ["p. 3", "p. 30"]


def test_misspelt_field_is_named_with_a_suggestion(tmp_path):
    [msg] = problems_for(tmp_path, HEADER + claim(staus="delivered"))
    assert "field 'staus': unknown field (fix: did you mean 'status'?)" in msg


def test_out_of_range_confidence_and_unknown_status(tmp_path):
    msgs = problems_for(tmp_path, HEADER + claim(confidence="1.5", status="sold"))
    assert any("field 'confidence': 1.5 is outside 0..1" in m for m in msgs)
    assert any("field 'status': unknown status 'sold'" in m for m in msgs)


def test_all_problems_of_all_files_are_reported_in_one_run(tmp_path):
    msgs = problems_for(tmp_path, HEADER + claim(date='"2015-13"') + claim(object="tech:nothing", key="k2") + claim(relation="sells", key="k3"))
    assert len(msgs) == 3
    assert [m.split(":")[1] for m in msgs] == ["5", "10", "15"]


def test_wrong_id_prefix_for_type(tmp_path):
    body = "entities:\n  - {id: system:acme, type: firm, name: Acme}\n"
    [msg] = problems_for(tmp_path, body, "entities-extra.yaml")
    assert "a firm id must start with 'firm:'" in msg and "firm:acme" in msg


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n  - subject: a\n   relation: b\n")
    with pytest.raises(ValidationError) as info:
        load_files([path])
    assert f"{path}:3" in str(info.value) and "not valid YAML" in str(info.value)


def test_csv_rows_are_located_by_line(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(
        "subject,relation,object,date,document,locator,quote\n"
        "firm:zenda-motors,manufactures,tech:zm-9-engine,1995,ruritania-review-2021,p. 3,Zenda Motors builds the ZM-9 engine.\n"
        "firm:zenda-motors,manufactures,system:falcon,1995-00,ruritania-review-2021,p. 3,x\n"
    )
    with pytest.raises(ValidationError) as info:
        load_files([MINI / "documents.yaml", MINI / "entities.yaml", path])
    text = str(info.value)
    assert f"{path}:3: field 'date'" in text


def test_validation_reports_progress_up_to_the_total():
    seen = []
    load_files([MINI], progress=lambda done, total, what: seen.append((done, total, what)))
    assert seen and seen[-1] == (5, 5, "claim rows")
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)


def test_streamed_claims_csv_problems_join_the_other_files_problems(tmp_path):
    entities = tmp_path / "entities-extra.yaml"
    entities.write_text("entities:\n  - {id: firm:acme, type: company, name: Acme}\n")
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "subject,relation,object,date,document,locator,quote\n"
        "firm:zenda-motors,manufactures,tech:zm-9-engine,2015-13,ruritania-review-2021,p. 3,q\n"
        "firm:zenda-motors,manufactures,tech:zm-9-engine,1995,ruritania-review-2021,p. 3\n")
    with pytest.raises(ValidationError) as info:
        load_files([MINI / "documents.yaml", MINI / "entities.yaml", entities, claims])
    text = str(info.value)
    assert "entities-extra.yaml:2: field 'type': unknown entity type 'company'" in text
    assert f"{claims}:2: field 'date'" in text
    assert f"{claims}:3: 6 cells, but the header has 7" in text
