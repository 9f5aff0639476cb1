"""The Cypher pack: ready questions for Neo4j Browser, also runnable from the CLI.

Each ``queries/cypher/NAME.cypher`` file starts with ``//`` comment lines saying
what it answers, then ``:param name => value;`` lines (Neo4j Browser commands
that set defaults), then one Cypher statement. A line ``// neo4j-only: why``
marks a query that needs Neo4j itself.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopgraph.graph.errors import CoopgraphError, NotFoundError

PACK_DIR = Path(__file__).resolve().parent / "cypher"
_PARAM = re.compile(r"^:param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(?P<value>.+?);?\s*$")


@dataclass(frozen=True)
class PackQuery:
    """One question of the pack."""

    name: str
    description: str
    params: dict[str, Any]
    statement: str
    neo4j_only: str | None = None
    path: Path = field(default=PACK_DIR)


def parse_literal(text: str) -> Any:
    """A ``:param`` value or ``--param`` value: a number, a quoted string, a list, ``true``/``false``/``null``.

    >>> parse_literal("'state:russia'"), parse_literal("2014"), parse_literal("0.6"), parse_literal("abc")
    ('state:russia', 2014, 0.6, 'abc')
    """
    text = text.strip()
    lowered = {"true": True, "false": False, "null": None}
    if text.lower() in lowered:
        return lowered[text.lower()]
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def read_pack_query(path: Path) -> PackQuery:
    """Parse one pack file."""
    return parse_query_text(path.read_text(encoding="utf-8"), path.stem, path)


def parse_query_text(text: str, name: str = "query", path: Path | None = None) -> PackQuery:
    """A query in the pack's file layout (``//`` description, ``:param`` defaults, one statement).

    A plain statement with neither is a query too, as cypher-shell reads one.

    >>> q = parse_query_text(":param n => 5;" + chr(10) + "MATCH (e:Entity) RETURN e.name LIMIT $n;")
    >>> q.params, q.statement
    ({'n': 5}, 'MATCH (e:Entity) RETURN e.name LIMIT $n')
    """
    description: list[str] = []
    params: dict[str, Any] = {}
    body: list[str] = []
    neo4j_only = None
    label = path.name if path is not None else name
    for line in text.splitlines():
        stripped = line.strip()
        if not body and stripped.startswith("//"):
            text = stripped[2:].strip()
            if text.lower().startswith("neo4j-only:"):
                neo4j_only = text.split(":", 1)[1].strip()
            else:
                description.append(text)
        elif not body and stripped.startswith(":param"):
            match = _PARAM.match(stripped)
            if not match:
                raise CoopgraphError(f"{label}: cannot read the line '{stripped}'; write ':param name => value;'")
            params[match["name"]] = parse_literal(match["value"])
        elif stripped or body:
            body.append(line)
    statement = "\n".join(body).strip().rstrip(";").rstrip()
    return PackQuery(name, " ".join(description), params, statement, neo4j_only, path or PACK_DIR)


def pack(directory: Path = PACK_DIR) -> dict[str, PackQuery]:
    """Every query of the pack by name.

    >>> "chains_russia_to_pla" in pack()
    True
    """
    return {p.stem: read_pack_query(p) for p in sorted(directory.glob("*.cypher"))}


def pack_query(name: str) -> PackQuery:
    queries = pack()
    if name not in queries:
        raise NotFoundError(f"no pack query '{name}'; 'coopgraph cypher list' shows them: {', '.join(queries)}")
    return queries[name]


def run_pack_query(store: Any, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a pack query on a Bolt store with its default parameters overridden by ``params``."""
    query = pack_query(name)
    unknown = set(params or {}) - set(query.params)
    if unknown:
        raise CoopgraphError(f"{name} takes no parameter {', '.join(sorted(unknown))}; it takes: {', '.join(query.params) or 'none'}")
    return store.run_cypher(query.statement, {**query.params, **(params or {})})


_PARAMETER_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def run_query(store: Any, query: PackQuery, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a query read from a file or standard input (:func:`parse_query_text`) on a Bolt store.

    Its ``:param`` defaults are overridden by ``params``; every ``$name`` the
    statement uses must have a value. The statement is sent as written, with
    the values as parameters, never formatted into it.

    Raises
    ------
    CoopgraphError
        When the query is empty or a parameter it uses has no value.
    """
    if not query.statement:
        raise CoopgraphError(f"{query.name}: no Cypher statement to run")
    values = {**query.params, **(params or {})}
    missing = sorted(set(_PARAMETER_USE.findall(query.statement)) - set(values))
    if missing:
        raise CoopgraphError(f"{query.name} uses ${', $'.join(missing)} but no value is given; "
                             f"add --param {missing[0]}=VALUE (or a ':param {missing[0]} => VALUE;' line)")
    return store.run_cypher(query.statement, values)
