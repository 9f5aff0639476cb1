"""The model: documents, entities, and claims (the edges) with their citations.

Every relation is a :class:`Claim`: dated at the precision the source gives,
and cited by one or more :class:`Citation` records. A claim's id is a hash of
what identifies it (:func:`claim_id`), so loading the same claim twice changes
nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from coopgraph.graph.dates import PartialDate, parse_optional


@dataclass(frozen=True, slots=True)
class Document:
    """A source document that claims cite."""

    id: str
    title: str
    date: str
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Entity:
    """A node: a state, body, firm, system, technology, programme, person ...

    Examples
    --------
    >>> e = Entity("firm:rostec", "firm", "Rostec", aliases=("State Corporation Rostec",))
    >>> e.names
    ('Rostec', 'State Corporation Rostec')
    """

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    description: str | None = None
    wikidata: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by the aliases."""
        return (self.name,) + tuple(self.aliases)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["aliases"] = list(self.aliases)
        return data


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a claim is stated: a document, a locator in it, and a verbatim quote."""

    document: str
    locator: str
    quote: str

    def to_dict(self) -> dict[str, str]:
        # what asdict gives, written out: asdict copies recursively, a fifth of `show` for a hub's 9k citations
        return {"document": self.document, "locator": self.locator, "quote": self.quote}


@dataclass(frozen=True, slots=True)
class Value:
    """A money value as the source states it."""

    amount: float
    currency: str
    estimate: bool = False


@dataclass(frozen=True, slots=True)
class Claim:
    """An edge: ``subject --relation--> object``, dated and cited.

    Examples
    --------
    >>> c = Claim("system:su-35", "transferred_to", "state:china", date="2015-11",
    ...           status="contracted", quantity=24,
    ...           citations=(Citation("csis", "endnote 32", "China signed a $2.5 billion contract for 24 Su-35 planes"),))
    >>> c.id == claim_id("system:su-35", "transferred_to", "state:china", date="2015-11", quantity=24)
    True
    >>> c.first_date.precision
    'month'
    """

    subject: str
    relation: str
    object: str
    date: str | None = None
    start: str | None = None
    end: str | None = None
    circa: bool = False
    status: str = "reported"
    confidence: float = 0.8
    quantity: int | None = None
    unit: str | None = None
    value: Value | None = None
    key: str | None = None
    citations: tuple[Citation, ...] = ()
    notes: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    #: the deal (transfer) this claim is one side of: ``deal:<slug>``; only for relations with a deal role
    deal: str | None = None
    #: the deterministic claim id (see :func:`claim_id`), computed once when the claim is made
    id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", claim_id(self.subject, self.relation, self.object, self.date, self.start, self.end,
                                                self.quantity, self.key, self.deal))

    @property
    def first_date(self) -> PartialDate | None:
        """The earliest date the claim carries (point date, else start, else end)."""
        return parse_optional(self.date or self.start or self.end)

    @property
    def last_date(self) -> PartialDate | None:
        """The latest date the claim carries (end, else point date, else start)."""
        return parse_optional(self.end or self.date or self.start)

    @property
    def is_dated(self) -> bool:
        return bool(self.date or self.start or self.end)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)  # the id is a field too, last
        data["citations"] = [c.to_dict() for c in self.citations]
        return data


def claim_id(
    subject: str,
    relation: str,
    obj: str,
    date: str | None = None,
    start: str | None = None,
    end: str | None = None,
    quantity: int | None = None,
    key: str | None = None,
    deal: str | None = None,
) -> str:
    """Hash what identifies a claim into a stable id.

    The citations, status and confidence are *not* part of the identity: the same
    relation stated by two documents is one claim with two citations. The deal
    is, when there is one (a claim without a deal keeps the id it always had).

    >>> claim_id("state:russia", "supplies", "system:s-400", date="2015")
    'c-66be7e0341a7d54d'
    >>> claim_id("state:russia", "supplies", "system:s-400", date="2015", deal="deal:ru-cn-s-400-2015")
    'c-8b018b50603c083a'
    """
    parts = [subject, relation, obj, date or "", start or "", end or "", "" if quantity is None else str(quantity), key or ""]
    if deal:
        parts.append(deal)
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()
    return "c-" + digest[:16]


@dataclass(frozen=True, slots=True)
class Deal:
    """A transfer as one fact: who supplied which item to whom.

    The deal names its parties; what happened and when (ordered, delivered,
    how many, at what value) is said by its claims (``supplies`` claims for the
    supplier's side, ``transferred_to`` or ``licensed_to`` claims for the
    recipient's), each cited. Several documents reporting the same transfer cite
    one deal. :func:`coopgraph.graph.deals.deal_summary` works out the deal's
    dates, numbers and status from its claims.

    Examples
    --------
    >>> d = Deal("deal:ru-cn-su-35-2015", "system:su-35", supplier="state:russia", recipient="state:china")
    >>> d.parties
    ('state:russia', 'system:su-35', 'state:china')
    """

    id: str
    item: str
    supplier: str | None = None
    recipient: str | None = None
    variant: str | None = None
    name: str | None = None
    notes: str | None = None

    @property
    def parties(self) -> tuple[str | None, str, str | None]:
        """``(supplier, item, recipient)``."""
        return (self.supplier, self.item, self.recipient)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Dataset:
    """A validated bundle of documents, entities and claims, keyed by id.

    Loaders produce it, stores accept it; nothing reaches a store without
    passing through a loader's validation.
    """

    documents: dict[str, Document] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.documents) + len(self.entities) + len(self.claims) + len(self.deals)

    def counts(self) -> dict[str, int]:
        return {"documents": len(self.documents), "entities": len(self.entities), "claims": len(self.claims),
                "deals": len(self.deals)}
