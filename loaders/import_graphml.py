"""Read a coopgraph GraphML file (``coopgraph export graphml``) back as records.

The writer is :mod:`coopgraph.queries.export_graphml`; this is its inverse, on the
loaders side so that what it reads goes through the same validation as ``load``.
Deal nodes (type ``Deal``) give back the dataset's ``deals`` records (those with
``has_record``; never an implied deal), claim edges routed through them their
own subject, object and deal, and ``DEAL_ITEM`` edges (no claim) are skipped.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.loaders import load_bundled
>>> from coopgraph.queries.export_graphml import write_graphml
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> data = load_bundled()
>>> _ = write_graphml(data, path)
>>> read_graphml(path) == data
True
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable

from lxml import etree

from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity, Value
from coopgraph.graph.neo4j_model import DEAL_ITEM, DEAL_LABEL
from coopgraph.loaders.records import RawRecord
from coopgraph.loaders.resolve_names import ImportReport


def _bool(text: str) -> bool:
    return text.strip().lower() in ("true", "1")


_PARSERS: dict[str, Callable[[str], Any]] = {
    "boolean": _bool, "int": int, "long": int, "float": float, "double": float, "string": str,
}


def read_graphml(path: str | os.PathLike) -> Dataset:
    """Read a GraphML file written by :func:`write_graphml` back into a :class:`Dataset`.

    Keys are matched by ``attr.name``, so a file another tool re-saved (yEd,
    Gephi) still reads as long as the names survive. Unknown keys are ignored.
    The result is not validated against the schema: pass it through
    :func:`coopgraph.loaders.validate_records` (``coopgraph import graphml``
    does) before writing it to a store.

    Raises
    ------
    CoopgraphError
        When the file is not GraphML or lacks what a coopgraph graph needs
        (a node without a type or name, an edge without citations ...).
    """
    try:
        tree_iter = etree.iterparse(str(path), events=("end",), huge_tree=True,
                                    resolve_entities=False, no_network=True)
        keys: dict[str, tuple[str, Callable[[str], Any]]] = {}
        data = Dataset()
        for _, element in tree_iter:
            tag = etree.QName(element).localname
            if tag == "key":
                keys[element.get("id")] = (element.get("attr.name") or element.get("id"),
                                           _PARSERS.get(element.get("attr.type") or "string", str))
            elif tag == "node":
                values = _values(element, keys)
                if values.get("type") == DEAL_LABEL:
                    deal = _deal(element, values, path)
                    if deal is not None:
                        data.deals[deal.id] = deal
                else:
                    data.entities[element.get("id")] = _entity(element, values, path)
                element.clear()
            elif tag == "edge":
                values = _values(element, keys)
                if values.get("relation") != DEAL_ITEM:
                    claim = _claim(element, values, path)
                    data.claims[claim.id] = claim
                element.clear()
            elif tag == "graph":
                values = _values(element, keys)
                for doc in json.loads(values.get("documents_json") or "[]"):
                    data.documents[doc["id"]] = Document(**doc)
    except etree.XMLSyntaxError as exc:
        raise CoopgraphError(f"{path}: not well-formed XML: {exc}") from None
    except OSError as exc:
        raise CoopgraphError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, TypeError, KeyError) as exc:
        raise CoopgraphError(f"{path}: not a coopgraph GraphML file: {exc}") from None
    data.documents = dict(sorted(data.documents.items()))
    data.entities = dict(sorted(data.entities.items()))
    data.claims = dict(sorted(data.claims.items()))
    data.deals = dict(sorted(data.deals.items()))
    return data


def _values(element: etree._Element, keys: dict[str, tuple[str, Callable[[str], Any]]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for child in element:
        if etree.QName(child).localname != "data":
            continue
        name, parse = keys.get(child.get("key"), (child.get("key"), str))
        values[name] = parse(child.text or "")
    return values


def _need(values: dict[str, Any], name: str, element: etree._Element, path) -> Any:
    if values.get(name) in (None, ""):
        what = etree.QName(element).localname
        raise CoopgraphError(f"{path}:{element.sourceline}: {what} {element.get('id')!r} has no '{name}'")
    return values[name]


def _entity(element: etree._Element, values: dict[str, Any], path) -> Entity:
    return Entity(
        id=element.get("id"),
        type=_need(values, "type", element, path),
        name=_need(values, "name", element, path),
        aliases=tuple(json.loads(values.get("aliases_json") or "[]")),
        country=values.get("country"),
        description=values.get("description"),
        wikidata=values.get("wikidata"),
        attributes=json.loads(values.get("attributes_json") or "{}"),
    )


def _deal(element: etree._Element, values: dict[str, Any], path) -> Deal | None:
    """The ``deals`` record a deal node carries; ``None`` for an implied deal or one only its claims name."""
    if not values.get("has_record"):
        return None
    return Deal(element.get("id"), _need(values, "item", element, path), values.get("supplier"),
                values.get("recipient"), values.get("variant"), values.get("name"), values.get("notes"))


def _claim(element: etree._Element, values: dict[str, Any], path) -> Claim:
    amount = values.get("value_amount")
    claim = Claim(
        subject=values.get("subject") or element.get("source"),
        relation=_need(values, "relation", element, path),
        object=values.get("object") or element.get("target"),
        date=values.get("date"),
        start=values.get("start"),
        end=values.get("end"),
        circa=bool(values.get("circa", False)),
        status=values.get("status") or "reported",
        confidence=float(values.get("confidence", 0.8)),
        quantity=values.get("quantity"),
        unit=values.get("unit"),
        value=None if amount is None else Value(float(amount), values.get("value_currency") or "",
                                                bool(values.get("value_estimate", False))),
        key=values.get("key"),
        citations=tuple(Citation(**c) for c in json.loads(_need(values, "citations_json", element, path))),
        notes=values.get("notes"),
        attributes=json.loads(values.get("attributes_json") or "{}"),
        deal=values.get("deal"),
    )
    given = element.get("id") or values.get("claim_id")
    if given and given != claim.id:
        raise CoopgraphError(f"{path}:{element.sourceline}: edge {given!r} does not match its content "
                             f"(its subject, relation, object, dates, quantity, key and deal give {claim.id})")
    return claim


def read_graphml_records(path: str | os.PathLike, index: Any = None) -> tuple[list[RawRecord], ImportReport]:
    """The importer interface: a GraphML file as raw records (one per document, entity, deal, claim)."""
    data = read_graphml(path)
    name = str(path)
    records = [RawRecord("documents", {k: v for k, v in d.to_dict().items() if v is not None}, name, None)
               for d in data.documents.values()]
    for entity in data.entities.values():
        fields = {k: v for k, v in entity.to_dict().items() if v not in (None, [], {})}
        records.append(RawRecord("entities", fields, name, None))
    for deal in data.deals.values():
        records.append(RawRecord("deals", {k: v for k, v in deal.to_dict().items() if v is not None}, name, None))
    for claim in data.claims.values():
        fields = claim.to_dict()
        fields.pop("id")
        if claim.value is not None:
            fields["value"] = {"amount": claim.value.amount, "currency": claim.value.currency, "estimate": claim.value.estimate}
        fields = {k: v for k, v in fields.items() if v not in (None, {}, False) or k == "circa"}
        records.append(RawRecord("claims", fields, name, None))
    report = ImportReport("graphml", name, rows=len(records))
    return records, report
