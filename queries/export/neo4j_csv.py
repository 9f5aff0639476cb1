"""CSV files for ``neo4j-admin database import full``: the fastest way into an empty Neo4j.

The export is a directory of files with the headers the import tool reads (its
"CSV header format"), in the graph model of :mod:`coopgraph.graph.neo4j_model`:

``entities.csv``
    ``id:ID(Entity)``, ``:LABEL`` (``Entity`` plus the schema label of the
    type, e.g. ``Entity;Firm``), ``name``, ``type``, ``aliases:string[]``,
    ``country``, ``description``, ``wikidata``, ``attributes`` (JSON text);
``documents.csv``
    ``id:ID(Document)``, ``:LABEL`` (``Document``), ``title``, ``author``,
    ``publisher``, ``date``, ``url``, ``kind``;
``deals.csv``
    one node per deal, implied ones included: ``id:ID(Deal)``, ``:LABEL``
    (``Deal``), ``implied:boolean``, ``has_record:boolean``, the ``deals``
    record's ``item``, ``supplier``, ``recipient``, ``variant``, ``name``,
    ``notes`` (``item`` always), and ``label`` (for display);
``relationships.csv``
    one relationship per claim without a deal role, subject to object:
    ``:START_ID(Entity)``, ``:END_ID(Entity)``, ``:TYPE`` (the schema's
    ``neo4j_type``), ``claim_id``, ``relation``, ``date``, ``start``, ``end``,
    ``circa:boolean``, ``status``, ``confidence:double``, ``quantity:long``,
    ``unit``, ``value_amount:double``, ``value_currency``,
    ``value_estimate:boolean``, ``key``, ``notes``, ``year:int``, ``month:int``,
    ``day:int`` (the parts the first date gives), ``citations`` (JSON text) and
    the same citations as parallel lists ``documents:string[]``,
    ``locators:string[]``, ``quotes:string[]``, ``attributes`` (JSON text), and
    ``deal``;
``deal_suppliers.csv``
    the claims of a supplier's side (``SUPPLIES``), supplier to deal:
    ``:START_ID(Entity)``, ``:END_ID(Deal)``, then the columns of
    ``relationships.csv`` and the claim's own ``subject`` and ``object``;
``deal_recipients.csv``
    the claims of a recipient's side (``TRANSFERRED_TO``, ``LICENSED_TO``), deal
    to recipient: ``:START_ID(Deal)``, ``:END_ID(Entity)``, the same columns;
``deal_items.csv``
    each deal's link to its item (no claim): ``:START_ID(Deal)``,
    ``:END_ID(Entity)``, ``:TYPE`` (``DEAL_ITEM``).

An empty field means "no property" (Neo4j stores no nulls and, from CSV, no
empty lists). Entity, document and deal ids live in separate ID spaces. The array
delimiter is ``;`` unless some list value contains one; then the first of
``|``, ``^``, ``~``, U+001F that none contains, and the import command says so
(``--array-delimiter=U+007C``). :func:`import_command` gives the exact command,
which is also written to ``import.sh`` beside the files.

Labels and relationship types come only from the schema
(:meth:`~coopgraph.graph.schema.Schema.label`, :meth:`~coopgraph.graph.schema.Schema.rel_type`)
and the model's checked names (:func:`~coopgraph.graph.neo4j_model.deal_label`,
:func:`~coopgraph.graph.neo4j_model.deal_item_type`).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shlex
import shutil
import uuid
from pathlib import Path
from typing import Any, Iterable, Iterator

from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Claim, Dataset, Document, Entity
from coopgraph.graph.neo4j_model import (
    DealNode, deal_item_links, deal_item_type, deal_label, deal_nodes, deal_properties, route,
)
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.export.table import CsvWriter, csv_cell
from coopgraph.queries.export._write import Progress, counted, fault, held_temporary, write_error

ENTITY_FILE = "entities.csv"
DOCUMENT_FILE = "documents.csv"
DEAL_FILE = "deals.csv"
RELATIONSHIP_FILE = "relationships.csv"
SUPPLIER_FILE = "deal_suppliers.csv"
RECIPIENT_FILE = "deal_recipients.csv"
DEAL_ITEM_FILE = "deal_items.csv"
SCRIPT_FILE = "import.sh"
NODE_FILES = (ENTITY_FILE, DOCUMENT_FILE, DEAL_FILE)
RELATIONSHIP_FILES = (RELATIONSHIP_FILE, SUPPLIER_FILE, RECIPIENT_FILE, DEAL_ITEM_FILE)
FILES = NODE_FILES + RELATIONSHIP_FILES + (SCRIPT_FILE,)

ENTITY_HEADER = ("id:ID(Entity)", ":LABEL", "name", "type", "aliases:string[]", "country", "description",
                 "wikidata", "attributes")
DOCUMENT_HEADER = ("id:ID(Document)", ":LABEL", "title", "author", "publisher", "date", "url", "kind")
DEAL_HEADER = ("id:ID(Deal)", ":LABEL", "implied:boolean", "has_record:boolean", "item", "supplier", "recipient",
               "variant", "name", "notes", "label")
_CLAIM_COLUMNS = (":TYPE", "claim_id", "relation", "date", "start", "end", "circa:boolean", "status",
                  "confidence:double", "quantity:long", "unit", "value_amount:double", "value_currency",
                  "value_estimate:boolean", "key", "notes", "year:int", "month:int", "day:int", "citations",
                  "documents:string[]", "locators:string[]", "quotes:string[]", "attributes", "deal")
RELATIONSHIP_HEADER = (":START_ID(Entity)", ":END_ID(Entity)") + _CLAIM_COLUMNS
SUPPLIER_HEADER = (":START_ID(Entity)", ":END_ID(Deal)") + _CLAIM_COLUMNS + ("subject", "object")
RECIPIENT_HEADER = (":START_ID(Deal)", ":END_ID(Entity)") + _CLAIM_COLUMNS + ("subject", "object")
DEAL_ITEM_HEADER = (":START_ID(Deal)", ":END_ID(Entity)", ":TYPE")
#: the file a claim's relationship goes to, by its deal role (``None``: no deal role)
CLAIM_FILES = {None: RELATIONSHIP_FILE, "supplier": SUPPLIER_FILE, "recipient": RECIPIENT_FILE}
HEADERS = {ENTITY_FILE: ENTITY_HEADER, DOCUMENT_FILE: DOCUMENT_HEADER, DEAL_FILE: DEAL_HEADER,
           RELATIONSHIP_FILE: RELATIONSHIP_HEADER, SUPPLIER_FILE: SUPPLIER_HEADER, RECIPIENT_FILE: RECIPIENT_HEADER,
           DEAL_ITEM_FILE: DEAL_ITEM_HEADER}

DEFAULT_ARRAY_DELIMITER = ";"
ARRAY_DELIMITERS = (";", "|", "^", "~", "\x1f")


def _lists(data: Dataset) -> Iterator[str]:
    for entity in data.entities.values():
        yield from entity.aliases
    for claim in data.claims.values():
        for citation in claim.citations:
            yield citation.document
            yield citation.locator
            yield citation.quote


def choose_array_delimiter(values: Iterable[str]) -> str:
    """The first of :data:`ARRAY_DELIMITERS` that no list element contains.

    >>> choose_array_delimiter(["Su-27", "Flanker"]), choose_array_delimiter(["a; b", "c|d"])
    (';', '^')
    """
    candidates = list(ARRAY_DELIMITERS)
    for value in values:
        candidates = [c for c in candidates if c not in value]
        if not candidates:
            raise CoopgraphError("every array delimiter neo4j-admin could use appears inside some list value")
    return candidates[0]


def _needs_multiline(data: Dataset) -> bool:
    def texts() -> Iterator[str | None]:
        for doc in data.documents.values():
            yield from (doc.title, doc.author, doc.publisher, doc.url, doc.kind)
        for entity in data.entities.values():
            yield from (entity.name, entity.description, *entity.aliases)
        for deal in data.deals.values():
            yield from (deal.variant, deal.name, deal.notes)
        for claim in data.claims.values():
            yield from (claim.notes, claim.unit, claim.key)
            for citation in claim.citations:
                yield from (citation.locator, citation.quote)

    return any(t and ("\n" in t or "\r" in t) for t in texts())


def import_command(directory: str | os.PathLike, array_delimiter: str = DEFAULT_ARRAY_DELIMITER,
                   multiline: bool = False, database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command for an export in ``directory``.

    >>> print(import_command("out"))  # doctest: +NORMALIZE_WHITESPACE
    neo4j-admin database import full --nodes=out/entities.csv --nodes=out/documents.csv --nodes=out/deals.csv
        --relationships=out/relationships.csv --relationships=out/deal_suppliers.csv
        --relationships=out/deal_recipients.csv --relationships=out/deal_items.csv neo4j
    >>> print(import_command("my out", "|", multiline=True))  # doctest: +ELLIPSIS
    neo4j-admin database import full --nodes='my out/entities.csv' ... --array-delimiter=U+007C --multiline-fields=true neo4j
    """
    base = Path(directory)
    parts = ["neo4j-admin", "database", "import", "full"]
    parts += ["--nodes=" + shlex.quote(str(base / name)) for name in NODE_FILES]
    parts += ["--relationships=" + shlex.quote(str(base / name)) for name in RELATIONSHIP_FILES]
    if array_delimiter != DEFAULT_ARRAY_DELIMITER:
        parts.append(f"--array-delimiter=U+{ord(array_delimiter):04X}")
    if multiline:
        parts.append("--multiline-fields=true")
    parts.append(shlex.quote(database))
    return " ".join(parts)


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike, expected: Iterable[str] = FILES) -> Iterator[Path]:
    """Yield a temporary directory that replaces ``path`` only if the block succeeds.

    ``path`` may be missing, empty, or an earlier export (holding only ``expected``
    names); anything else is refused rather than overwritten. On error nothing
    is left behind.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with atomic_directory(target, ["a.txt"]) as tmp:
    ...     _ = (tmp / "a.txt").write_text("hi")
    >>> sorted(p.name for p in target.iterdir())
    ['a.txt']
    """
    if str(path) == "-":
        raise CoopgraphError("this format writes a directory of files; give a directory, not '-'")
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise CoopgraphError(f"{target} exists and is not a directory")
    if target.is_dir():
        others = sorted(p.name for p in target.iterdir() if p.name not in set(expected))
        if others:
            raise CoopgraphError(f"{target} holds other files ({', '.join(others[:5])}); give a new or empty directory")
    with held_temporary(target, directory=True) as tmp:
        try:
            yield tmp
            if target.exists():
                old = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old")
                target.rename(old)
                tmp.rename(target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(target)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            cause = fault(exc)
            if cause is not None:
                raise write_error(cause, target) from None
            raise


def _array(values: Iterable[str], delimiter: str) -> str:
    return delimiter.join(values)


def entity_row(entity: Entity, schema: Schema, delimiter: str) -> list[Any]:
    """One ``entities.csv`` row (see :data:`ENTITY_HEADER`)."""
    return [csv_cell(v) for v in (
        entity.id, delimiter.join(("Entity", schema.label(entity.type))), entity.name, entity.type,
        _array(entity.aliases, delimiter) or None, entity.country, entity.description, entity.wikidata,
        json.dumps(entity.attributes, ensure_ascii=False) if entity.attributes else None)]


def document_row(doc: Document) -> list[Any]:
    """One ``documents.csv`` row (see :data:`DOCUMENT_HEADER`)."""
    return [csv_cell(v) for v in (doc.id, "Document", doc.title, doc.author, doc.publisher, doc.date, doc.url, doc.kind)]


def deal_row(node: DealNode, entities: dict[str, Entity], label: str) -> list[Any]:
    """One ``deals.csv`` row (see :data:`DEAL_HEADER`)."""
    props = deal_properties(node, entities)
    return [csv_cell(v) for v in (
        node.id, label, props["implied"], props["has_record"], props["item"], props["supplier"], props["recipient"],
        props["variant"], props["name"], props["notes"], props["label"])]


def relationship_row(claim: Claim, schema: Schema, delimiter: str) -> list[Any]:
    """One row of a claim's file (:data:`CLAIM_FILES`): ``relationships.csv``, or the deal side it is on."""
    first = claim.first_date
    value = claim.value
    citations = claim.citations
    routed = route(claim, schema.deal_relations)
    own = (claim.subject, claim.object) if routed.deal is not None else ()
    return [csv_cell(v) for v in (
        routed.start, routed.end, schema.rel_type(claim.relation), claim.id, claim.relation,
        claim.date, claim.start, claim.end, claim.circa, claim.status, float(claim.confidence), claim.quantity,
        claim.unit, value.amount if value else None, value.currency if value else None,
        value.estimate if value else None, claim.key, claim.notes,
        first.year if first else None, first.month if first else None, first.day if first else None,
        json.dumps([c.to_dict() for c in citations], ensure_ascii=False),
        _array((c.document for c in citations), delimiter) or None,
        _array((c.locator for c in citations), delimiter) or None,
        _array((c.quote for c in citations), delimiter) or None,
        json.dumps(claim.attributes, ensure_ascii=False) if claim.attributes else None,
        claim.deal, *own)]


def write_neo4j_csv(data: Dataset, path: str | os.PathLike, schema: Schema | None = None,
                    progress: Progress | None = None) -> dict[str, Any]:
    """Write the ``neo4j-admin`` import files into the directory ``path``, all or nothing.

    Returns
    -------
    dict
        Counts (``entities``, ``documents``, ``deals``, ``relationships`` (claims),
        ``deal_items``) and ``command``, the exact ``neo4j-admin database import full``
        command line.

    Examples
    --------
    >>> import tempfile, pathlib, csv
    >>> from coopgraph.graph.model import Citation, Entity
    >>> ds = Dataset(entities={"firm:a": Entity("firm:a", "firm", "A", aliases=("A Co.",)),
    ...                        "system:x": Entity("system:x", "weapon_system", "X")})
    >>> c = Claim("firm:a", "manufactures", "system:x", date="2001", citations=(Citation("d", "p. 1", "A makes X"),))
    >>> ds.claims[c.id] = c
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "neo4j"
    >>> result = write_neo4j_csv(ds, out)
    >>> result["relationships"], result["command"].startswith("neo4j-admin database import full --nodes=")
    (1, True)
    >>> next(csv.DictReader(open(out / "entities.csv")))[":LABEL"]
    'Entity;Firm'
    """
    schema = schema or load_schema()
    deal, deal_item = deal_label(schema), deal_item_type(schema)
    roles = schema.deal_relations
    delimiter = choose_array_delimiter(_lists(data))
    multiline = _needs_multiline(data)
    deals = deal_nodes(data, roles)
    counts: dict[str, Any] = {"entities": 0, "documents": 0, "deals": 0, "relationships": 0, "deal_items": 0}
    with atomic_directory(path) as tmp, contextlib.ExitStack() as files:
        writers = {}
        for name in NODE_FILES + RELATIONSHIP_FILES:
            writers[name] = CsvWriter(files.enter_context(open(tmp / name, "w", encoding="utf-8", newline="")))
            writers[name].writerow(HEADERS[name])
        for entity in sorted(data.entities.values(), key=lambda e: e.id):
            writers[ENTITY_FILE].writerow(entity_row(entity, schema, delimiter))
            counts["entities"] += 1
        for doc in sorted(data.documents.values(), key=lambda d: d.id):
            writers[DOCUMENT_FILE].writerow(document_row(doc))
            counts["documents"] += 1
        for node in deals.values():
            writers[DEAL_FILE].writerow(deal_row(node, data.entities, deal))
            counts["deals"] += 1
        for _, claim in counted(sorted(data.claims.items()), len(data.claims), "claims", progress):
            writers[CLAIM_FILES[roles.get(claim.relation)]].writerow(relationship_row(claim, schema, delimiter))
            counts["relationships"] += 1
        for deal_id, item in deal_item_links(deals):
            writers[DEAL_ITEM_FILE].writerow([deal_id, item, deal_item])
            counts["deal_items"] += 1
        files.close()
        script = import_command(".", delimiter, multiline)
        (tmp / SCRIPT_FILE).write_text(
            "#!/bin/sh\n# Import this coopgraph export into an empty Neo4j database (stop it first).\n"
            "# Add --overwrite-destination=true to replace an existing database.\n"
            f'cd "$(dirname "$0")" && {script}\n', encoding="utf-8")
        os.chmod(tmp / SCRIPT_FILE, 0o755)
    counts["command"] = import_command(path, delimiter, multiline)
    return counts
