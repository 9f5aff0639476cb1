"""Docstring examples run, and the package installs under one namespace."""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

SUBPACKAGES = ("coopgraph.graph", "coopgraph.loaders", "coopgraph.queries", "coopgraph.cli", "coopgraph.data")


def all_modules():
    # the subpackages live in top-level folders (package-dir), so walk each one
    names = ["coopgraph", "coopgraph.__main__"]
    for package_name in SUBPACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        names.extend(info.name for info in pkgutil.walk_packages(package.__path__, package_name + "."))
    return sorted(set(names))


def test_every_module_is_collected():
    assert len(all_modules()) > 40


@pytest.mark.parametrize("name", all_modules())
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_subpackages_install_under_the_coopgraph_namespace(tmp_path):
    code = (
        "import importlib.util, coopgraph.graph, coopgraph.loaders, coopgraph.queries, coopgraph.cli;"
        "print([importlib.util.find_spec(n) is None for n in ('graph', 'cli', 'loaders', 'queries')])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[True, True, True, True]"


def test_python_dash_m_coopgraph_works(tmp_path):
    out = subprocess.run([sys.executable, "-m", "coopgraph", "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0 and "coopgraph" in out.stdout


def test_schema_doc_lists_every_type_and_relation():
    from pathlib import Path

    from coopgraph.graph.schema import load_schema

    text = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text()
    schema = load_schema()
    for name in list(schema.entity_types) + list(schema.relation_types) + list(schema.statuses):
        assert f"`{name}`" in text, f"docs/schema.md does not describe '{name}'"


ROOT = Path(__file__).resolve().parents[1]
README_EXAMPLE = "from coopgraph.loaders import open_or_build; print(open_or_build.__module__)"


def test_the_repository_root_cannot_shadow_the_package():
    # a folder named coopgraph/ at the root would be found before the installed package
    assert not (ROOT / "coopgraph").exists()


def test_the_readme_python_example_runs_from_the_repository_root():
    # the installed package here is an editable one (the README's test command)
    out = subprocess.run([sys.executable, "-c", README_EXAMPLE], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "coopgraph.loaders"


def test_the_readme_python_example_runs_from_the_root_against_a_non_editable_install(tmp_path):
    # the README's first command installs non-editable; build that install into a folder of its own
    target = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                            str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0:
        pytest.skip(f"cannot build the package here: {build.stderr[-300:]}")
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = README_EXAMPLE + "; import coopgraph; print(coopgraph.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    module, location = out.stdout.split()
    assert module == "coopgraph.loaders" and location.startswith(str(target))
