"""Deterministic synthetic coopgraph datasets at 10k / 100k / 1M claims.

Entities and relations come from the schema (every claim's endpoints are
allowed by its relation type); degrees are skewed like real supplier networks
(a few states and conglomerates take part in most claims: Zipf-weighted
choice); dates fall between 1990 and 2025 at year, month or day precision; each
claim has 1-3 citations. Output is the dataset format as CSV (one row per
claim-citation), which coopgraph loads with ``coopgraph load``.

Nationality is drawn as real data has it: every entity but a state names a
country, and an ownership claim (``subsidiary_of``, ``part_of``) or a maker's
claim (``manufactures``, ``develops``) joins entities of one country, but for a
small cross-border share (joint ventures, licensed production:
``CROSS_BORDER``). In the bundled dataset 140 of 143 entities with a state have
one; data v2 drew these claims across any countries, so an entity belonged to
95 states on average at 1M claims and every deal joined nearly every other.

Transfers are made as real data has them: a *deal* (one supplier, one item, one
recipient, declared in ``deals.csv``) with 1-3 dated events (agreed, contracted,
in progress, delivered); each event is one ``supplies`` claim and one
``transferred_to`` claim with the same date, status, number and citations, both
carrying the deal's key in the ``deal`` column. Every ``supplies`` and
``transferred_to`` claim belongs to a deal; the other relations are drawn one
claim at a time. ``--no-deals`` writes the same rows without the ``deal`` column
and without ``deals.csv`` (for code that predates deals).

    python bench/generate.py --claims 100000 --out bench/out/v3-100k --seed 7
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import csv
import itertools
import random
from pathlib import Path

from coopgraph.graph.schema import load_schema

TYPE_SHARE = {  # how many entities of each type, per 100
    "state": 1, "gov_body": 4, "armed_service": 2, "firm": 20, "research_institute": 5, "weapon_system": 25,
    "technology": 25, "program": 8, "agreement": 4, "law": 1, "sanction": 1, "person": 3, "technology_field": 0.5,
    "event": 0.5,
}
STATUSES = ["reported", "agreed", "contracted", "delivered", "in_progress", "alleged", "planned"]
#: a deal's events, in the order they happen (a deal with n events takes n of them, in this order)
DEAL_EVENTS = ["agreed", "contracted", "in_progress", "delivered"]
#: the relations of a deal's two sides; every claim of these belongs to a generated deal
DEAL_SIDES = ("supplies", "transferred_to")
#: events per deal, drawn uniformly from this list (mean 1.75)
EVENTS_PER_DEAL = [1, 1, 2, 3]
#: the share of ownership and maker claims that cross a border (the rest join one country)
CROSS_BORDER = 0.05
#: the data's layout version: bench folders are named ``<version>-<size>`` so data made by an
#: older generator is never reused (v1: unpaired supplies / transferred_to claims, no deals;
#: v2: ownership and makers drawn across any countries)
DATA_VERSION = "v3"


def data_folder(work: Path, label: str, deals: bool = True) -> Path:
    """Where the generated data of size ``label`` lives: ``work/v3-100k`` (``work/v3-100k-nodeals`` without deals)."""
    return work / f"{DATA_VERSION}-{label}{'' if deals else '-nodeals'}"


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000."""
    text = text.strip().lower()
    factor = 1_000_000 if text.endswith("m") else 1_000 if text.endswith("k") else 1
    return int(float(text.rstrip("mk")) * factor)


class Zipf:
    """Pick from a list with probability falling as 1 / rank**s (cumulative weights, bisect)."""

    def __init__(self, items: list[str], rng: random.Random, s: float = 1.1):
        self.items = items
        self.rng = rng
        self.cum = list(itertools.accumulate(1.0 / (rank ** s) for rank in range(1, len(items) + 1)))

    def pick(self) -> str:
        return self.items[bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])]


def random_date(rng: random.Random, year: int | None = None) -> dict[str, str]:
    year = rng.randint(1990, 2025) if year is None else year
    kind = rng.random()
    if kind < 0.5:
        return {"date": f"{year}"}
    if kind < 0.75:
        return {"date": f"{year}-{rng.randint(1, 12):02d}"}
    if kind < 0.85:
        return {"date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
    if kind < 0.95:
        end = min(2025, year + rng.randint(1, 6))
        return {"start": f"{year}", "end": f"{end}"}
    return {}  # undated, as real reporting often is


def generate(claims: int, out: Path, seed: int = 7, deals: bool = True) -> dict[str, int]:
    """Write documents.csv, entities.csv, deals.csv and claims.csv for ``claims`` claims into ``out``.

    ``deals=False`` writes the same claims without their ``deal`` column and no deals.csv: the
    random draws do not depend on it, so the two outputs differ only there.
    """
    rng = random.Random(seed)
    schema = load_schema()
    out.mkdir(parents=True, exist_ok=True)
    n_entities = max(200, claims // 5)
    total_share = sum(TYPE_SHARE.values())
    by_type: dict[str, list[str]] = {}
    with open(out / "entities.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "type", "name", "aliases", "country"])
        for etype, share in TYPE_SHARE.items():
            prefix = schema.entity_type(etype).prefix
            count = max(3, int(n_entities * share / total_share))
            ids = [f"{prefix}:{etype.replace('_', '-')}-{i}" for i in range(count)]
            by_type[etype] = ids
        states = by_type["state"]
        for etype, ids in by_type.items():
            for i, eid in enumerate(ids):
                country = "" if etype == "state" else states[i % len(states)]
                writer.writerow([eid, etype, f"{etype.replace('_', ' ').title()} {i}", f"{etype[:3].upper()}-{i}", country])
    pickers = {etype: Zipf(ids, rng) for etype, ids in by_type.items()}
    # entity i of a type names states[i % len(states)]: its country's entities of a type are ids[c::n]
    country_of = {eid: states[i % len(states)] for etype, ids in by_type.items() if etype != "state"
                  for i, eid in enumerate(ids)}
    country_pickers: dict[tuple[str, str], Zipf] = {}

    def pick_in(etype: str, country: str) -> str:
        """An entity of ``etype`` in ``country`` (the state itself when ``etype`` is state; any entity of a
        type too rare to have one in every country)."""
        if etype == "state":
            return country
        if len(by_type[etype]) < len(states):
            return pickers[etype].pick()
        if (etype, country) not in country_pickers:
            country_pickers[etype, country] = Zipf(by_type[etype][states.index(country)::len(states)], rng)
        return country_pickers[etype, country].pick()

    national = {name for name, rel in schema.relation_types.items() if rel.ownership or rel.origin}
    n_docs = max(10, claims // 100)
    with open(out / "documents.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "date", "publisher", "kind"])
        for i in range(n_docs):
            writer.writerow([f"doc-{i}", f"Synthetic report {i}", f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}",
                             f"Publisher {i % 37}", "report"])
    relations = list(schema.relation_types.values())
    weights = [5.0 if r.is_flow else 1.0 for r in relations]
    # the deal sides are drawn as deals: a deal of n events makes 2n claims, so a deal is drawn
    # with the two sides' weight over twice the mean events, which keeps each relation's share
    sides = [schema.relation(name) for name in DEAL_SIDES]
    deal_weight = sum(w for r, w in zip(relations, weights) if r.name in DEAL_SIDES) / (
        2 * sum(EVENTS_PER_DEAL) / len(EVENTS_PER_DEAL))
    weights = [w for r, w in zip(relations, weights) if r.name not in DEAL_SIDES] + [deal_weight]
    relations = [r for r in relations if r.name not in DEAL_SIDES] + [None]  # None: a deal
    supplier_types = [t for t in sides[0].subject if t in by_type]
    item_types = [t for t in sides[0].object if t in sides[1].subject and t in by_type]
    recipient_types = [t for t in sides[1].object if t in by_type]
    written = rows = n_deals = 0
    header = ["subject", "relation", "object", "date", "start", "end", "status", "confidence", "quantity", "key"]
    header += ["deal"] if deals else []
    header += ["document", "locator", "quote"]
    if not deals and (out / "deals.csv").exists():
        (out / "deals.csv").unlink()  # a folder written without deals holds no deals file
    with contextlib.ExitStack() as files:
        deal_writer = None
        if deals:
            deal_writer = csv.writer(files.enter_context(open(out / "deals.csv", "w", newline="", encoding="utf-8")))
            deal_writer.writerow(["id", "item", "supplier", "recipient"])
        with open(out / "claims.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)

            def citations(number: int, text: str) -> list[list[str]]:
                return [[f"doc-{rng.randrange(n_docs)}", f"p. {rng.randint(1, 300)}", f"Synthetic statement {number}.{c}: {text}."]
                        for c in range(rng.choice([1, 1, 2, 3]))]

            def write(base: list, deal: str, cites: list[list[str]]) -> None:
                nonlocal rows, written
                for cite in cites:
                    writer.writerow(base + ([deal] if deals else []) + cite)
                rows += len(cites)
                written += 1

            while written < claims:
                rel = rng.choices(relations, weights)[0]
                if rel is None:  # a deal: supplier -> item -> recipient, 1-3 events of two claims each
                    if claims - written < 2:
                        continue  # no room for a deal's two sides: draw again
                    supplier = pickers[rng.choice(supplier_types)].pick()
                    item = pickers[rng.choice(item_types)].pick()
                    recipient = pickers[rng.choice(recipient_types)].pick()
                    if supplier == recipient:
                        continue
                    deal = f"deal:d-{n_deals}"
                    n_deals += 1
                    if deal_writer:
                        deal_writer.writerow([deal, item, supplier, recipient])
                    events = min(rng.choice(EVENTS_PER_DEAL), (claims - written) // 2)
                    statuses = [rng.choice(STATUSES)] if events == 1 else sorted(
                        rng.sample(DEAL_EVENTS, events), key=DEAL_EVENTS.index)
                    year = rng.randint(1990, 2025)
                    quantity = rng.randint(1, 200) if rng.random() < 0.3 else ""
                    for status in statuses:
                        dates = random_date(rng, year)
                        when = [dates.get("date", ""), dates.get("start", ""), dates.get("end", "")]
                        confidence = f"{rng.choice([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])}"
                        # one sentence states both sides of the event: both claims carry its citations
                        cites = citations(written, f"{supplier} sold {item} to {recipient} ({status})")
                        write([supplier, "supplies", item, *when, status, confidence, quantity, f"k{written}"], deal, cites)
                        write([item, "transferred_to", recipient, *when, status, confidence, quantity, f"k{written}"], deal, cites)
                        year = min(2025, year + rng.randint(0, 3))  # the next event comes no earlier
                    continue
                stypes = [t for t in rel.subject if t in by_type] if "*" not in rel.subject else list(by_type)
                otypes = [t for t in rel.object if t in by_type] if "*" not in rel.object else list(by_type)
                if rel.name in national and rng.random() >= CROSS_BORDER:
                    # owner and owned, maker and item: one country (the drawn end's)
                    if rel.ownership:
                        subject = pickers[rng.choice(stypes)].pick()
                        obj = pick_in(rng.choice(otypes), country_of[subject])
                    else:
                        obj = pickers[rng.choice(otypes)].pick()
                        subject = pick_in(rng.choice(stypes), country_of[obj])
                else:
                    subject = pickers[rng.choice(stypes)].pick()
                    obj = pickers[rng.choice(otypes)].pick()
                if subject == obj:
                    continue
                dates = random_date(rng)
                key = f"k{written}"  # synthetic claims are all distinct
                quantity = rng.randint(1, 200) if rel.is_flow and rng.random() < 0.3 else ""
                base = [subject, rel.name, obj, dates.get("date", ""), dates.get("start", ""), dates.get("end", ""),
                        rng.choice(STATUSES), f"{rng.choice([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])}", quantity, key]
                write(base, "", citations(written, f"{subject} {rel.name} {obj}"))
    return {"documents": n_docs, "entities": sum(len(v) for v in by_type.values()), "deals": n_deals, "claims": written,
            "citation_rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", default="10k", help="number of claims: 10k, 100k, 1M ...")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-deals", action="store_true",
                        help="the same claims without the deal column and deals.csv (for code before deals)")
    args = parser.parse_args()
    print(generate(parse_size(args.claims), args.out, args.seed, deals=not args.no_deals))


if __name__ == "__main__":
    main()
