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
    description: list[str] = []
    params: dict[str, Any] = {}
    body: list[str] = []
    neo4j_only = None
    for line in path.read_text(encoding="utf-8").splitlines():
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
                raise CoopgraphError(f"{path.name}: cannot read the line '{stripped}'; write ':param name => value;'")
            params[match["name"]] = parse_literal(match["value"])
        elif stripped or body:
            body.append(line)
    statement = "\n".join(body).strip().rstrip(";")
    return PackQuery(path.stem, " ".join(description), params, statement, neo4j_only, path)


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
