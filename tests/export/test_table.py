"""CSV and XLSX: one row per claim and citation, deals, lossless workbooks."""

from __future__ import annotations

from tests.export.common import (  # shared data and helpers
    pytest, claim_deal, load_schema, read_table, write_csv, write_xlsx, HOSTILE, hostile_dataset, DEAL_SALE, DEAL_UNUSED, deals_dataset, _keyed_without_record,
)


def test_csv_has_one_row_per_claim_and_citation_and_round_trips_claims(tmp_path):
    pd = pytest.importorskip("pandas")
    ds = hostile_dataset()
    out = tmp_path / "claims.csv"
    counts = write_csv(ds, out)
    assert counts == {"rows": sum(len(c.citations) for c in ds.claims.values()), "claims": len(ds.claims)}
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(frame) == counts["rows"]
    assert set(frame["quote"]) == {c.quote for claim in ds.claims.values() for c in claim.citations}
    assert read_table(out).claims == ds.claims


def test_csv_names_each_claims_deal_and_gives_back_the_deal_records(tmp_path):
    pd = pytest.importorskip("pandas")
    ds = deals_dataset()
    out = tmp_path / "claims.csv"
    write_csv(ds, out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    roles = load_schema().deal_relations
    by_claim = frame.drop_duplicates("claim_id").set_index("claim_id")
    for cid, claim in ds.claims.items():
        row = by_claim.loc[cid]
        expected = claim.deal or claim_deal(claim, roles) or ""
        assert (row["deal"], row["deal_implied"]) == (expected, "" if not expected else str(claim.deal is None).lower())
    sale = by_claim[by_claim["deal"] == DEAL_SALE].iloc[0]
    assert (sale["deal_variant"], sale["deal_name"], sale["deal_notes"]) == (HOSTILE[0], HOSTILE[6], ds.deals[DEAL_SALE].notes)
    # the one-sentence pair shares its implied deal, so a pivot on `deal` groups it
    pair = by_claim[by_claim["subject"].eq("state:q") | by_claim["object"].eq("firm:avic")]
    assert pair["deal"].nunique() == 1 and pair["deal"].iloc[0].startswith("deal:auto-")
    back = read_table(out)
    assert back.claims == ds.claims
    assert back.deals == {k: v for k, v in ds.deals.items() if k != DEAL_UNUSED}   # a deal with no claim has no row


def test_xlsx_has_four_sheets_and_round_trips(tmp_path):
    from openpyxl import load_workbook

    for ds in (hostile_dataset(), deals_dataset(), _keyed_without_record()):
        out = tmp_path / "g.xlsx"
        counts = write_xlsx(ds, out)
        assert counts["deals"] == len(ds.deals)
        book = load_workbook(out)
        assert book.sheetnames == ["claims", "entities", "documents", "deals"]
        titles = [row[1] for row in book["documents"].iter_rows(min_row=2, values_only=True)]
        assert '=HYPERLINK("http://x")' in titles  # text, not a formula
        assert all(cell.data_type != "f" for row in book["documents"].iter_rows() for cell in row)
        assert read_table(out) == ds


def test_xlsx_from_before_deals_still_reads(tmp_path):
    from openpyxl import load_workbook

    ds = hostile_dataset()
    out = tmp_path / "g.xlsx"
    write_xlsx(ds, out)
    book = load_workbook(out)
    del book["deals"]
    book.save(out)
    assert read_table(out) == ds
