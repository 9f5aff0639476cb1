"""The bundled dataset: valid, cited, and quoting the seed reports verbatim."""

from __future__ import annotations

import re

import pytest

from coopgraph.loaders import load_bundled
from tests.conftest import SEEDS

SEED_FILES = {"csis-2020-mtc-primer": "004_1a5674b8be74f44c.txt", "uts-2022-advanced-tech": "000_5815f986e265747f.txt"}
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def normalise(text: str) -> str:
    """Whitespace collapsed, markdown links and escapes and endnote superscripts removed."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = text.replace("\\$", "$")
    text = text.translate({ord(c): None for c in SUPERSCRIPTS})
    return " ".join(text.split())


@pytest.fixture(scope="module")
def bundled():
    return load_bundled()


REGISTER = "sipri-trade-register-2024-10-13"


def test_bundled_dataset_validates_and_every_claim_is_cited(bundled):
    # the two seed reports, and the SIPRI register's Russia/USSR -> China rows
    assert set(bundled.documents) == set(SEED_FILES) | {REGISTER}
    assert len(bundled.entities) >= 120 and len(bundled.claims) >= 200
    assert all(claim.citations for claim in bundled.claims.values())


def test_every_csis_locator_is_an_endnote_of_the_primer_or_a_section(bundled):
    for claim in bundled.claims.values():
        for cit in claim.citations:
            if cit.document == "csis-2020-mtc-primer":
                match = re.fullmatch(r"endnote (\d+)", cit.locator)
                assert match and 1 <= int(match.group(1)) <= 73 or cit.locator.startswith("section "), cit.locator


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_every_quote_is_verbatim_in_its_seed(bundled):
    seeds = {doc: normalise((SEEDS / name).read_text(encoding="utf-8")) for doc, name in SEED_FILES.items()}
    missing = [(cid, cit.quote) for cid, claim in bundled.claims.items() for cit in claim.citations
               if cit.document in seeds and normalise(cit.quote) not in seeds[cit.document]]
    assert missing == []


def claims_about(bundled, subject=None, relation=None, obj=None):
    return [c for c in bundled.claims.values()
            if (subject is None or c.subject == subject) and (relation is None or c.relation == relation)
            and (obj is None or c.object == obj)]


def test_headline_facts_carry_the_dates_and_numbers_the_primer_gives(bundled):
    su35 = claims_about(bundled, "system:su-35", "transferred_to", "state:china")
    contract = [c for c in su35 if c.date == "2015-11"]
    assert contract and contract[0].quantity == 24 and contract[0].value.amount == 2.5e9
    assert any(c.date == "2019-04" and c.status == "delivered" for c in su35)
    s400 = claims_about(bundled, "system:s-400")
    assert any(c.date == "2018-05" for c in s400) and any(c.date == "2019-07" for c in s400)
    engines = claims_about(bundled, "tech:al-31f", "transferred_to", "state:china")
    assert sorted(c.quantity for c in engines if any(cit.document == "csis-2020-mtc-primer" for cit in c.citations)) == [140, 150]
    assert claims_about(bundled, "system:j-11", "copy_of", "system:su-27")
    assert any(c.date == "2013-03" for c in claims_about(bundled, obj="agreement:2013-lada-agreement"))
    assert claims_about(bundled, "firm:kamov", "contributes_to", "system:z-10")
    assert any(c.date == "2008-12-11" for c in claims_about(bundled, obj="agreement:2008-ip-agreement"))


def test_uts_fields_of_cooperation_are_present(bundled):
    fields = {c.object for c in claims_about(bundled, "state:china", "cooperates_in")
              if any(cit.document == "uts-2022-advanced-tech" for cit in c.citations)}
    assert len(fields) >= 4
