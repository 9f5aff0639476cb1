"""Parse back the Cypher literals that ``coopgraph export cypher`` writes: a test helper, not part of the package."""

from __future__ import annotations

from typing import Any

from coopgraph.queries.export.cypher import cypher_value  # noqa: F401  (used by the doctests)


def read_literal(text: str) -> Any:
    r"""Parse one Cypher literal of the kinds :func:`cypher_value` writes .

    >>> read_literal(cypher_value(["x'\\y", 1.5, True]))
    ["x'\\y", 1.5, True]
    """
    value, rest = _parse(text.strip(), 0)
    if text.strip()[rest:].strip():
        raise ValueError(f"trailing text after literal: {text[rest:rest + 20]!r}")
    return value


def _parse(s: str, i: int) -> tuple[Any, int]:
    while s[i].isspace():
        i += 1
    ch = s[i]
    if ch == "'":
        out, i = [], i + 1
        simple = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
        while s[i] != "'":
            if s[i] == "\\":
                code = s[i + 1]
                if code == "u":
                    out.append(chr(int(s[i + 2:i + 6], 16)))
                    i += 6
                    continue
                out.append(simple[code])
                i += 2
                continue
            out.append(s[i])
            i += 1
        return "".join(out), i + 1
    if ch == "[" or ch == "{":
        close = "]" if ch == "[" else "}"
        items: Any = [] if ch == "[" else {}
        i += 1
        while True:
            while s[i].isspace() or s[i] == ",":
                i += 1
            if s[i] == close:
                return items, i + 1
            if ch == "{":
                colon = s.index(":", i)
                key = s[i:colon].strip()
                value, i = _parse(s, colon + 1)
                items[key] = value
            else:
                value, i = _parse(s, i)
                items.append(value)
    end = i
    while end < len(s) and s[end] not in ",]}" and not s[end].isspace():
        end += 1
    token = s[i:end]
    if token in ("true", "false"):
        return token == "true", end
    return (float(token) if any(c in token for c in ".eE") else int(token)), end


def literal_rows(statement: str) -> list[dict[str, Any]]:
    r"""The rows of an ``UNWIND [...] AS row`` statement, parsed back (for tests).

    >>> literal_rows("UNWIND [\n  {id: 'a'}\n] AS row\nRETURN row;")
    [{'id': 'a'}]
    """
    if not statement.startswith("UNWIND ["):
        return []
    rows, _ = _parse(statement, len("UNWIND "))
    return rows
