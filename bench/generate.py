"""Deterministic synthetic coopgraph datasets at 10k / 100k / 1M claims.

Entities and relations come from the schema (every claim's endpoints are
allowed by its relation type); degrees are skewed like real supplier networks
(a few states and conglomerates take part in most claims: Zipf-weighted
choice); dates fall between 1990 and 2025 at year, month or day precision; each
claim has 1-3 citations. Output is the dataset format as CSV (one row per
claim-citation), which coopgraph loads with ``coopgraph load``.

    python bench/generate.py --claims 100000 --out bench/out/100k --seed 7
"""

from __future__ import annotations

import argparse
import bisect
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


def random_date(rng: random.Random) -> dict[str, str]:
    year = rng.randint(1990, 2025)
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


def generate(claims: int, out: Path, seed: int = 7) -> dict[str, int]:
    """Write documents.csv, entities.csv and claims.csv for ``claims`` claims into ``out``."""
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
    n_docs = max(10, claims // 100)
    with open(out / "documents.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "date", "publisher", "kind"])
        for i in range(n_docs):
            writer.writerow([f"doc-{i}", f"Synthetic report {i}", f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}",
                             f"Publisher {i % 37}", "report"])
    relations = list(schema.relation_types.values())
    weights = [5.0 if r.is_flow else 1.0 for r in relations]
    written = rows = 0
    with open(out / "claims.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["subject", "relation", "object", "date", "start", "end", "status", "confidence", "quantity",
                         "key", "document", "locator", "quote"])
        while written < claims:
            rel = rng.choices(relations, weights)[0]
            stypes = [t for t in rel.subject if t in by_type] if "*" not in rel.subject else list(by_type)
            otypes = [t for t in rel.object if t in by_type] if "*" not in rel.object else list(by_type)
            subject = pickers[rng.choice(stypes)].pick()
            obj = pickers[rng.choice(otypes)].pick()
            if subject == obj:
                continue
            dates = random_date(rng)
            key = f"k{written}"  # synthetic claims are all distinct
            quantity = rng.randint(1, 200) if rel.is_flow and rng.random() < 0.3 else ""
            base = [subject, rel.name, obj, dates.get("date", ""), dates.get("start", ""), dates.get("end", ""),
                    rng.choice(STATUSES), f"{rng.choice([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])}", quantity, key]
            for c in range(rng.choice([1, 1, 2, 3])):
                doc = f"doc-{rng.randrange(n_docs)}"
                writer.writerow(base + [doc, f"p. {rng.randint(1, 300)}", f"Synthetic statement {written}.{c}: {subject} {rel.name} {obj}."])
                rows += 1
            written += 1
    return {"documents": n_docs, "entities": sum(len(v) for v in by_type.values()), "claims": written, "citation_rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", default="10k", help="number of claims: 10k, 100k, 1M ...")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(parse_size(args.claims), args.out, args.seed))


if __name__ == "__main__":
    main()
