"""``coopgraph import FORMAT FILE``: other people's files as cited claims."""

from __future__ import annotations

COMMANDS: list = []
