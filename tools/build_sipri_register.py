"""Write the bundled SIPRI register document: the register's Russia / Soviet Union -> China rows as claims.

    python tools/build_sipri_register.py            # writes package/data/sipri-register-russia-china.yaml
    python tools/build_sipri_register.py --check    # exit 1 when the committed file is not what this writes

What it does, in order:

1. reads the two reports' dataset (``package/data``, without register files) as what the store holds;
2. adds the entities ``tools/sipri_deals.yaml`` declares (names the register uses that no report holds);
3. runs the SIPRI importer (``coopgraph.loaders.importers.sipri.read_sipri``, what ``coopgraph import
   sipri`` runs) on ``tests/fixtures/sipri/trade-register.csv``, the whole export (so that its weapon
   descriptions and the platforms its comments place in China count as in any import), keeping the rows
   whose recipient is China and whose supplier is Russia or the Soviet Union;
4. files the rows ``tools/sipri_deals.yaml`` curates under the reports' deals (checking each row's line
   and text), so that one deal carries both documents' citations;
5. validates the result against the reports (as ``coopgraph load`` would) and writes it as YAML, one block
   per register row, in the file's order. Running it twice writes the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tests" / "fixtures" / "sipri" / "trade-register.csv"
CURATION = ROOT / "tools" / "sipri_deals.yaml"
OUTPUT = ROOT / "package" / "data" / "sipri-register-russia-china.yaml"
RECIPIENT = "China"
SUPPLIERS = ("Russia", "Soviet Union")

HEADER = """\
# coopgraph bundled dataset: the SIPRI trade register's {rows} Russia / Soviet Union -> China rows.
#
# GENERATED FILE: do not edit by hand. Made by `python tools/build_sipri_register.py` (the same reader as
# `coopgraph import sipri`), from tests/fixtures/sipri/trade-register.csv (sha256 {digest}),
# a verbatim slice of a SIPRI Arms Transfers Database trade register export ("Data generated: {generated}";
# provenance in tests/fixtures/sipri/PROVENANCE.md), keeping the rows whose recipient is {recipient} and
# whose supplier is {suppliers}; curation (which rows report a deal the CSIS primer reports, and the names
# the register uses) in tools/sipri_deals.yaml. Change those, then run the tool again.
#
# Information from the SIPRI Arms Transfers Database, URL <http://armstrade.sipri.org/>. (c) SIPRI.
# SIPRI's user rules: the data may be cited with this credit line; calculations or other manipulations of
# it are not to be attributed to SIPRI; no commercial use without SIPRI's agreement. The claims read from a
# row's comments (programme links, local production, designations; their notes say so) are coopgraph's
# rule-based reading of SIPRI's words, not SIPRI's.
#
# Provenance of every claim: the document below (the export, the date SIPRI generated it); locator
# "line N" (the row's line in the export file above) or "line N, comments" (a claim read from the row's
# comments); quote: the row as exported, or its comments.
#
# {claims} claims ({deal_claims} of deals, {comment_claims} read from comments), {deals} deals of their own
# ({joined} rows filed under the primer's deals), {entities} entities.
"""


def curated_rows(curation: dict, register: Path) -> tuple[dict[str, str], list[str]]:
    """``{row hash: deal id}`` from the curation, and the problems found checking each row's line and text."""
    from coopgraph.loaders.importers.sipri import decode, row_hash

    lines = decode(register.read_bytes()).replace("\r\n", "\n").split("\n")
    out: dict[str, str] = {}
    problems = []
    for entry in curation.get("deals") or []:
        for row in entry.get("rows") or []:
            number, starts = int(row["line"]), str(row["starts"])
            text = lines[number - 1] if 0 < number <= len(lines) else ""
            if not text.startswith(starts):
                problems.append(f"{CURATION.name}: deal {entry['deal']}: line {number} of {register.name} does not "
                                f"start with '{starts}' (it reads '{text[:80]}')")
                continue
            key = row_hash(next(csv.reader([text])))
            if key in out and out[key] != entry["deal"]:
                problems.append(f"{CURATION.name}: line {number} is curated into {out[key]} and {entry['deal']}")
            out[key] = entry["deal"]
    return out, problems


def build(register: Path = REGISTER, curation_path: Path = CURATION) -> str:
    """The YAML text of the bundled register document (raises on any problem)."""
    from coopgraph.data import bundled_files
    from coopgraph.graph.errors import ValidationError
    from coopgraph.graph.model import Entity
    from coopgraph.graph.schema import load_schema
    from coopgraph.loaders.files import load_files
    from coopgraph.loaders.importers.sipri import read_sipri
    from coopgraph.loaders.records import RawRecord
    from coopgraph.loaders.resolve_names import NameIndex
    from coopgraph.loaders.validate import validate_records

    schema = load_schema()
    reports = load_files(bundled_files(only_reports=True), schema)
    curation = yaml.safe_load(curation_path.read_text(encoding="utf-8")) or {}
    index = NameIndex(reports, schema=schema)
    declared = []
    for data in curation.get("entities") or []:
        entity = Entity(data["id"], data["type"], data["name"], tuple(data.get("aliases") or ()),
                        data.get("country"), " ".join(str(data.get("description", "")).split()) or None)
        if entity.id in reports.entities:
            raise SystemExit(f"{curation_path.name}: entity {entity.id} is already in the reports")
        index.add(entity)
        declared.append(entity)
    row_deals, problems = curated_rows(curation, register)
    missing = sorted({d for d in row_deals.values() if d not in reports.deals})
    problems += [f"{curation_path.name}: no deal {d} in package/data/deals.yaml" for d in missing]
    if problems:
        raise SystemExit("\n".join(problems))
    records, report = read_sipri(register, index, row_deals=row_deals,
                                 only=lambda row: row["recipient"] == RECIPIENT and row["supplier"] in SUPPLIERS)
    records = [RawRecord("entities", {k: v for k, v in e.to_dict().items() if v not in (None, [], {})}, "curation", None)
               for e in declared] + records
    try:
        validate_records(records, schema, context=reports)
    except ValidationError as exc:
        raise SystemExit(str(exc)) from None
    unexplained = report.explain_rows()
    documents = [r.data for r in records if r.kind == "documents"]
    entities = [r.data for r in records if r.kind == "entities"]
    deals = [r.data for r in records if r.kind == "deals"]
    claims = [r for r in records if r.kind == "claims"]
    comment_claims = sum(1 for r in claims if r.data["key"].endswith(" comments"))
    lines = decode_lines(register)
    curated = set(row_deals.values())
    out = [HEADER.format(rows=report.rows, digest=hashlib.sha256(register.read_bytes()).hexdigest(),
                         generated=_generated_line(lines), recipient=RECIPIENT, suppliers="Russia or the Soviet Union",
                         claims=len(claims), deal_claims=len(claims) - comment_claims, comment_claims=comment_claims,
                         deals=len(deals), joined=len({r.data["attributes"]["sipri_row"] for r in claims
                                                       if r.data.get("deal") in curated}),
                         entities=len(entities))]
    if unexplained:
        out.append(f"# {len(unexplained)} comment clause(s) no rule understood (coopgraph import sipri --explain).\n")
    out.append("\n" + _dump({"documents": documents}))
    out.append("\n# Entities the rows name that the reports do not (curated ones first, then as the rows meet them).\n")
    out.append(_dump({"entities": entities}))
    out.append("\n# One deal per register row, except the rows filed under the primer's deals (tools/sipri_deals.yaml).\n")
    out.append(_dump({"deals": deals}))
    out.append("\nclaims:\n")
    by_line: dict[int, list[dict]] = {}
    for record in claims:
        by_line.setdefault(record.line, []).append(record.data)
    for line in sorted(by_line):
        row = by_line[line][0]
        quote = row["citations"][0]["quote"] if row["key"].endswith((" order", " delivery")) else None
        cells = next(csv.reader([quote])) if quote else None
        title = f"line {line}: {cells[1]} -> {cells[0]}, {cells[6]} ({cells[2]})" if cells else f"line {line}"
        out.append(f"\n# {title}\n")
        out.append(_dump(by_line[line]))
    return "".join(out)


def decode_lines(path: Path) -> list[str]:
    from coopgraph.loaders.importers.sipri import decode

    return decode(path.read_bytes()).replace("\r\n", "\n").split("\n")


def _generated_line(lines: list[str]) -> str:
    return next((ln.split(":", 1)[1].strip() for ln in lines[:20] if ln.startswith("Data generated:")), "unknown")


class _Dumper(yaml.SafeDumper):
    """Writes every value out in full: no anchors and aliases (``&id001``), so each record reads alone."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--register", type=Path, default=REGISTER, help="the trade register export (default: the fixture)")
    parser.add_argument("--curation", type=Path, default=CURATION, help="the curation file (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when --out differs from what "
                                                             "this would write")
    args = parser.parse_args(argv)
    text = build(args.register, args.curation)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(), str(args.out), "generated", lineterm="", n=1)
            print("\n".join(list(diff)[:40]), file=sys.stderr)
            print(f"{args.out} is not what tools/build_sipri_register.py writes; run it again", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
