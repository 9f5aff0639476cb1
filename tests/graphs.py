"""Small hand-made graphs with known answers, built through the real model and schema."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from coopgraph.graph.build import build_graph
from coopgraph.graph.model import Citation, Claim, Dataset, Document, Entity

TYPES = {"state": "state", "firm": "firm", "system": "weapon_system", "tech": "technology", "program": "program",
         "service": "armed_service", "body": "gov_body"}


def make_dataset(claims: list[tuple], *, countries: dict[str, str] | None = None,
                 documents: dict[str, str] | None = None) -> Dataset:
    """``claims``: ``(subject, relation, object, {field: value})``; entities are made from the ids."""
    documents = documents or {"doc": "2020"}
    data = Dataset()
    for doc_id, date in documents.items():
        data.documents[doc_id] = Document(doc_id, f"Document {doc_id}", date)
    for subject, relation, obj, *rest in claims:
        fields = dict(rest[0]) if rest else {}
        for eid in (subject, obj):
            if eid not in data.entities:
                prefix, slug = eid.split(":")
                data.entities[eid] = Entity(eid, TYPES[prefix], slug.upper(), country=(countries or {}).get(eid))
        doc = fields.pop("doc", next(iter(documents)))
        claim = Claim(subject, relation, obj, citations=(Citation(doc, "p. 1", f"{subject} {relation} {obj}"),), **fields)
        data.claims[claim.id] = claim
    return data


def make_graph(claims: list[tuple], **kwargs):
    return build_graph(make_dataset(claims, **kwargs))


def generated_store(folder: Path, claims: int, seed: int):
    """``claims`` claims of bench/generate.py's synthetic data (with its deals) written to ``folder`` and
    loaded into a store beside it; the store is returned."""
    from coopgraph.graph.store import open_store
    from coopgraph.loaders import load_into

    spec = importlib.util.spec_from_file_location("bench_generate", Path(__file__).resolve().parents[1] / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(claims, folder, seed=seed)
    store = open_store(folder.parent / "store.sqlite")
    load_into(store, [folder], replace=True)
    return store
