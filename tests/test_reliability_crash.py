"""The crash test of issue 13, bounded: kill -9 loads at random moments; the store is old or new, never partial.

``tools/crashtest.py`` does the work (see its docstring); ``.ci/run`` also runs it
for longer. Here it gets a short budget, so the suite stays fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "crashtest.py"


def test_loads_killed_at_random_moments_leave_the_old_store_or_the_new_one(tmp_path):
    run = subprocess.run([sys.executable, str(TOOL), "--trials", "3", "--seconds", "45", "--seed", "13",
                          "--claims", "1000", "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=180)
    summary = json.loads(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    assert summary["failures"] == [] and summary["trials"] >= 2
    assert not list(tmp_path.glob(".coopgraph-*.tmp"))
