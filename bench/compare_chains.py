"""The 100k chain query before deals and now, timed in one run on the same generated data.

    python bench/compare_chains.py --size 100k --runs 3

(a) **before**: the code of commit 8358455 (the last before deals), checked out with
    ``git worktree add`` and laid out as the installed package is (``coopgraph/``, with
    ``graph/ loaders/ queries/ cli/`` as its subpackages, per pyproject's package-dir) in a
    folder put first on ``PYTHONPATH``. It reads the data written **without** deals
    (``generate.py --no-deals``: no ``deal`` column, no ``deals.csv``; that code refuses
    unknown fields).
(b) **now**: this working tree's code, copied the same way at the start (so that edits made to
    the tree while the runs go on do not change the code timed; the copy's uncommitted changes are
    saved beside the results), on the same data **with** its deals.

Both codes load their data into a store of their own; then each timed query runs in a fresh
process, from a settled heap (``gc.collect()``), with the question of ``bench/run.py``'s chains
row (firm-3 to armed-service-7, 4 hops, every chain: ``limit=10**9``). Runs alternate a, b, a, b
... so that a slow spell of the shared machine falls on both; the median of each is reported,
with the chain counts, the ratio, and what the answers are made of. The worktree and the laid-out
copy copies are removed at the end (``--keep`` keeps them for another run).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import DATA_VERSION, data_folder, generate, parse_size  # noqa: E402
from run import CHAIN_HOPS, CHAIN_SOURCE, CHAIN_TARGET  # noqa: E402

PY = sys.executable
BEFORE = "8358455"

LOAD = """
import json, sys
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_into
print(json.dumps(load_into(open_store(sys.argv[2]), [sys.argv[1]], replace=True)))
"""

# one timed query; what the answers are made of is worked out after the clock stops
QUERY = """
import gc, json, resource, sys, time
from coopgraph.graph.store import open_store
from coopgraph.queries import chains
g = open_store(sys.argv[1]).graph()
gc.collect()
t = time.perf_counter()
found = chains(g, sys.argv[2], sys.argv[3], max_hops=int(sys.argv[4]), limit=10**9)
seconds = time.perf_counter() - t
rows = list(found)
deal_chains = sum(1 for c in rows if any(n["id"].startswith("deal:") for n in c["nodes"]))
# a deal read as its item: how many entity paths the chains make, as the code before deals saw them
as_items = {tuple(n.get("item", n["id"]) for n in c["nodes"]) for c in rows}
print(json.dumps({
    "seconds": seconds, "chains": len(rows), "chains_through_deals": deal_chains,
    "ending_at_stand_in": sum(1 for c in rows if c.get("recipient_named")),
    "entity_paths": len(as_items), "by_hops": {h: sum(1 for c in rows if c["hops"] == h) for h in range(1, 9) if any(c["hops"] == h for c in rows)},
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "code": sys.modules["coopgraph.queries.chains"].__file__,
}))
"""


def step(code: str, args: list, env_path: str | None, cwd: str, timeout: float = 3600) -> dict:
    """Run ``code`` in a fresh interpreter (``PYTHONPATH=env_path`` when given) and read its JSON line."""
    import os

    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if env_path:
        env["PYTHONPATH"] = env_path
    proc = subprocess.run([PY, "-c", code, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=cwd, check=False)
    if proc.returncode:
        raise RuntimeError(f"step failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout.strip()


def lay_out(root: Path, site: Path) -> list[str]:
    """Copy the code under ``root`` to ``site`` as pyproject's package-dir installs it; the folders copied."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    shutil.rmtree(site, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    # the top package first, then the subpackages that live in folders of their own
    for package, folder in sorted(config["package-dir"].items(), key=lambda kv: kv[0].count(".")):
        shutil.copytree(root / folder, site.joinpath(*package.split(".")), ignore=ignore, dirs_exist_ok=True)
    return sorted(config["package-dir"].values())


def checkout_before(commit: str, worktree: Path, site: Path) -> None:
    """A worktree of ``commit``, and an importable copy of it laid out as pyproject's package-dir says."""
    if not (worktree / "pyproject.toml").exists():
        git("worktree", "add", "--detach", str(worktree), commit)
    head = subprocess.run(["git", "-C", str(worktree), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    if not head.startswith(git("rev-parse", commit)[:12]):
        raise SystemExit(f"{worktree} holds {head}, not {commit}: remove it (git worktree remove {worktree})")
    lay_out(worktree, site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each code (the median is reported)")
    parser.add_argument("--before", default=BEFORE, help="the commit before deals")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    parser.add_argument("--worktree", type=Path, default=Path("/tmp/coopgraph-before"))
    parser.add_argument("--site", type=Path, default=Path("/tmp/before-site"))
    parser.add_argument("--now-site", type=Path, default=Path("/tmp/now-site"))
    parser.add_argument("--keep", action="store_true", help="keep the worktree and the laid-out copy")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    claims = parse_size(args.size)
    args.work.mkdir(parents=True, exist_ok=True)
    with_deals, without = data_folder(args.work, args.size), data_folder(args.work, args.size, deals=False)
    for folder, deals in ((with_deals, True), (without, False)):
        if not (folder / "claims.csv").exists():
            print(f"generating {folder} ...", flush=True)
            generate(claims, folder, deals=deals)
    now_head = git("rev-parse", "--short", "HEAD")
    try:
        folders = lay_out(REPO, args.now_site)  # the code timed as "now", frozen here
        diff = git("diff", "HEAD", "--", *folders)
        (args.work / f"compare_chains-{args.size}-now.diff").write_text(diff + "\n" if diff else "", encoding="utf-8")
        dirty = bool(diff)
        checkout_before(args.before, args.worktree, args.site)
        codes = {
            "before": {"path": str(args.site), "data": without, "store": args.work / f"{DATA_VERSION}-{args.size}-before.sqlite",
                       "label": f"before deals ({args.before}), data without deals"},
            "now": {"path": str(args.now_site), "data": with_deals, "store": args.work / f"{DATA_VERSION}-{args.size}-now.sqlite",
                    "label": f"now ({now_head}{' + uncommitted changes' if dirty else ''}), data with deals"},
        }
        with tempfile.TemporaryDirectory() as cwd:  # not the repository root, whose folders would shadow the package
            for name, code in codes.items():
                print(f"[{name}] load {code['data']} ...", flush=True)
                code["counts"] = step(LOAD, [code["data"], code["store"]], code["path"], cwd)
            runs: dict[str, list[dict]] = {name: [] for name in codes}
            for i in range(args.runs):
                for name, code in codes.items():
                    result = step(QUERY, [code["store"], CHAIN_SOURCE, CHAIN_TARGET, CHAIN_HOPS], code["path"], cwd)
                    if not result["code"].startswith(code["path"] + "/"):
                        raise SystemExit(f"the '{name}' run imported {result['code']}, not {code['path']}")
                    runs[name].append(result)
                    print(f"[{name}] run {i + 1}: {result['seconds']:.2f} s, {result['chains']:,} chains", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(args.site, ignore_errors=True)
            shutil.rmtree(args.now_site, ignore_errors=True)
            if args.worktree.exists():
                git("worktree", "remove", "--force", str(args.worktree))
            git("worktree", "prune")
    if git("rev-parse", "--short", "HEAD") != now_head:
        print(f"note: HEAD moved from {now_head} to {git('rev-parse', '--short', 'HEAD')} during the runs "
              "(the runs used the copy made at the start)", flush=True)
    out = {"measured": started, "size": args.size, "question": [CHAIN_SOURCE, CHAIN_TARGET, CHAIN_HOPS], "codes": {}}
    for name, code in codes.items():
        times = [r["seconds"] for r in runs[name]]
        counts = {r["chains"] for r in runs[name]}
        last = runs[name][-1]
        out["codes"][name] = {"label": code["label"], "median": statistics.median(times), "times": times,
                              "chains": sorted(counts), **{k: last[k] for k in ("chains_through_deals", "ending_at_stand_in",
                                                                              "entity_paths", "by_hops", "peak_mb")},
                              "store": code["counts"]}
    before, now = out["codes"]["before"], out["codes"]["now"]
    out["ratio"] = now["median"] / before["median"]
    (args.work / f"compare_chains-{args.size}.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    q = f"{CHAIN_SOURCE} -> {CHAIN_TARGET}, {CHAIN_HOPS} hops"
    lines = [f"Measured {started}: `python bench/compare_chains.py --size {args.size} --runs {args.runs}` ({q}, every chain)",
             "", "| code, data | median | runs | chains | through a deal | ending at a state standing in | entity paths (a deal read as its item) | peak RSS |",
             "|---|---|---|---|---|---|---|---|"]
    for c in (before, now):
        lines.append(f"| {c['label']} | {c['median']:.2f} s | {', '.join(f'{t:.2f}' for t in c['times'])} | "
                     f"{'/'.join(f'{n:,}' for n in c['chains'])} | {c['chains_through_deals']:,} | {c['ending_at_stand_in']:,} | "
                     f"{c['entity_paths']:,} | {c['peak_mb']:,.0f} MB |")
    lines += ["", f"now / before: {out['ratio']:.2f}x"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
