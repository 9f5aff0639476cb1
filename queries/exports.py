"""The registry of export formats: name -> writer(dataset, path) -> counts.

Adding a format means one new module and one line here.
"""

from __future__ import annotations

from typing import Callable

from coopgraph.graph.model import Dataset
from coopgraph.queries.export_json import write_json

Writer = Callable[[Dataset, str], dict]

EXPORTERS: dict[str, Writer] = {
    "json": write_json,
}
