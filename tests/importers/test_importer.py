"""The import command: its report and dry runs."""

from __future__ import annotations

from tests.importers.common import (  # shared data and helpers
    json, SIPRI, FTM,
)


def test_import_command_prints_the_report(run, store_path):
    result = run("import", "sipri", SIPRI, "--store", store_path)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "18 claims" in out and "5 new entities" in out and "system:type-99x" in out
    assert "line 11: supplier 'unknown supplier(s)' names no one" in out
    data = json.loads(run("import", "ftm", FTM, "--store", store_path, "--format", "json", "--dry-run").output)
    assert data["dry_run"] is True and data["skipped_kinds"] == {"Family": 1, "Address": 1}
