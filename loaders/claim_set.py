"""Claims gathered by identity while a load is checked.

The same claim may be stated on several rows or in several files (one row per
citation is the usual CSV layout). Each statement must agree on everything but
its citations; the claim then carries all of them, in the order first met.
"""

from __future__ import annotations

from coopgraph.graph.errors import Problem
from coopgraph.graph.model import Citation, Claim, claim_id


class ClaimSet:
    """The claims met so far.

    ``entries`` maps an *identity* (what :func:`claim_id` hashes, in its order:
    subject, relation, object, date, start, end, quantity, key, deal) to
    ``[details, citations, file, line]``, where *details* are the claim's other
    fields (circa, status, confidence, unit, value, notes, attributes) and
    file and line say where it was first stated. The fast CSV lane writes into
    ``entries`` directly; everything else goes through :meth:`add`.

    Examples
    --------
    >>> claims = ClaimSet()
    >>> identity = ("firm:a", "supplies", "firm:b", "2015", None, None, None, None, None)
    >>> details = (False, "reported", 0.8, None, None, None, {})
    >>> claims.add(identity, details, (Citation("doc", "p. 1", "A supplies B."),), "c.csv", 2)
    >>> claims.add(identity, details, (Citation("doc", "p. 9", "A sold to B."),), "c.csv", 3)
    >>> [len(c.citations) for c in claims.claims().values()]
    [2]
    >>> claims.add(identity, (False, "confirmed", 0.8, None, None, None, {}), (), "c.csv", 4)
    >>> claims.problems[0].message
    'claim c-965d189064efcffe (firm:a supplies firm:b) conflicts with the claim at c.csv:2'
    """

    def __init__(self, problems: list[Problem] | None = None) -> None:
        self.entries: dict[tuple, list] = {}
        #: conflicting statements, appended as they are met (pass the list that gathers a run's problems)
        self.problems: list[Problem] = [] if problems is None else problems

    def add(self, identity: tuple, details: tuple, citations: tuple[Citation, ...], file: str, line: int | None) -> None:
        """Add one statement of a claim."""
        entry = self.entries.get(identity)
        if entry is None:
            self.entries[identity] = [details, list(citations), file, line]
        elif entry[0] == details:
            entry[1].extend(citations)
        else:
            self.conflict(identity, file, line)

    def conflict(self, identity: tuple, file: str, line: int | None) -> None:
        """Record that the statement at ``file:line`` disagrees with the first one."""
        first = self.entries[identity]
        subject, relation, obj = identity[:3]
        self.problems.append(Problem(
            file, line, None,
            f"claim {claim_id(*identity)} ({subject} {relation} {obj}) conflicts with the claim at {first[2]}:{first[3]}",
            "make the two agree, or give one a distinct 'key'"))

    def claims(self) -> dict[str, Claim]:
        """The claims, by id, in the order first stated; each citation once."""
        out = {}
        for (subject, relation, obj, date, start, end, quantity, key, deal), entry in self.entries.items():
            (circa, status, confidence, unit, value, notes, attributes), citations = entry[0], entry[1]
            claim = Claim(subject, relation, obj, date, start, end, circa, status, confidence, quantity, unit, value, key,
                          tuple(citations) if len(citations) == 1 else tuple(dict.fromkeys(citations)), notes,
                          dict(attributes) if attributes else {}, deal)
            out[claim.id] = claim
        return out


def identity_of(claim: Claim) -> tuple:
    """What :func:`claim_id` hashes, in its order."""
    return (claim.subject, claim.relation, claim.object, claim.date, claim.start, claim.end, claim.quantity, claim.key,
            claim.deal)


def details_of(claim: Claim) -> tuple:
    """A claim's fields but its identity and citations: every statement of one claim must agree on these."""
    return (claim.circa, claim.status, claim.confidence, claim.unit, claim.value, claim.notes, claim.attributes)
