"""Real faults for the reliability tests: a full disk, a read-only file system, a denied permission.

Each runs the ``coopgraph`` command in a child process, so that what a user
would see (exit status, standard error, files left behind) is what is checked:

* :func:`on_tmpfs` mounts a small tmpfs in a private mount namespace
  (``unshare --mount``, root only): the disk fills up for real, and a remount
  makes it read-only for real. The mount disappears with the namespace.
* :func:`without_privileges` runs a command as root stripped of every capability
  (``setpriv --bounding-set=-all``), so file permissions apply to it as to anyone.

Both skip the calling test where the machine does not allow them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
from functools import lru_cache
from pathlib import Path

import pytest

COOPGRAPH = [sys.executable, "-m", "coopgraph"]


@lru_cache(maxsize=None)
def _works(*command: str) -> bool:
    if shutil.which(command[0]) is None:
        return False
    return subprocess.run(list(command), capture_output=True).returncode == 0


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# The script run inside the mount namespace: mount, copy the files in, run each step, report as JSON.
_INSIDE = textwrap.dedent("""
    import hashlib, json, os, shutil, subprocess, sys
    job = json.loads(sys.argv[1])
    mount = job["mount"]
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={job['size_kb']}k", "tmpfs", mount], check=True)
    for name, source in job["files"].items():
        shutil.copy(source, os.path.join(mount, name))
    if job["readonly"]:
        subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
    def state():
        out = {}
        for name in sorted(os.listdir(mount)):
            path = os.path.join(mount, name)
            with open(path, "rb") as fh:
                out[name] = hashlib.sha256(fh.read()).hexdigest()
        return out
    results = []
    for step in job["steps"]:
        run = subprocess.run(step, cwd=mount, capture_output=True, text=True, env=job["env"])
        results.append({"code": run.returncode, "out": run.stdout, "err": run.stderr, "files": state()})
    if job.get("copy_back"):
        for name in os.listdir(mount):
            if not name.startswith("."):
                shutil.copy(os.path.join(mount, name), os.path.join(job["copy_back"], name))
    print(json.dumps({"before": job["before"], "results": results}))
""")


def on_tmpfs(tmp_path: Path, size_kb: int, files: dict[str, Path], steps: list[list[str]], *,
             readonly: bool = False, env: dict | None = None, copy_back: Path | None = None) -> list[dict]:
    """Run ``steps`` (commands, in the tmpfs as working folder) on a tmpfs of ``size_kb`` KiB holding ``files``.

    Returns one ``{"code", "out", "err", "files": {name: sha256}}`` per step; with
    ``copy_back``, the tmpfs's files are copied there at the end (to inspect them).
    """
    if not _works("unshare", "--mount", "true"):
        pytest.skip("needs a private mount namespace (unshare --mount, as root) to make a small or read-only disk")
    import os

    mount = tmp_path / "tmpfs"
    mount.mkdir()
    job = {"mount": str(mount), "size_kb": size_kb, "files": {k: str(v) for k, v in files.items()},
           "steps": steps, "readonly": readonly, "env": {**os.environ, **(env or {})}, "before": None,
           "copy_back": str(copy_back) if copy_back else None}
    run = subprocess.run(["unshare", "--mount", "--propagation", "private", sys.executable, "-c", _INSIDE,
                          json.dumps(job)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["results"]


def without_privileges(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run ``command`` with no capabilities, so that file permissions bind it (even as root)."""
    if not _works("setpriv", "--bounding-set=-all", "true"):
        pytest.skip("needs setpriv to drop capabilities")
    return subprocess.run(["setpriv", "--bounding-set=-all", "--", *command], capture_output=True, text=True,
                          timeout=300, **kwargs)


def one_clear_line(stderr: str) -> str:
    """The error line of a failed command; fails the test on a traceback or a multi-line error."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("waiting for")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    return lines[0]
