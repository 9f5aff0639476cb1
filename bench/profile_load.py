"""Where an embedded load spends its time, part by part (the breakdown in bench/results.md).

    python bench/profile_load.py --size 100k      # data from bench/generate.py, in bench/out/

Each part runs on its own, in order, with the collector paused as it is during a load.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import data_folder, generate, parse_size  # noqa: E402

from coopgraph.graph import sqlite_store  # noqa: E402
from coopgraph.graph.bulk import paused_gc  # noqa: E402
from coopgraph.graph.schema import load_schema  # noqa: E402
from coopgraph.loaders import load_bundled, read_files, validate_records  # noqa: E402
from coopgraph.loaders.validate import _Deals  # noqa: E402
from coopgraph.loaders.claim_set import ClaimSet  # noqa: E402
from coopgraph.loaders.claims_csv import claim_rows  # noqa: E402
from coopgraph.loaders.records import iter_csv_rows  # noqa: E402
from coopgraph.graph.model import Dataset  # noqa: E402


def _group_only(path: Path) -> int:
    """Read the rows and group their citations by what identifies a claim, checking nothing."""
    groups: dict[tuple, list] = {}
    for _, header, row in iter_csv_rows(path):
        column = dict(zip(header, row))
        identity = tuple(column.get(name, "").strip() for name in
                         ("subject", "relation", "object", "date", "start", "end", "quantity", "key"))
        groups.setdefault(identity, []).append((column["document"], column["locator"], column["quote"]))
    return len(groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()
    folder = data_folder(args.work, args.size)
    if not (folder / "claims.csv").exists():
        generate(parse_size(args.size), folder)
    claims_csv = folder / "claims.csv"
    parts: list[tuple[str, float]] = []

    def timed(label, func):
        start = time.perf_counter()
        result = func()
        parts.append((label, time.perf_counter() - start))
        return result

    with paused_gc():
        schema = load_schema()
        base = timed("bundled dataset", load_bundled)
        context = timed("entities and documents files", lambda: validate_records(
            read_files([folder / "entities.csv", folder / "documents.csv"]), schema, base))
        timed("read the claims CSV (csv.reader)", lambda: sum(1 for _ in iter_csv_rows(claims_csv)))
        timed("(a floor: read rows and group them by claim, no checks)", lambda: _group_only(claims_csv))
        entity_types = {k: e.type for k, e in {**base.entities, **context.entities}.items()}
        documents = set(base.documents) | set(context.documents)
        gathered = ClaimSet()
        deal_parts = _Deals({}, schema.deal_relations)
        handed = timed("read + check rows, gather claims (fast lane)", lambda: sum(
            1 for _ in claim_rows(claims_csv, schema, entity_types, documents, gathered, "reported", 0.8,
                                  deal_parts=deal_parts.agrees)))
        claims = timed("make Claim objects with their ids", gathered.claims)
        data = Dataset(context.documents, context.entities, claims)
        with tempfile.TemporaryDirectory() as tmp:
            conn = sqlite3.connect(Path(tmp) / "s.sqlite")
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(sqlite_store._TABLES)

            def insert():
                with conn:
                    sqlite_store._insert(conn, data, fresh=True)
            timed("SQLite inserts", insert)
            timed("SQLite index builds", lambda: conn.executescript(sqlite_store._INDEXES))
            conn.close()

            def fsync():
                with open(Path(tmp) / "s.sqlite", "rb+") as handle:
                    os.fsync(handle.fileno())
            timed("fsync", fsync)
    width = max(len(label) for label, _ in parts)
    print(f"{args.size} claims ({len(claims):,} after gathering; {handed:,} rows handed on to the full checks, "
          "which this profile does not time)")
    for label, seconds in parts:
        print(f"  {label:<{width}}  {seconds:6.2f} s")


if __name__ == "__main__":
    main()
