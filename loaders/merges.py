"""Reviewable merge decisions: two entities are one, recorded, applied, and undone exactly.

:func:`merge_entities` records that B is A: B's claims are redirected to A,
and so are the deals naming B as supplier, item or recipient; B's names become
A's aliases, and B disappears. :func:`unmerge_entity` undoes it exactly from the
snapshot stored with the decision. Name resolution
(:class:`~coopgraph.loaders.resolve_names.NameIndex`) follows the decisions.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import Any

from coopgraph.graph.errors import CoopgraphError, NotFoundError
from coopgraph.graph.model import Claim, Dataset, Deal
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.graph.sqlite_store import fold
from coopgraph.loaders.records import RawRecord
from coopgraph.loaders.resolve_names import merge_map

def _records(dataset: Dataset, source: str) -> list[RawRecord]:
    out = [RawRecord("entities", e.to_dict(), source, None) for e in dataset.entities.values()]
    out.extend(RawRecord("deals", d.to_dict(), source, None) for d in dataset.deals.values())
    for claim in dataset.claims.values():
        data = claim.to_dict()
        data["value"] = (None if claim.value is None else
                         {"amount": claim.value.amount, "currency": claim.value.currency, "estimate": claim.value.estimate})
        out.append(RawRecord("claims", data, source, None))
    return out


def _validated(upsert: Dataset, context: Dataset, schema: Schema, source: str) -> Dataset:
    """Pass a merge's changes through the same validation as every load.

    The deals written are the plan's own (validation checks their parties, and
    adds the deals of claims that name one with no record)."""
    checked = _records(upsert, source)
    for record in checked:
        if record.kind == "claims":
            record.data = {k: v for k, v in record.data.items() if v is not None}
        else:
            record.data = {k: v for k, v in record.data.items() if v not in (None, {}, [])}
    out = _validate(checked, schema, context)
    out.deals.update(upsert.deals)
    return out


def _validate(records, schema, context):
    from coopgraph.loaders.validate import validate_records

    return validate_records(records, schema, context)


def _redirect(claim: Claim, old: str, new: str) -> Claim:
    return replace(claim, subject=new if claim.subject == old else claim.subject,
                   object=new if claim.object == old else claim.object)


def _redirect_deal(deal: Deal, old: str, new: str) -> Deal:
    return replace(deal, **{part: new for part in ("supplier", "item", "recipient") if getattr(deal, part) == old})


def merge_entities(store, keep: str, merged: str, note: str | None = None, schema: Schema | None = None) -> dict[str, Any]:
    """Record that ``merged`` is the same entity as ``keep``, and apply it.

    ``merged``'s claims are redirected to ``keep`` (a claim that then equals one
    of ``keep``'s gains its citations), deals whose supplier, item or recipient
    is ``merged`` name ``keep`` instead (the deal keeps its id, so its claims
    stay together), its name and aliases become ``keep``'s aliases, entities
    whose ``country`` was ``merged`` point to ``keep``, and ``merged`` is
    removed. Everything needed to undo it is stored with the decision;
    importers resolve ``merged``'s id to ``keep`` from then on.

    Returns a summary: ``merged``, ``into``, ``claims_redirected``, ``claims_folded``,
    ``deals_redirected``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.graph.sqlite_store import SQLiteStore
    >>> from coopgraph.graph.model import Entity
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")
    >>> _ = store.write(Dataset(entities={i: Entity(i, "firm", n) for i, n in (("firm:a", "Alpha"), ("firm:b", "Alfa"))}))
    >>> before = store.dataset()
    >>> merge_entities(store, "firm:a", "firm:b")["into"]
    'firm:a'
    >>> store.entity("firm:a").aliases, store.entity("firm:b")
    (('Alfa',), None)
    >>> _ = unmerge_entity(store, "firm:b")
    >>> store.dataset() == before
    True
    """
    schema = schema or load_schema()
    if keep == merged:
        raise CoopgraphError(f"cannot merge {keep} into itself")
    data = store.dataset()
    decided = merge_map(store)
    if merged in decided:
        raise CoopgraphError(f"{merged} is already merged into {decided[merged]}; 'coopgraph unmerge {merged}' first")
    for eid in (keep, merged):
        if eid not in data.entities:
            raise NotFoundError(f"no entity with id '{eid}'; try 'coopgraph search'")
    a, b = data.entities[keep], data.entities[merged]
    touched = {cid: c for cid, c in data.claims.items() if merged in (c.subject, c.object)}
    upsert = Dataset()
    folded = 0
    for cid, claim in touched.items():
        moved = _redirect(claim, merged, keep)
        target = upsert.claims.get(moved.id) or data.claims.get(moved.id)
        if target is not None and moved.id not in touched:
            folded += 1
            moved = replace(target, citations=tuple(dict.fromkeys(target.citations + moved.citations)))
        upsert.claims[moved.id] = moved
    deals = {did: d for did, d in data.deals.items() if merged in (d.supplier, d.item, d.recipient)}
    for did, deal in deals.items():
        upsert.deals[did] = _redirect_deal(deal, merged, keep)
    aliases = tuple(dict.fromkeys(n for n in a.aliases + b.names if fold(n) != fold(a.name)))
    upsert.entities[keep] = replace(a, aliases=aliases)
    countries = {eid: e for eid, e in data.entities.items() if e.country == merged and eid != merged}
    for eid, entity in countries.items():
        upsert.entities[eid] = replace(upsert.entities.get(eid, entity), country=keep)
    created = [cid for cid in upsert.claims if cid not in data.claims]
    changed = [cid for cid in upsert.claims if cid in data.claims]
    context = Dataset(dict(data.documents), {k: v for k, v in data.entities.items() if k != merged},
                      {k: v for k, v in data.claims.items() if k not in touched},
                      {k: v for k, v in data.deals.items() if k not in deals})
    checked = _validated(upsert, context, schema, f"merge {keep} {merged}")
    undo = {
        "entities": [e.to_dict() for e in [a, b] + list(countries.values())],
        "claims": [c.to_dict() for c in list(touched.values()) + [data.claims[cid] for cid in changed if cid not in touched]],
        "created_claims": sorted(created),
        "deals": [d.to_dict() for d in deals.values()],
        # deals the store had claims of but no record of, which the merge's validation wrote
        "created_deals": sorted(did for did in checked.deals if did not in data.deals),
    }
    record = {"merged": merged, "into": keep, "note": note, "undo": undo,
              "decided": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    store.apply_merge_change(checked, delete_claims=[c for c in touched if c not in upsert.claims],
                             delete_entities=[merged], record=record)
    return {"merged": merged, "into": keep, "claims_redirected": len(touched), "claims_folded": folded,
            "deals_redirected": len(deals)}


def unmerge_entity(store, merged: str, schema: Schema | None = None) -> dict[str, Any]:
    """Undo the merge decision about ``merged`` exactly: restore it, its claims, the deals
    that named it, and the kept entity's aliases as they were, and forget the decision.

    Claims that other imports added since the merge are kept.
    """
    schema = schema or load_schema()
    rows = {row["merged"]: row for row in (store.merges() if store.exists() else [])}
    if merged not in rows:
        known = ", ".join(sorted(rows)) or "none"
        raise NotFoundError(f"no merge decision about '{merged}' (recorded: {known}); see 'coopgraph merges'")
    row = rows[merged]
    undo = row["undo"]
    restore = [RawRecord("entities", {k: v for k, v in e.items() if v not in (None, {}, [])}, f"unmerge {merged}", None)
               for e in undo["entities"]]
    deals = {d["id"]: Deal(**d) for d in undo.get("deals", [])}  # decisions recorded before deals have none
    restore.extend(RawRecord("deals", {k: v for k, v in d.to_dict().items() if v is not None}, f"unmerge {merged}", None)
                   for d in deals.values())
    for claim in undo["claims"]:
        data = {k: v for k, v in claim.items() if v is not None}
        restore.append(RawRecord("claims", data, f"unmerge {merged}", None))
    data = store.dataset()
    created = set(undo["created_claims"])
    created_deals = set(undo.get("created_deals", [])) - set(deals)
    restored_ids = {c["id"] for c in undo["claims"]}
    context = Dataset(dict(data.documents), dict(data.entities),
                      {k: v for k, v in data.claims.items() if k not in created},
                      {k: v for k, v in data.deals.items() if k not in deals and k not in created_deals})
    checked = _validate(restore, schema, context)
    checked.deals = {did: d for did, d in checked.deals.items() if did not in created_deals}
    checked.deals.update(deals)
    store.apply_merge_change(checked, delete_claims=sorted(created - restored_ids), delete_deals=sorted(created_deals),
                             forget=merged)
    return {"merged": merged, "into": row["into"], "claims_restored": len(undo["claims"]), "deals_restored": len(deals)}


def merge_rows(store) -> list[dict[str, Any]]:
    """The merge decisions as rows for a report: merged, into, decided, note, claims."""
    return [{"merged": r["merged"], "into": r["into"], "decided": r["decided"], "note": r["note"] or "",
             "claims": len(r["undo"].get("claims", []))} for r in (store.merges() if store.exists() else [])]


