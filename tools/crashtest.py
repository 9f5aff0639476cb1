"""Crash test: kill -9 ``coopgraph load`` at random moments; the store must be the old one or the new one.

Each trial starts from the same store (the bundled data), starts one of

* ``add``      ``coopgraph load FILE``            (one transaction into the store),
* ``replace``  ``coopgraph load --replace FILE``  (a new file built beside it, renamed over),
* ``pair``     two ``coopgraph load`` at once, of which one is killed (the other must finish),
* ``first``    ``coopgraph load FILE`` into a store that does not exist yet (built on first use),

and sends SIGKILL at a random moment: half the time anywhere in the run, half the
time while it writes (from the moment its transaction journal or its temporary
build file appears, which the tool watches for, until the write would end). Then,
after coopgraph has opened the store once (which rolls back a transaction left
half-done), it checks:

* ``PRAGMA integrity_check`` answers ``ok`` and the file carries coopgraph's marker;
* the claims are exactly those before the load or exactly those after it (never a part);
* for ``pair``, the load that was not killed exited 0 and its claims are all there;
* at the end, one more write sweeps every temporary file the killed loads left.

Bounded by ``--seconds`` (default 40). Exit status 1 on any violation; a summary
on standard output. Run by ``.ci/run`` and, shortly, by tests/test_reliability_crash.py::

    python tools/crashtest.py --seconds 40 --seed 7
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COOPGRAPH = [sys.executable, "-m", "coopgraph"]


def write_file(folder: Path, tag: str, claims: int) -> Path:
    """A self-contained dataset file (its own document and firms) of ``claims`` claims."""
    path = folder / f"{tag}.yaml"
    lines = ["documents:", f"  - {{id: doc-{tag}, title: 'Crash {tag}', date: '2020'}}", "entities:"]
    lines += [f"  - {{id: 'firm:{tag}-{k}', type: firm, name: 'Firm {tag} {k}'}}" for k in range(claims + 1)]
    lines += ["claims:"]
    lines += [f"  - {{subject: 'firm:{tag}-{k}', relation: cooperates_with, object: 'firm:{tag}-{k + 1}', "
              f"citations: [{{document: doc-{tag}, locator: 'p. {k}', quote: 'Firm {k} works with firm {k + 1}.'}}]}}"
              for k in range(claims)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def claim_ids(store: Path) -> frozenset[str]:
    """The store's claim ids, after coopgraph opened it once (as the next command would)."""
    from coopgraph.graph.errors import StoreError
    from coopgraph.graph.store import open_store

    try:
        with open_store(store) as opened:
            opened.counts()
    except StoreError as exc:
        raise AssertionError(f"coopgraph cannot open the store after the kill: {exc}") from None
    with sqlite3.connect(store) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise AssertionError(f"integrity_check: {check[:5]}")
        marker = conn.execute("PRAGMA application_id").fetchone()[0]
        if marker != 0x63677068:
            raise AssertionError(f"the store lost coopgraph's marker (application_id {marker:#x})")
        return frozenset(row[0] for row in conn.execute("SELECT id FROM claims"))


def _env() -> dict:
    return {**os.environ, "COOPGRAPH_LOCK_TIMEOUT": "120"}


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([*COOPGRAPH, *args, "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=_env())


def writing(store: Path) -> bool:
    """True once a load has begun to write ``store``: its journal or a temporary build file exists."""
    folder = store.parent
    return store.with_name(store.name + "-journal").exists() or any(folder.glob(".coopgraph-*.sqlite.tmp"))


def wait_for_write(proc: subprocess.Popen, store: Path) -> float | None:
    """Seconds until ``proc`` begins to write ``store`` (``None`` if it ended first)."""
    began = time.monotonic()
    while proc.poll() is None:
        if writing(store):
            return time.monotonic() - began
        time.sleep(0.0005)
    return None


def timed(args: list[str], store: Path) -> tuple[float, float]:
    """``(seconds in all, seconds of writing)`` of one uninterrupted run."""
    began = time.monotonic()
    done = start(args)
    until_write = wait_for_write(done, store)
    _, err = done.communicate(timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"calibration run failed: {err}")
    total = time.monotonic() - began
    return total, max(total - (until_write if until_write is not None else total), 0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40.0, help="time budget (default 40)")
    parser.add_argument("--trials", type=int, default=None, help="stop after this many trials (default: none)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock, printed)")
    parser.add_argument("--claims", type=int, default=3000, help="claims in each loaded file (default 3000)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to work (default: a new temporary folder)")
    options = parser.parse_args(argv)
    seed = options.seed if options.seed is not None else int(time.time())
    rng = random.Random(seed)
    budget_end = time.monotonic() + options.seconds
    work = options.workdir or Path(tempfile.mkdtemp(prefix="coopgraph-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    files = {tag: write_file(work, tag, options.claims) for tag in ("add", "replace", "left", "right")}

    # the states a store may be in: the base (the bundled data), and the base plus one file's claims
    from coopgraph.loaders import load_files, open_or_build

    base_store = work / "base.sqlite"
    open_or_build(base_store).close()
    base = claim_ids(base_store)
    after = {tag: base | frozenset(load_files([path]).claims) for tag, path in files.items()}
    # how long a load runs, and how long its write lasts (what the kills aim at)
    duration: dict[str, float] = {}
    write_time: dict[str, float] = {}
    calibration = work / "calibration"
    calibration.mkdir()
    for op, args in (("add", ["load", str(files["add"])]), ("replace", ["load", "--replace", str(files["replace"])])):
        target = calibration / f"{op}.sqlite"
        shutil.copy(base_store, target)
        duration[op], write_time[op] = timed([*args, "--store", str(target)], target)
        if claim_ids(target) != after[op]:
            raise SystemExit(f"calibration: an uninterrupted {op} did not give the expected claims")
    duration["left"] = duration["right"] = duration["add"]
    duration["first"], write_time["first"] = duration["replace"] + 0.2, write_time["replace"] + write_time["add"]

    trials: list[dict] = []
    failures: list[str] = []
    store = work / "store.sqlite"
    while time.monotonic() + max(duration.values()) + 1 < budget_end and len(trials) < (options.trials or 10**9):
        op = rng.choice(["add", "replace", "pair", "first"])
        for leftover in (store, store.with_name(store.name + "-journal")):
            leftover.unlink(missing_ok=True)
        if op != "first":
            shutil.copy(base_store, store)
        length = duration["left" if op == "pair" else op]
        during_write = op != "pair" and rng.random() < 0.5
        delay = rng.uniform(0, write_time[op] * 1.1) if during_write else rng.uniform(0, length * 1.05)
        trial = {"op": op, "during write": during_write, "delay": round(delay, 3)}
        try:
            if op == "pair":
                victim, survivor = rng.sample(["left", "right"], 2)
                procs = {tag: start(["load", str(files[tag]), "--store", str(store)]) for tag in (victim, survivor)}
                time.sleep(delay)
                procs[victim].send_signal(signal.SIGKILL)
                procs[victim].wait()
                _, err = procs[survivor].communicate(timeout=300)
                if procs[survivor].returncode != 0:
                    raise AssertionError(f"the load that was not killed failed: {err.strip()}")
                ids = claim_ids(store)
                with_survivor = after[survivor]
                allowed = (with_survivor, with_survivor | after[victim])
                trial["outcome"] = "survivor only" if ids == allowed[0] else "both"
            else:
                args = ["load", str(files["add" if op == "first" else op]), "--store", str(store)]
                if op == "replace":
                    args.insert(1, "--replace")
                proc = start(args)
                if during_write:
                    wait_for_write(proc, store)
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                code = proc.wait()
                trial["finished before the kill"] = code == 0
                old = frozenset() if op == "first" else base
                new = after["add" if op == "first" else op]
                if op == "first" and not store.exists():
                    ids = frozenset()
                else:
                    ids = claim_ids(store)
                allowed = (old, new) if op != "first" else (frozenset(), base, new)
                names = {frozenset(): "no store", base: "bundled only"} if op == "first" else {old: "old"}
                trial["outcome"] = {**names, new: "new"}.get(ids, "?")
            if ids not in allowed:
                raise AssertionError(f"the store holds {len(ids)} claims: neither the old state nor the new one")
        except AssertionError as exc:
            failures.append(f"{op} killed after {delay:.2f} s: {exc}")
            trial["outcome"] = "VIOLATION"
        trial["temporary files left"] = len(list(work.glob(".coopgraph-*.sqlite.tmp")))
        trials.append(trial)

    # what the killed loads left behind is swept by the next write (each trial's load swept the ones before it)
    time.sleep(2.1)  # a temporary file is swept once it is older than SWEEP_AGE and nobody holds it
    shutil.copy(base_store, store)
    subprocess.run([*COOPGRAPH, "load", str(files["left"]), "--store", str(store), "-q"], check=True, env=_env(),
                   capture_output=True)
    remaining = sorted(p.name for p in work.glob(".coopgraph-*.sqlite.tmp"))
    if remaining:
        failures.append(f"temporary files not swept by the next write: {remaining}")
    summary = {
        "seed": seed, "trials": len(trials), "seconds": round(options.seconds - (budget_end - time.monotonic()), 1),
        "by_op": {op: sum(t["op"] == op for t in trials) for op in ("add", "replace", "pair", "first")},
        "killed while writing": sum(t.get("during write", False) for t in trials),
        "outcomes": {o: sum(t.get("outcome") == o for t in trials) for o in sorted({t.get("outcome") for t in trials})},
        "kills that left a temporary file (swept by the next write)": sum(t["temporary files left"] > 0 for t in trials),
        "failures": failures,
    }
    print(json.dumps(summary, indent=2))
    if options.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures or not trials else 0


if __name__ == "__main__":
    sys.exit(main())
