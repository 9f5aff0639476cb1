"""The bundled dataset: every entity and dated, sourced relation of the seed reports."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def bundled_files() -> list[Path]:
    """Return the bundled dataset files in load order (documents, entities, deals, claims)."""
    order = {"documents": 0, "entities": 1, "deals": 2, "claims": 3}
    files = sorted(DATA_DIR.glob("*.yaml"), key=lambda p: (order.get(p.stem.split("-")[0], 4), p.name))
    return files
