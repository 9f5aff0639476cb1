"""Report commands through CliRunner on tmp_path stores (the small made-up dataset)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest


def test_chains_table_json_csv(run, mini_store_path):
    args = ["chains", "--from", "Zenda Motors", "--to", "FAF", "--store", mini_store_path]
    table = run(*args)
    assert table.exit_code == 0, table.output
    assert "Zenda Motors → ZM-9 engine → Falcon fighter → Freedonian Air Force" in table.output
    assert "ruritania-review-2021 p. 7" in table.output
    assert all(len(line) <= 80 for line in table.output.splitlines())
    data = json.loads(run(*args, "--format", "json").output)
    assert data["chains"][0]["hops"] == 3
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").output)))
    assert [r["step"] for r in rows] == ["1", "2", "3"]
    assert "Twelve Falcons" in rows[2]["citations"]


def test_chains_with_quotes_and_plot(run, mini_store_path, tmp_path):
    png, html = tmp_path / "c.png", tmp_path / "c.html"
    result = run("chains", "--from", "Zenda Motors", "--to", "FAF", "--quotes", "--plot", png, "--store", mini_store_path)
    assert "“Twelve Falcons reached the Freedonian Air Force in June 2001.”" in result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run("chains", "--from", "Zenda Motors", "--to", "FAF", "--plot", html, "--store", mini_store_path)
    assert "<svg" in html.read_text()
    bad = run("chains", "--plot", tmp_path / "c.gif", "--from", "ZM", "--to", "FAF", "--store", mini_store_path)
    assert bad.exit_code == 2 and ".png" in bad.output


def test_chains_as_of_and_bad_date(run, mini_store_path):
    early = run("chains", "--from", "ZM", "--to", "FAF", "--as-of", "2020", "--store", mini_store_path)
    assert "no chains found" in early.output
    bad = run("chains", "--as-of", "2020-13", "--store", mini_store_path)
    assert bad.exit_code == 2 and "month 13" in bad.output
    status = run("chains", "--status", "sold", "--store", mini_store_path)
    assert status.exit_code == 2 and "unknown status 'sold'" in status.output


def test_path_and_neighbours(run, mini_store_path):
    result = run("path", "Zenda Motors", "Hawk", "--store", mini_store_path)
    assert "Zenda Motors — ZM-9 engine — Falcon fighter — Hawk fighter" in result.output
    flow = run("path", "Hawk", "Zenda Motors", "--flow-only", "--store", mini_store_path)
    assert "no path" in flow.output
    near = run("neighbours", "Falcon", "--format", "json", "--store", mini_store_path)
    assert {r["id"] for r in json.loads(near.output)["rows"]} == {"tech:zm-9-engine", "service:freedonian-air-force", "system:hawk", "state:ruritania"}


def test_centrality_brokers_impact(run, mini_store_path):
    cent = run("centrality", "--measure", "betweenness", "--format", "json", "--store", mini_store_path)
    assert json.loads(cent.output)["rows"][0]["id"] == "system:falcon"
    typed = run("centrality", "--type", "weapon_system", "--store", mini_store_path)
    assert "Falcon" in typed.output and "Zenda" not in typed.output
    assert run("centrality", "--type", "spaceship", "--store", mini_store_path).exit_code == 2
    brokers = run("brokers", "--format", "json", "--store", mini_store_path)
    assert json.loads(brokers.output)["rows"][0]["id"] in {"tech:zm-9-engine", "system:falcon"}
    impact = run("impact", "ZM-9", "--from", "ZM", "--to", "type:armed_service", "--store", mini_store_path)
    assert "1 recipient(s) lose every chain" in impact.output and "lost" in impact.output


def test_timeline_and_lineage(run, mini_store_path, tmp_path):
    result = run("timeline", "--format", "csv", "--store", mini_store_path)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["when"] for r in rows] == ["1995", "1996–", "2001-06", "2001-06", "c. 2005"]
    counts = run("timeline", "--counts", "--format", "json", "--store", mini_store_path)
    assert {r["period"] for r in json.loads(counts.output)} == {"1995", "1996", "2001", "2005"}
    svg = tmp_path / "t.svg"
    run("timeline", "--plot", svg, "--store", mini_store_path)
    assert svg.read_text().lstrip().startswith("<?xml")
    lineage = run("lineage", "Falcon", "--format", "json", "--store", mini_store_path)
    assert json.loads(lineage.output)[0]["entity"] == "system:hawk"




@pytest.mark.parametrize("args", [
    ["stats"], ["search", "su"], ["show", "S-400"], ["chains"], ["chains", "--quotes"], ["path", "Su-35", "EED"],
    ["neighbours", "Su-27", "--depth", "2"], ["centrality"], ["brokers"], ["impact", "Su-27", "Su-30"],
    ["timeline"], ["timeline", "--counts"], ["lineage", "Su-27"],
])
def test_every_table_report_fits_an_80_column_terminal(run, store_path, args, monkeypatch):
    # on a terminal, tables wrap to its width; only a word that cannot be broken (an id) may stick out
    monkeypatch.setattr("coopgraph.cli.output.terminal_width", lambda: 80)
    result = run(*args, "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    lines = result.output.splitlines()
    if max(len(line) for line in lines) > 80:
        # wider only where ids and other words that cannot be broken leave no room: no cell is ever cut
        longest = max(len(word) for line in lines for word in line.split())
        assert longest > 25 and max(len(line) for line in lines) <= 80 + 2 * longest, max(lines, key=len)


def test_impact_of_removing_the_su27_and_su30_cuts_the_plaaf_off(run, store_path):
    result = run("impact", "Su-27", "Su-30", "--format", "json", "--store", store_path)
    outcome = {t["id"]: t["outcome"] for t in json.loads(result.output)["targets"]}
    assert outcome["service:plaaf"] == "lost" and outcome["service:plan"] == "kept"
