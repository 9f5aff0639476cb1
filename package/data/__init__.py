"""The bundled dataset: the seed reports' entities and dated, sourced relations, and a SIPRI register slice.

Two kinds of file live here (``docs/dataset-format.md``):

- the **reports**: ``documents.yaml``, ``entities.yaml``, ``deals.yaml``, ``claims.yaml`` (the CSIS
  primer of March 2020 and the UTS report of November 2022);
- **registers**: ``sipri-register-*.yaml``, rows of the SIPRI Arms Transfers Database's trade
  register written by ``tools/build_sipri_register.py`` (see the file's header).

The store is built from all of them on first use. With ``COOPGRAPH_BUNDLED=reports`` in the
environment, only the reports are bundled (the store built on first use, or rebuilt by
``coopgraph load --replace``, then holds only what the two reports say).
"""

import os
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent

#: the environment variable that chooses what is bundled: ``all`` (the default) or ``reports``
BUNDLED_ENV = "COOPGRAPH_BUNDLED"
#: the files that hold register rows rather than reports
REGISTER_GLOB = "sipri-register-*.yaml"


def register_files() -> list[Path]:
    """The bundled register files (rows of the SIPRI trade register), by name."""
    return sorted(DATA_DIR.glob(REGISTER_GLOB))


def bundled_files(only_reports: bool | None = None) -> list[Path]:
    """Return the bundled dataset files in load order (documents, entities, deals, claims, then registers).

    Parameters
    ----------
    only_reports : bool, optional
        Leave the register files out. By default, true when ``$COOPGRAPH_BUNDLED`` is ``reports``.

    Raises
    ------
    CoopgraphError
        When ``$COOPGRAPH_BUNDLED`` is neither ``all`` nor ``reports``.

    Examples
    --------
    >>> [p.name for p in bundled_files(only_reports=True)]
    ['documents.yaml', 'entities.yaml', 'deals.yaml', 'claims.yaml']
    >>> [p.name for p in bundled_files(only_reports=False)][-1]
    'sipri-register-russia-china.yaml'
    """
    if only_reports is None:
        chosen = os.environ.get(BUNDLED_ENV, "all").strip().lower() or "all"
        if chosen not in ("all", "reports"):
            from coopgraph.graph.errors import CoopgraphError

            raise CoopgraphError(f"${BUNDLED_ENV} is '{chosen}'; set it to 'all' (reports and registers) or "
                                 "'reports' (the two reports only)")
        only_reports = chosen == "reports"
    order = {"documents": 0, "entities": 1, "deals": 2, "claims": 3}
    registers = set(register_files())
    files = sorted((p for p in DATA_DIR.glob("*.yaml") if p not in registers),
                   key=lambda p: (order.get(p.stem.split("-")[0], 4), p.name))
    return files if only_reports else files + sorted(registers)
