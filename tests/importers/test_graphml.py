"""The graphml importer: our own export reads back through validation."""

from __future__ import annotations



def test_import_graphml_of_our_own_export_round_trips(run, mini_store_path, tmp_path):
    exported = tmp_path / "mini.graphml"
    assert run("export", "graphml", exported, "--store", mini_store_path).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    result = run("import", "graphml", exported, "--store", fresh)
    assert result.exit_code == 0, result.output
    shown = run("show", "Falcon", "--store", fresh)
    assert "Twelve Falcons reached the Freedonian Air Force in June 2001." in " ".join(shown.output.split())
    again = tmp_path / "again.graphml"
    run("export", "graphml", again, "--store", fresh, "--around", "Falcon", "--depth", "3")
    run("export", "graphml", exported, "--store", mini_store_path, "--around", "Falcon", "--depth", "3")
    assert again.read_bytes() == exported.read_bytes()
