"""Load dataset files (YAML, JSON, CSV) in coopgraph's own format."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable

from coopgraph.graph.bulk import paused_gc
from coopgraph.graph.errors import ValidationError
from coopgraph.graph.model import Dataset
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.loaders.records import RawRecord, expand_paths, kind_from_name, read_records
from coopgraph.loaders.validate import validate_records


def read_files(paths: Iterable[str | os.PathLike]) -> list[RawRecord]:
    """Read every file (a directory stands for its dataset files); report all unreadable files at once.

    A node-link JSON file written by ``coopgraph export json`` is read as the dataset it holds.
    """
    from coopgraph.loaders.importers.nodelink import is_node_link, read_json_records

    records: list[RawRecord] = []
    problems = []
    for path in expand_paths(paths):
        try:
            if is_node_link(path):
                # an export of coopgraph's own (coopgraph export json) loads back like any dataset file
                records.extend(read_json_records(path)[0])
                continue
            records.extend(read_records(Path(path)))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return records


def load_files(paths: Iterable[str | os.PathLike], schema: Schema | None = None, context: Dataset | None = None,
               progress: Callable[[int, int, str], None] | None = None) -> Dataset:
    """Read and validate dataset files into a :class:`Dataset`.

    Parameters
    ----------
    paths : files or directories
        YAML, JSON or CSV files in the format of ``docs/dataset-format.md``, or
        node-link JSON files written by ``coopgraph export json``.
    schema : Schema, optional
        Defaults to :func:`coopgraph.graph.load_schema`.
    context : Dataset, optional
        What the target store already holds; claims may cite its documents and
        refer to its entities.

    Returns
    -------
    Dataset
        Only what the files hold (not the context).

    Raises
    ------
    ValidationError
        With every problem of every file, each naming file, line, field and a fix.

    Examples
    --------
    >>> from coopgraph.data import DATA_DIR
    >>> load_files([DATA_DIR]).counts()["documents"] >= 2
    True
    """
    eager, streamed = [], []
    for path in expand_paths(paths):
        # a claims CSV is read row by row during validation, so a large one is never held whole
        is_claims_csv = path.suffix.lower() == ".csv" and kind_from_name(path) == "claims" and path.is_file()
        (streamed if is_claims_csv else eager).append(path)
    with paused_gc():
        return validate_records(read_files(eager), schema or load_schema(), context, progress, claim_files=streamed)
