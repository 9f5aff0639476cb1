"""The schema, declared as data in ``schema.yaml`` and read here.

Code asks the schema instead of hard-coding types::

    schema.relation("supplies").is_flow

A user may extend the built-in schema with their own YAML file of the same
shape; an extension adds entity types, relation types and statuses, and may not
redefine a built-in one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from coopgraph.graph.errors import SchemaError

SCHEMA_FILE = Path(__file__).resolve().parent / "schema.yaml"

_LABEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_REL_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
FLOW_DIRECTIONS = ("forward", "reverse", "none")
DEAL_ROLES = ("supplier", "recipient")


@dataclass(frozen=True)
class EntityType:
    """An entity type: its name, id prefix, Neo4j label and meaning."""

    name: str
    prefix: str
    label: str
    description: str


@dataclass(frozen=True)
class RelationType:
    """A relation type with its allowed endpoints and flow direction.

    Examples
    --------
    >>> from coopgraph.graph.schema import load_schema
    >>> rel = load_schema().relation("copy_of")
    >>> rel.is_flow, rel.flow
    (True, 'reverse')
    >>> rel.allows("weapon_system", "weapon_system")
    True
    """

    name: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    flow: str
    symmetric: bool
    neo4j_type: str
    description: str
    ownership: bool = False
    origin: bool = False
    lineage: bool = False
    #: the part this relation plays in a deal (a transfer): "supplier" (supplier -> item) or
    #: "recipient" (item -> recipient); None when the relation is not part of a transfer
    deal_role: str | None = None

    @property
    def is_flow(self) -> bool:
        """True when technology, know-how or goods move along the relation."""
        return self.flow != "none"

    def allows(self, subject_type: str, object_type: str) -> bool:
        """True when a claim may join these two entity types."""
        return ("*" in self.subject or subject_type in self.subject) and (
            "*" in self.object or object_type in self.object
        )


@dataclass
class Schema:
    """Entity types, relation types and statuses, read from YAML."""

    entity_types: dict[str, EntityType] = field(default_factory=dict)
    relation_types: dict[str, RelationType] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def entity_type(self, name: str) -> EntityType:
        """Return the entity type called ``name`` or raise :class:`SchemaError`."""
        try:
            return self.entity_types[name]
        except KeyError:
            raise SchemaError(_unknown("entity type", name, self.entity_types)) from None

    def relation(self, name: str) -> RelationType:
        """Return the relation type called ``name`` or raise :class:`SchemaError`."""
        try:
            return self.relation_types[name]
        except KeyError:
            raise SchemaError(_unknown("relation type", name, self.relation_types)) from None

    def type_for_prefix(self, prefix: str) -> EntityType | None:
        """The entity type whose ids start with ``prefix:``, if any."""
        for etype in self.entity_types.values():
            if etype.prefix == prefix:
                return etype
        return None

    @property
    def ownership_relations(self) -> list[str]:
        """Relations that say the subject belongs to the object (part_of, subsidiary_of)."""
        return [name for name, rel in self.relation_types.items() if rel.ownership]

    @property
    def lineage_relations(self) -> list[str]:
        """Relations that link designs (derived_from, copy_of, licensed_to)."""
        return [name for name, rel in self.relation_types.items() if rel.lineage]

    @property
    def origin_relations(self) -> list[str]:
        """Relations that say where an item comes from (manufactures, develops, supplies)."""
        return [name for name, rel in self.relation_types.items() if rel.origin]

    @property
    def deal_relations(self) -> dict[str, str]:
        """Relations that are part of a transfer, with their role: ``{"supplies": "supplier", ...}``."""
        return {name: rel.deal_role for name, rel in self.relation_types.items() if rel.deal_role}

    @property
    def flow_relations(self) -> list[str]:
        """Names of the relation types that carry a flow."""
        return [name for name, rel in self.relation_types.items() if rel.is_flow]

    def label(self, entity_type: str) -> str:
        """The Neo4j label of an entity type, checked to be a safe identifier."""
        label = self.entity_type(entity_type).label
        if not _LABEL.match(label):
            raise SchemaError(f"label '{label}' of entity type '{entity_type}' is not a plain identifier")
        return label

    def rel_type(self, relation: str) -> str:
        """The Neo4j relationship type of a relation, checked to be a safe identifier."""
        rel_type = self.relation(relation).neo4j_type
        if not _REL_TYPE.match(rel_type):
            raise SchemaError(f"relationship type '{rel_type}' of '{relation}' is not a plain identifier")
        return rel_type

    def extend(self, raw: dict, source: str) -> None:
        """Add the types and statuses of one schema document (parsed YAML)."""
        if not isinstance(raw, dict):
            raise SchemaError(f"{source}: a schema file must be a mapping with entity_types / relation_types")
        for name, desc in (raw.get("statuses") or {}).items():
            self._check_new(name, self.statuses, "status", source)
            self.statuses[name] = str(desc)
        for name, spec in (raw.get("entity_types") or {}).items():
            self._check_new(name, self.entity_types, "entity type", source)
            spec = spec or {}
            label = spec.get("label") or "".join(part.title() for part in name.split("_"))
            if not _LABEL.match(label):
                raise SchemaError(f"{source}: entity type '{name}': label '{label}' must be CamelCase letters/digits")
            self.entity_types[name] = EntityType(name, spec.get("prefix", name), label, spec.get("description", ""))
        for name, spec in (raw.get("relation_types") or {}).items():
            self._check_new(name, self.relation_types, "relation type", source)
            self.relation_types[name] = self._relation_from(name, spec or {}, source)
        self.sources = self.sources + (source,)
        self._check_endpoints(source)

    def _relation_from(self, name: str, spec: dict, source: str) -> RelationType:
        flow = spec.get("flow", "none")
        if flow not in FLOW_DIRECTIONS:
            raise SchemaError(f"{source}: relation '{name}': flow must be one of {', '.join(FLOW_DIRECTIONS)}")
        neo4j_type = spec.get("neo4j_type") or name.upper()
        if not _REL_TYPE.match(neo4j_type):
            raise SchemaError(f"{source}: relation '{name}': neo4j_type '{neo4j_type}' must be UPPER_SNAKE_CASE")
        subject = tuple(spec.get("subject") or ("*",))
        obj = tuple(spec.get("object") or ("*",))
        deal_role = spec.get("deal_role")
        if deal_role not in (None,) + DEAL_ROLES:
            raise SchemaError(f"{source}: relation '{name}': deal_role must be one of {', '.join(DEAL_ROLES)}")
        return RelationType(name, subject, obj, flow, bool(spec.get("symmetric", False)), neo4j_type,
                            spec.get("description", ""), bool(spec.get("ownership", False)), bool(spec.get("origin", False)),
                            bool(spec.get("lineage", False)), deal_role)

    def _check_new(self, name: str, existing: dict, what: str, source: str) -> None:
        if not isinstance(name, str) or not _NAME.match(name):
            raise SchemaError(f"{source}: {what} name '{name}' must be lower_snake_case")
        if name in existing:
            raise SchemaError(f"{source}: {what} '{name}' is already declared; extensions may add but not redefine")

    def _check_endpoints(self, source: str) -> None:
        for rel in self.relation_types.values():
            for etype in rel.subject + rel.object:
                if etype != "*" and etype not in self.entity_types:
                    raise SchemaError(f"{source}: relation '{rel.name}' names unknown entity type '{etype}'")


def _read_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            # libyaml when PyYAML has it: every command reads the schema at start-up
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except OSError as exc:
        raise SchemaError(f"cannot read schema file {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path}: not valid YAML: {exc}") from None


@lru_cache(maxsize=8)
def _load(extensions: tuple[str, ...]) -> Schema:
    schema = Schema()
    schema.extend(_read_yaml(SCHEMA_FILE), str(SCHEMA_FILE.name))
    for path in extensions:
        schema.extend(_read_yaml(Path(path)), path)
    return schema


def _unknown(what: str, name: str, known) -> str:
    """One line: the name is unknown, the closest known one, and where the list is.

    >>> _unknown("entity type", "frim", ["firm", "state"])
    "unknown entity type 'frim' (did you mean 'firm'?); 'coopgraph schema' lists them"
    """
    from coopgraph.graph.names import did_you_mean

    guess = did_you_mean(name, known)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    return f"unknown {what} '{name}'{hint}; 'coopgraph schema' lists them"


def load_schema(*extensions: str | os.PathLike) -> Schema:
    """Load the built-in schema plus optional extension files.

    ``$COOPGRAPH_SCHEMA`` (paths separated by ``os.pathsep``) adds extensions too.

    Examples
    --------
    >>> schema = load_schema()
    >>> schema.relation("supplies").is_flow
    True
    >>> schema.entity_type("firm").prefix
    'firm'
    """
    env = os.environ.get("COOPGRAPH_SCHEMA", "")
    paths = tuple(str(p) for p in extensions) + tuple(p for p in env.split(os.pathsep) if p)
    return _load(paths)
