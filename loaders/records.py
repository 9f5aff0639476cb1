"""Read dataset files into raw records that remember where they came from.

Every record keeps its file, its line (YAML/JSON) or row (CSV), and the line of
each field, so that validation can say exactly what to fix and where.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator

import yaml

from coopgraph.graph.errors import Problem, ValidationError

KINDS = ("documents", "entities", "deals", "claims")
SUFFIXES = (".yaml", ".yml", ".json", ".csv")

# -- limits (docs/dataset-format.md#limits): a file past one is refused with its line, before it costs much --
#: deepest nesting of lists and mappings in a YAML or JSON file (the format itself needs 5)
MAX_DEPTH = 32
#: most values that YAML aliases (``*name``) may add to a file by repeating what an anchor (``&name``) holds
MAX_ALIAS_EXPANSION = 100_000
#: longest text value, in characters (a quote, a description, a name)
MAX_TEXT = 65_536
#: characters refused in any text: C0 controls but tab and line breaks, DEL, lone surrogates, U+FFFE and U+FFFF
#: (XML 1.0, so GraphML and GEXF, and spreadsheets cannot hold them; no source needs them)
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass
class RawRecord:
    """One unvalidated record with its location."""

    kind: str
    data: dict[str, Any]
    file: str
    line: int | None
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int | None:
        """The line of a field, or of the record when the field is absent."""
        return self.field_lines.get(name, self.line)


# libyaml's parser (when PyYAML was built with it) keeps the same marks and is several times faster
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A YAML loader whose mappings remember the line of each key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[str(key)] = key_node.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # an unquoted date YAML cannot build (2015-06-31) stays text, so that validation says what is wrong with it
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _field_of(path: list[tuple[Any, str | None]]) -> str | None:
    """The innermost mapping key on a path of ``(node, key)`` steps."""
    return next((key for _, key in reversed(path) if key is not None), None)


def _check_shape(root: yaml.Node, name: str) -> None:
    """Refuse a YAML document nested deeper than :data:`MAX_DEPTH`, whose aliases expand past
    :data:`MAX_ALIAS_EXPANSION` values or refer to themselves, or with a text longer than :data:`MAX_TEXT`.

    Works on the composed nodes, where an alias is one shared node: the size and depth
    the document would have when expanded are computed without expanding it.
    """
    scalar = yaml.ScalarNode

    def children(node: yaml.Node) -> Iterator[tuple[yaml.Node, str | None]]:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                yield key, None
                yield value, key.value if isinstance(key, scalar) else None
        else:
            for item in node.value:
                yield item, None

    def refuse(node: yaml.Node, field: str | None, message: str, hint: str) -> None:
        raise ValidationError([Problem(name, node.start_mark.line + 1, field, message, hint)])

    def too_long(node: yaml.Node, field: str | None) -> None:
        refuse(node, field, f"a text of {len(node.value):,} characters (the limit is {MAX_TEXT:,})",
               "shorten it: quote the passage that supports the claim, not the whole source")

    if isinstance(root, scalar):
        if len(root.value) > MAX_TEXT:
            too_long(root, None)
        return
    memo: dict[int, tuple[int, int]] = {}   # id(node) -> (values when expanded, levels from it down)
    nodes: dict[int, yaml.Node] = {}
    refs: dict[int, int] = {}               # how often each list or mapping is referred to
    written = 0                             # values as written (a shared node once)
    on_path: set[int] = set()               # the nodes between the root and the one being visited
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size, depth = 1, 0
            for child, field in children(node):
                if isinstance(child, scalar):
                    if len(child.value) > MAX_TEXT:
                        too_long(child, field)
                    size += 1
                    written += 1
                    depth = max(depth, 1)
                else:
                    child_size, child_depth = memo[id(child)]
                    size += child_size
                    depth = max(depth, child_depth)
            memo[key] = (size, depth + 1)
            written += 1
            continue
        if key in memo:
            continue
        nodes[key] = node
        on_path.add(key)
        stack.append((node, True))
        for child, field in children(node):
            if isinstance(child, scalar):
                continue
            child_key = id(child)
            refs[child_key] = refs.get(child_key, 0) + 1
            if child_key in on_path:
                refuse(child, field, "an alias refers to a list or mapping that contains it (a recursive alias)",
                       "write the values out instead of the alias")
            if child_key not in memo:
                stack.append((child, False))
    total, depth = memo[id(root)]
    if depth > MAX_DEPTH:
        # walk down the deepest branch to the first level past the limit, to name its line and field
        node, field, level = root, None, 1
        while level <= MAX_DEPTH:
            # a scalar is a level of its own (depth 1): past the limit, the first level may be a scalar's
            node, key_name = max(children(node),
                                 key=lambda pair: 1 if isinstance(pair[0], scalar) else memo[id(pair[0])][1])
            field = key_name or field
            level += 1
        refuse(node, field, f"nested more than {MAX_DEPTH} levels deep",
               "flatten the structure: records are a list of mappings, with lists or mappings one level inside")
    if total - written > MAX_ALIAS_EXPANSION:
        worst = max((k for k, n in refs.items() if n > 1), key=lambda k: memo[k][0] * (refs[k] - 1))
        refuse(nodes[worst], None,
               f"aliases of the anchor here expand the file to {total:,} values, {total - written:,} more than "
               f"written (the limit is {MAX_ALIAS_EXPANSION:,})",
               "write the values out, or use aliases (*name) only for small repeated parts")


def _check_json_shape(doc: Any, name: str) -> None:
    """Refuse JSON nested deeper than :data:`MAX_DEPTH` (JSON has no aliases; texts are checked in validation)."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise ValidationError([Problem(name, None, None, f"nested more than {MAX_DEPTH} levels deep",
                                               "flatten the structure; records are a list of mappings")])
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))


def kind_from_name(path: Path) -> str | None:
    """``claims-2019.csv`` -> ``claims``; ``None`` when the name says no kind."""
    stem = path.stem.lower()
    for kind in KINDS:
        if stem.startswith(kind):
            return kind
    return None


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a directory stands for its dataset files in name order."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            order = {"documents": 0, "entities": 1, "deals": 2, "claims": 3}
            found = [p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()]
            out.extend(sorted(found, key=lambda p: (order.get(kind_from_name(p) or "", 4), p.name)))
        else:
            out.append(path)
    return out


def read_records(path: Path) -> list[RawRecord]:
    """Read one file into raw records; raises :class:`ValidationError` if unreadable."""
    name = str(path)
    if not path.exists():
        raise ValidationError([Problem(name, None, None, "no such file", "check the path")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix not in (".yaml", ".yml", ".json"):
        raise ValidationError([Problem(name, None, None, f"unknown file type '{suffix}'",
                                       "use .yaml, .yml, .json or .csv (or an importer: 'coopgraph import --help')")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError([Problem(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})", "save the file as UTF-8")]) from None
    try:
        # JSON is (nearly) YAML; reading it with the YAML loader gives line numbers.
        doc = _load_yaml(text, name)
    except yaml.YAMLError as exc:
        if suffix == ".json":
            doc = _load_json(text, name)
        else:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else None
            problem = getattr(exc, "problem", None) or str(exc)
            raise ValidationError([Problem(name, line, None, f"not valid YAML: {problem}", "fix the YAML syntax (indentation, quotes, colons)")]) from None
    return _records_from_document(doc, path)


def _load_yaml(text: str, name: str) -> Any:
    """One YAML document, its shape checked (:func:`_check_shape`) before anything is built from it."""
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_shape(node, name)
        try:
            return loader.construct_document(node)
        except (TypeError, ValueError, OverflowError) as exc:
            # e.g. a list or mapping used as a key ("? [a, b]: c"), which no record can have
            raise ValidationError([Problem(name, None, None, f"not a dataset file ({type(exc).__name__}: {exc})",
                                           "see docs/dataset-format.md: mappings of plain keys to values")]) from None
    finally:
        loader.dispose()


def _load_json(text: str, name: str) -> Any:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError([Problem(name, exc.lineno, None, f"not valid JSON: {exc.msg}", "fix the JSON syntax")]) from None
    except RecursionError:
        raise ValidationError([Problem(name, None, None, f"nested more than {MAX_DEPTH} levels deep",
                                       "flatten the structure; records are a list of mappings")]) from None
    _check_json_shape(doc, name)
    return doc


def _records_from_document(doc: Any, path: Path) -> list[RawRecord]:
    name = str(path)
    if doc is None:
        return []
    sections: list[tuple[str, Any, int | None]] = []
    if isinstance(doc, list):
        kind = kind_from_name(path)
        if kind is None:
            raise ValidationError([Problem(name, 1, None, "a bare list, but the file name does not say what it holds",
                                           "name the file documents.*, entities.*, deals.* or claims.*, or use a mapping with those keys")])
        sections.append((kind, doc, 1))
    elif isinstance(doc, dict):
        key_lines = doc.get("__lines__", {})
        unknown = [k for k in doc if k not in KINDS and not str(k).startswith("__")]
        if unknown:
            raise ValidationError([Problem(name, key_lines.get(str(k)), str(k), "unknown top-level key",
                                           "use documents, entities, deals and claims") for k in unknown])
        for kind in KINDS:
            if kind in doc:
                sections.append((kind, doc[kind] or [], key_lines.get(kind)))
    else:
        raise ValidationError([Problem(name, 1, None, "expected a list or a mapping of lists", "see docs/dataset-format.md")])
    records = []
    problems = []
    for kind, items, line in sections:
        if not isinstance(items, list):
            problems.append(Problem(name, line, kind, "expected a list of records", f"write {kind} as a '- ' list"))
            continue
        for item in items:
            if not isinstance(item, dict):
                problems.append(Problem(name, line, kind, f"a record must be a mapping, not {type(item).__name__}", "write each record as key: value lines"))
                continue
            item_line = item.pop("__line__", None)
            lines = item.pop("__lines__", {})
            records.append(RawRecord(kind, _strip_lines(item), name, item_line, lines))
    if problems:
        raise ValidationError(problems)
    return records


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in ("__line__", "__lines__")}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


_CLAIM_CITATION_COLUMNS = ("document", "locator", "quote")


def _read_csv(path: Path) -> list[RawRecord]:
    return list(iter_csv_records(path))


def iter_csv_records(path: Path) -> Iterator[RawRecord]:
    """The records of a dataset CSV file, one row at a time (a large claims file is never held whole).

    Raises :class:`ValidationError` at the first row that cannot be read.
    """
    kind = _csv_kind(path)
    name = str(path)
    for number, header, row in iter_csv_rows(path):
        yield csv_record(kind, name, number, header, row)


def _csv_kind(path: Path) -> str:
    kind = kind_from_name(path)
    if kind is None:
        raise ValidationError([Problem(str(path), None, None, "a CSV file must say what it holds in its name",
                                       "name it documents*.csv, entities*.csv, deals*.csv or claims*.csv, or use 'coopgraph import csv'")])
    return kind


def iter_csv_rows(path: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """``(line, header, cells)`` for each non-blank row of a CSV file, header cells stripped.

    ``line`` is where the row starts, even when a quoted cell spans lines.
    Raises :class:`ValidationError` at the first row that cannot be read.
    """
    name = str(path)
    last = 0
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = None
            for row in reader:
                number = last + 1
                last = reader.line_num
                if header is None:
                    header = [h.strip() for h in row]
                    continue
                if not "".join(row).strip():  # a blank row (one join beats a test per cell)
                    continue
                if len(row) != len(header):
                    raise ValidationError([Problem(name, number, None, f"{len(row)} cells, but the header has {len(header)}",
                                                   "quote cells that contain commas")])
                yield number, header, row
    except UnicodeDecodeError as exc:
        raise ValidationError([Problem(name, None, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")]) from None
    except csv.Error as exc:
        raise ValidationError([Problem(name, last + 1, None, f"not valid CSV: {exc}", "check the quoting")]) from None


def csv_record(kind: str, file: str, line: int, header: list[str], row: list[str]) -> RawRecord:
    """The raw record of one CSV row: blank cells left out, list and citation columns gathered."""
    data = {h: cell for h, cell in zip(header, row) if cell and not cell.isspace()}
    return RawRecord(kind, _csv_fields(kind, data), file, line, _NO_LINES)


# CSV records have no per-field lines: one shared, read-only empty mapping instead of a dict per row
_NO_LINES: dict[str, int] = MappingProxyType({})  # type: ignore[assignment]


def _csv_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if "aliases" in data:
        data["aliases"] = [a.strip() for a in data["aliases"].split(";") if a.strip()]
    if kind == "claims":
        citation = {k: data.pop(k) for k in _CLAIM_CITATION_COLUMNS if k in data}
        if citation:
            data["citations"] = [citation]
        if "value_amount" in data or "value_currency" in data:
            data["value"] = {"amount": data.pop("value_amount", None), "currency": data.pop("value_currency", None)}
            if "value_estimate" in data:
                data["value"]["estimate"] = data.pop("value_estimate")
        for flag in ("circa",):
            if flag in data:
                data[flag] = data[flag].strip().lower() in ("1", "true", "yes", "y")
    return data
