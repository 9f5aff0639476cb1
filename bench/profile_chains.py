"""Where the chain query's time goes, part by part (the question of bench/run.py's chains row).

    python bench/profile_chains.py --size 100k

Times ``chains(...)`` once, as ``bench/run.py`` and ``bench/compare_chains.py`` do (every chain),
with each of its parts wrapped in a timer: building the flow view (and, inside it, working out
the countries' members), the ends, the distances (and, inside them, the arcs deals take from
their items), the arcs out of the nodes the search visits, the search itself (what is left),
leaving out tails and stand-ins, ranking, and writing the rows. Then it says what the flow view and the answers are made of: arcs, deal arcs, deals per
item, chains found before and after the tails are left out.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gc
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import DATA_VERSION, data_folder, generate, parse_size  # noqa: E402
from run import CHAIN_HOPS, CHAIN_SOURCE, CHAIN_TARGET  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()

    from coopgraph.graph.store import open_store
    from coopgraph.loaders import load_into
    from coopgraph.queries import chains

    cm = sys.modules["coopgraph.queries.chains"]
    fm = sys.modules["coopgraph.queries.flowgraph"]
    store = open_store(args.work / f"{DATA_VERSION}-{args.size}-now.sqlite")
    if not store.exists():
        folder = data_folder(args.work, args.size)
        if not (folder / "claims.csv").exists():
            generate(parse_size(args.size), folder)
        load_into(store, [folder], replace=True)
    graph = store.graph()

    spent: dict[str, float] = collections.defaultdict(float)
    calls: dict[str, int] = collections.Counter()
    seen: dict[str, object] = {}

    def timed(name, fn, keep=False):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                result = fn(*a, **k)
            finally:
                spent[name] += time.perf_counter() - t
                calls[name] += 1
            if keep:
                seen[name] = (a, result)
            return result
        return wrapper

    # the parts chains() calls by module attribute; the search loop itself is the rest
    subs = {"flow view (FlowGraph.of)": ["  of which: countries' members (member_states)"],
            "distances to the goals": ["  of which: arcs deals take from their items (_joined_into)"]}
    fm.member_states = timed(subs["flow view (FlowGraph.of)"][0], fm.member_states)
    fm.FlowGraph._joined_into = timed(subs["distances to the goals"][0], fm.FlowGraph._joined_into)
    fm.FlowGraph.distances_to = timed("distances to the goals", fm.FlowGraph.distances_to)
    cm.FlowGraph.of = classmethod(timed("flow view (FlowGraph.of)", fm.FlowGraph.of.__func__, keep=True))
    fm.FlowGraph.successors = timed("arcs out of the nodes searched (successors, deals' joins included)",
                                    fm.FlowGraph.successors)
    cm.chain_ends = timed("ends (chain_ends)", cm.chain_ends, keep=True)
    cm._drop_tails = timed("leave out tails (_drop_tails)", cm._drop_tails, keep=True)
    cm._drop_stand_ins = timed("leave out stand-ins (_drop_stand_ins)", cm._drop_stand_ins)
    cm._rank_key = timed("rank keys (_rank_key)", cm._rank_key)
    cm._chain_row = timed("rows (_chain_row)", cm._chain_row)
    top = ["flow view (FlowGraph.of)", "ends (chain_ends)", "distances to the goals",
           "arcs out of the nodes searched (successors, deals' joins included)", "leave out tails (_drop_tails)",
           "leave out stand-ins (_drop_stand_ins)", "rank keys (_rank_key)", "rows (_chain_row)"]

    gc.collect()
    t = time.perf_counter()
    found = chains(graph, CHAIN_SOURCE, CHAIN_TARGET, max_hops=CHAIN_HOPS, limit=10**9)
    total = time.perf_counter() - t

    print(f"chains {CHAIN_SOURCE} -> {CHAIN_TARGET}, {CHAIN_HOPS} hops, at {args.size}: {total:.2f} s, {len(found):,} chains\n")
    print("| part | seconds |\n|---|---|")
    for name in top:
        print(f"| {name} | {spent[name]:.2f} |")
        for sub in subs.get(name, ()):
            print(f"| {sub.strip()} | {spent[sub]:.2f} ({calls[sub]:,} calls) |")
    print(f"| the search itself, sorting and the rest | {total - sum(spent[n] for n in top):.2f} |")

    flow = seen["flow view (FlowGraph.of)"][1]
    looked_up = (len(flow._succ), sum(len(nbrs) for nbrs in flow._succ.values()))  # before arcs() works out the rest
    arcs = flow.arcs()
    every = flow.succ  # the whole graph's arcs, worked out here (the search asks only for the nodes it visits)
    deal_arcs = sum(1 for a, nbrs in every.items() for b in nbrs if a.startswith("deal:") or b.startswith("deal:"))
    parties = sum(1 for a, nbrs in every.items() for b in nbrs
                  if (a.startswith("deal:") and b in graph and b in {p for p in flow.deals[a]["recipients"]})
                  or (b.startswith("deal:") and a in {p for p in flow.deals[b]["suppliers"]}))
    per_item = collections.Counter(d["item"] for d in flow.deals.values())
    ends = seen["ends (chain_ends)"][1]
    raw = len(seen["leave out tails (_drop_tails)"][0][0])
    kept = len(seen["leave out tails (_drop_tails)"][1])
    facts = {
        "flow arcs": arcs, "nodes whose arcs out the search looked up, and their arcs": looked_up,
        "arcs to or from a deal": deal_arcs, "of which a deal's own claims (party arcs)": parties,
        "of which joined from the item's arcs": deal_arcs - parties, "deals": len(flow.deals),
        "deals per item: median, max": (statistics.median(per_item.values()), max(per_item.values())),
        "goals (targets and stand-in states)": sorted(ends.goals), "chains found by the search": raw,
        "after tails are left out": kept, "returned": len(found),
        "returned, by deals on the chain": dict(sorted(collections.Counter(
            sum(n["id"].startswith("deal:") for n in c["nodes"]) for c in found).items())),
        "returned, ending at a state standing in for the target": sum(1 for c in found if c.get("recipient_named")),
        "returned, as entity paths (a deal read as its item)": len({tuple(n.get("item", n["id"]) for n in c["nodes"]) for c in found}),
    }
    print()
    for k, v in facts.items():
        print(f"- {k}: {v:,}" if isinstance(v, int) else f"- {k}: {v}")
    (args.work / f"profile_chains-{args.size}.json").write_text(
        json.dumps({"total": total, "parts": spent, "facts": {k: v if not isinstance(v, tuple) else list(v) for k, v in facts.items()}},
                   indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
