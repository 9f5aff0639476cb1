"""Evidence dossier (`coopgraph dossier`): the page, the Markdown, their safety, and the page in a real browser.

The browser tests open the page in the machine's headless Chromium (Debian's ``chromium``) through
``tools/dossier/check.mjs`` (playwright-core, no downloaded browser); they skip, saying why, when
Chromium, Node or ``npm ci --prefix tools/dossier`` is missing. ``.ci/run`` installs all three.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coopgraph.graph.build import build_graph
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity
from coopgraph.queries import ClaimFilter, Question, dossier
from coopgraph.queries.dossier import QuestionError
from coopgraph.queries.dossier_html import json_for_script, vendored
from coopgraph.queries.dossier_md import md

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "dossier"
ASSETS = ROOT / "queries" / "dossier_assets"
CHROMIUM = os.environ.get("COOPGRAPH_CHROMIUM", "/usr/bin/chromium")
EVIL = "<script>alert(1)</script>"
MB = 1_000_000


# -- graphs ---------------------------------------------------------------------------------------------

def _cite(doc: str, locator: str, quote: str) -> tuple[Citation, ...]:
    return (Citation(doc, locator, quote),)


def chains_dataset(firms: int = 10, items_per_firm: int = 5, recipients: int = 5, programs: int = 5) -> Dataset:
    """A made-up graph with ``firms * items_per_firm * 2 * programs`` chains (500 by default), 4 hops each.

    Firm F sells item T (a deal) to recipient firm C, which develops two systems, each equipping every
    programme: F -> T (deal) -> C -> S -> P.
    """
    data = Dataset()
    data.documents["gen"] = Document("gen", "A generated report", "2024-01", author="Tests", publisher="coopgraph tests",
                                     url="https://example.org/generated")

    def entity(eid: str, etype: str, name: str) -> str:
        data.entities.setdefault(eid, Entity(eid, etype, name))
        return eid

    def claim(*args, **kwargs) -> None:
        c = Claim(*args, **kwargs)
        data.claims[c.id] = c

    prog = [entity(f"program:p{k}", "program", f"Programme {k}") for k in range(programs)]
    for c in range(recipients):
        firm = entity(f"firm:c{c}", "firm", f"Recipient firm {c}")
        for m in (2 * c, 2 * c + 1):
            system = entity(f"system:s{m}", "weapon_system", f"System {m}")
            claim(firm, "develops", system, date="2005", confidence=0.9,
                  citations=_cite("gen", f"p. {m}", f"Recipient firm {c} developed System {m}."))
            for p in prog:
                claim(system, "equips", p, date="2010", status="delivered", confidence=0.7,
                      citations=_cite("gen", f"p. {100 + m}", f"System {m} equips {data.entities[p].name}."))
    for i in range(firms):
        supplier = entity(f"firm:f{i}", "firm", f"Supplier firm {i}")
        for j in range(items_per_firm):
            item = entity(f"tech:t{i}-{j}", "technology", f"Technology {i}.{j}")
            recipient = f"firm:c{(i * items_per_firm + j) % recipients}"
            deal = f"deal:f{i}-t{j}"
            data.deals[deal] = Deal(deal, item, supplier=supplier, recipient=recipient)
            quote = f"Supplier firm {i} sold Technology {i}.{j} to {data.entities[recipient].name} in 2001."
            claim(supplier, "supplies", item, date="2001", status="delivered", quantity=j + 1, unit="sets", deal=deal,
                  citations=_cite("gen", f"table {i}", quote))
            claim(item, "transferred_to", recipient, date="2001", status="delivered", quantity=j + 1, unit="sets",
                  deal=deal, citations=_cite("gen", f"table {i}", quote))
    return data


def evil_dataset() -> Dataset:
    """Hostile names, quotes, titles, locators and URLs: every one must show as text and run nothing."""
    data = Dataset()
    data.documents["evil-doc"] = Document("evil-doc", "<img src=x onerror=alert(4)> Report & </script>", "2021-05",
                                          author="<b>Mallory</b>", publisher="\u2028Evil\u2029 Press",
                                          url="javascript:alert(5)")
    data.documents["good-doc"] = Document("good-doc", "A good report", "2020", url="https://example.org/good?a=1&b=<2>")
    data.entities["firm:evil"] = Entity("firm:evil", "firm", EVIL)
    data.entities["system:x"] = Entity("system:x", "weapon_system", "</script><img src=x onerror=alert(2)>")
    data.entities["program:p"] = Entity("program:p", "program", "Prog & <!-- comment --> \"quoted\" 'single'")
    for subject, relation, obj, doc, locator, quote in [
        ("firm:evil", "develops", "system:x", "evil-doc", "p. \"'><svg onload=alert(6)>",
         "It said </script><script>alert(3)</script> and `code` | pipes *stars* [link](javascript:alert(7))"),
        ("system:x", "equips", "program:p", "good-doc", "p. 2", "X equips the programme <iframe src=//evil>."),
    ]:
        c = Claim(subject, relation, obj, date="2020", citations=_cite(doc, locator, quote))
        data.claims[c.id] = c
    return data


@pytest.fixture(scope="module")
def big_graph():
    return build_graph(chains_dataset())


@pytest.fixture(scope="module")
def evil_graph():
    return build_graph(evil_dataset())


@pytest.fixture(scope="module")
def headline(tmp_path_factory):
    """The bundled store, the headline dossier written by the CLI, and `coopgraph chains --format json`."""
    from click.testing import CliRunner

    from coopgraph.cli.main import cli
    from coopgraph.graph.store import open_store
    from coopgraph.loaders import load_bundled

    folder = tmp_path_factory.mktemp("headline")
    store = folder / "store.sqlite"
    open_store(store).write(load_bundled(), replace=True)
    runner = CliRunner()
    page = folder / "headline.html"
    result = runner.invoke(cli, ["dossier", "--store", str(store), "-o", str(page)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    chains_json = runner.invoke(cli, ["chains", "--store", str(store), "--format", "json"], catch_exceptions=False)
    return {"store": store, "page": page, "chains": json.loads(chains_json.stdout), "graph": open_store(store).graph()}


class _Text(HTMLParser):
    """The text of a page, by section id, and every tag and attribute it holds."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {}
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("section", "header", "footer"):
            self.stack.append(attrs.get("id") or tag)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag in ("section", "header", "footer") and self.stack:
            self.stack.pop()
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        elif self.stack:
            self.sections.setdefault(self.stack[-1], []).append(data)

    def text(self, section: str) -> str:
        return " ".join(" ".join(self.sections.get(section, [])).split())


def parse(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return parser


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- the library ----------------------------------------------------------------------------------------

def test_question_defaults_to_the_headline_and_says_how_it_was_asked():
    q = Question()
    assert (q.kind, q.sources, q.targets, q.row_limit) == (
        "chains", ("country:Russia",), ("org:PLA", "country:China&type:program"), 100)
    assert q.command() == "coopgraph dossier --from country:Russia --to org:PLA --to 'country:China&type:program'"
    assert q.filename() == "dossier-headline.html"
    filtered = Question(claim_filter=ClaimFilter(as_of="2021", min_confidence=0.5, statuses={"delivered"}))
    assert "--as-of 2021 --min-confidence 0.5 --status delivered" in filtered.command()
    assert ("--as-of", "2021") in filtered.options()
    assert Question("path", entities=("Su-35", "EED"), flow_only=True).command() == \
        "coopgraph dossier --path Su-35 EED --flow-only"


@pytest.mark.parametrize("kwargs", [
    {"kind": "nonsense"}, {"kind": "path", "entities": ("one",)}, {"kind": "neighbours"},
    {"kind": "impact"}, {"kind": "chains", "entities": ("x",)},
])
def test_a_malformed_question_is_a_coopgraph_error(kwargs):
    with pytest.raises(QuestionError):
        Question(**kwargs)


def test_headline_dossier_structure(headline):
    d = dossier(headline["graph"], generated="2024-05-01")
    chains = headline["chains"]["chains"]
    assert [r["path"] for r in d.routes] == [c["path"] for c in chains]
    assert d.summary["found"] == headline["chains"]["found"]
    # hops are numbered in order of first use, and every step of every route names one
    assert [h["n"] for h in d.hops] == list(range(1, len(d.hops) + 1))
    for route, chain in zip(d.routes, chains):
        assert route["nodes"] == [n["id"] for n in chain["nodes"]]
        for step, chain_step in zip(route["steps"], chain["steps"]):
            hop = d.hops[step["hop"] - 1]
            assert (hop["from"], hop["to"]) == (chain_step["from"], chain_step["to"])
            assert step["claims"] == [c["claim"] for c in chain_step["claims"]]
            assert route["rank"] in hop["routes"]
    # a deal is a node of its own between supplier and recipient, labelled with its item
    deals = [n for n in d.nodes.values() if n["type"] == "deal"]
    assert deals and all(n["id"] in d.deals and n["name"] for n in deals)
    s400 = next(n for n in deals if n["name"] == "S-400")
    assert d.deals[s400["id"]]["suppliers"] == ["state:russia"]
    # layers by hop: every link points right
    for hop in d.hops:
        assert d.nodes[hop["from"]]["layer"] < d.nodes[hop["to"]]["layer"]
    assert d.nodes["state:russia"]["layer"] == 0
    assert set(d.documents) == set(headline["graph"].graph["documents"])


def test_headline_page_holds_every_quote_chains_json_gives(headline):
    page = headline["page"].read_text(encoding="utf-8")
    text = parse(page)
    evidence = text.text("evidence")
    quotes = {(c["document"], c["locator"], c["quote"])
              for chain in headline["chains"]["chains"] for step in chain["steps"]
              for claim in step["claims"] for c in claim["citations"]}
    assert len(quotes) > 20
    for _, locator, quote in quotes:
        assert _one_line(quote) in evidence, quote
        assert locator in evidence
    titles = {d["title"] for d in headline["graph"].graph["documents"].values()}
    assert all(title in evidence for title in titles)
    # and the same quotes in the embedded data the graph's details panel shows
    data = json.loads(next(s for s in text.scripts if s.startswith("{")))
    embedded = {(c["document"], c["locator"], c["quote"]) for claim in data["claims"].values() for c in claim["citations"]}
    assert quotes <= embedded


def test_headline_page_has_every_part(headline):
    page = headline["page"].read_text(encoding="utf-8")
    text = parse(page)
    header = text.text("top")
    for shown in ("country:Russia", "org:PLA", "--max-hops", "--as-of", "--min-confidence", "--status",
                  "2020-03", "2022-11-03", "coopgraph dossier --from country:Russia --to org:PLA"):
        assert shown in header
    ids = {attrs.get("id") for _, attrs in text.tags}
    assert {"graph", "cy", "details", "filters", "routes", "evidence", "documents", "licences"} <= ids
    # every hop in the chains table links to its footnote, and every footnote exists
    refs = {attrs["href"] for tag, attrs in text.tags if tag == "a" and "hop-ref" in attrs.get("class", "")}
    footnotes = {f"#{attrs['id']}" for tag, attrs in text.tags if tag == "li" and attrs.get("id", "").startswith("ev-")}
    assert refs == footnotes and len(footnotes) > 20
    rows = [attrs for tag, attrs in text.tags if tag == "tr" and attrs.get("data-route")]
    assert len(rows) == len(headline["chains"]["chains"])
    docs = text.text("documents")
    assert "Alec Blivas" in docs and "Center for Strategic and International Studies" in docs
    # filters on the page: date range, status, confidence
    names = {attrs.get("name") for tag, attrs in text.tags if tag == "input"}
    assert {"from", "to", "status", "confidence"} <= names
    # the licence notice names each vendored library, version and licence, with its licence text
    licences = text.text("licences")
    for lib in vendored():
        assert f"{lib['name']} {lib['version']}" in licences and lib["licence"] in licences
    assert "Eclipse Public License" in licences and "Permission is hereby granted" in licences


def test_page_is_one_offline_file(headline):
    page = headline["page"].read_text(encoding="utf-8")
    text = parse(page)
    assert len(page.encode("utf-8")) < 5 * MB
    # nothing to fetch: no src/href to another file, no stylesheet links, no imports
    for tag, attrs in text.tags:
        assert "src" not in attrs, (tag, attrs)
        if tag == "link":
            assert attrs.get("href") == "data:,", attrs
        if tag == "a" and attrs.get("href"):
            assert attrs["href"].startswith(("#", "https://", "http://")), attrs
    assert "@import" not in page and "url(" not in page.split("<script")[0]
    csp = next(attrs["content"] for tag, attrs in text.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    # the vendored libraries are inlined unchanged
    for lib in vendored():
        assert (ASSETS / lib["file"]).read_text(encoding="utf-8") in text.scripts


def test_vendored_files_match_their_record_and_npm():
    import hashlib

    libs = vendored()
    assert [lib["name"] for lib in libs] == ["elkjs", "cytoscape", "cytoscape-elk"]
    package = json.loads((TOOL / "package.json").read_text())
    for lib in libs:
        data = (ASSETS / lib["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == lib["sha256"]
        assert (ASSETS / lib["licence_file"]).stat().st_size > 500
        assert package["dependencies"][lib["name"]] == lib["version"]
        source = lib["source"].removeprefix(f"npm:{lib['name']}@{lib['version']}/")
        installed = TOOL / "node_modules" / lib["name"] / source
        if installed.exists():  # after npm ci: the vendored file is the npm package's, byte for byte
            assert installed.read_bytes() == data
    readme = (ASSETS / "README.md").read_text()
    assert all(f"{lib['name']}" in readme and lib["version"] in readme for lib in libs)


def test_json_for_script_cannot_end_the_script():
    text = json_for_script({"a": "</script><!-- \u2028 & <b>"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & <b>"}


def test_hostile_values_are_text_in_the_page(evil_graph, tmp_path):
    d = dossier(evil_graph, sources="firm:evil", targets="program:p")
    assert len(d.routes) == 1
    page = d.html()
    text = parse(page)
    # the only scripts are the page's own: the data block and the four inlined assets
    scripts = [attrs for tag, attrs in text.tags if tag == "script"]
    assert [a.get("type") or a.get("data-asset") for a in scripts] == \
        ["application/json", "elk.bundled.js", "cytoscape.min.js", "cytoscape-elk.js", "dossier.js"]
    assert not any(tag in ("img", "svg", "iframe", "b") for tag, _ in text.tags)
    assert not any(k.startswith("on") for _, attrs in text.tags for k in attrs)
    assert "javascript:" not in " ".join(attrs.get("href", "") for _, attrs in text.tags)
    # and they read as written
    whole = " ".join(" ".join(v) for v in text.sections.values())
    for value in (EVIL, "</script><img src=x onerror=alert(2)>", "</script><script>alert(3)</script>",
                  "<img src=x onerror=alert(4)> Report & </script>", "p. \"'><svg onload=alert(6)>",
                  "<b>Mallory</b>", "javascript:alert(5)", "Prog & <!-- comment --> \"quoted\" 'single'"):
        assert value in whole, value
    assert html.escape(EVIL) in page and EVIL not in page
    data = json.loads(next(s for s in text.scripts if s.startswith("{")))
    assert data["nodes"]["firm:evil"]["name"] == EVIL
    # the good URL is a link, escaped
    assert 'href="https://example.org/good?a=1&amp;b=&lt;2&gt;"' in page


def test_hostile_values_are_text_in_markdown(evil_graph):
    text = dossier(evil_graph, sources="firm:evil", targets="program:p").markdown()
    assert EVIL not in text and md(EVIL) in text
    # every < is escaped (\<), but for the autolink of the one http(s) URL: no raw HTML for a renderer to run
    assert re.findall(r"(?<!\\)<(?!https://example\.org/good)", text) == []
    assert "<img" not in text.replace("\\<img", "")
    assert "javascript:" not in text.replace(md("javascript:alert(5)"), "").replace(md("[link](javascript:alert(7))"), "")
    assert "<https://example.org/good?a=1&b=%3C2%3E>" in text


def test_markdown_footnotes(headline):
    d = dossier(headline["graph"])
    text = d.markdown()
    refs = re.findall(r"\[\^(\d+)\](?!:)", text)
    defs = re.findall(r"^\[\^(\d+)\]:", text, flags=re.M)
    assert sorted(set(map(int, refs))) == sorted(map(int, defs)) == list(range(1, len(d.hops) + 1))
    assert len(defs) == len(set(defs))
    for chain in headline["chains"]["chains"]:
        for step in chain["steps"]:
            for claim in step["claims"]:
                for c in claim["citations"]:
                    assert md(c["quote"]) in text
    # the chains table: one row a chain, hops as references
    rows = [line for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len([r for r in rows if "[^" in r]) == len(headline["chains"]["chains"])
    assert "## Documents" in text and "Alec Blivas" in text


@pytest.mark.parametrize("kind, options", [
    ("path", {"entities": ("Su-35", "EED")}),
    ("impact", {"entities": ("AL-31F", "Su-27")}),
    ("neighbours", {"entities": ("Su-35",), "depth": 2}),
])
def test_other_questions(headline, kind, options):
    d = dossier(headline["graph"], kind=kind, **options)
    assert d.routes and d.hops
    for route in d.routes:
        for step in route["steps"]:
            assert all(c in d.claims for c in step["claims"])
    page, text = d.html(), d.markdown()
    assert d.question.title() in html.unescape(page)
    assert all(f"[^{h['n']}]:" in text for h in d.hops)
    if kind == "impact":
        assert any(n.get("role") == "removed" for n in d.nodes.values())
        assert "Recipients" in page and "lost" in page
    if kind == "neighbours":
        assert d.nodes[d.summary["entity"]["id"]]["role"] == "centre"
        assert max(n["layer"] for n in d.nodes.values()) == 2


def test_filters_shape_the_dossier(headline):
    all_chains = dossier(headline["graph"])
    strong = dossier(headline["graph"], claim_filter=ClaimFilter(min_confidence=0.75))
    assert 0 < len(strong.routes) < len(all_chains.routes)
    assert all(c["confidence"] >= 0.75 for c in strong.claims.values())
    assert "--min-confidence 0.75" in strong.question.command()
    as_of = dossier(headline["graph"], claim_filter=ClaimFilter(as_of="2021"))
    assert {c["document"] for claim in as_of.claims.values() for c in claim["citations"]} == {"csis-2020-mtc-primer"}


def test_five_hundred_chains(big_graph, tmp_path):
    d = dossier(big_graph, sources="type:firm", targets="type:program", limit=500, max_hops=4)
    assert len(d.routes) == 500 and d.summary["found"] == 500
    assert all(r["hops"] == 4 for r in d.routes)
    path = d.write(tmp_path / "big.html")
    size = path.stat().st_size
    assert size < 5 * MB, size
    text = parse(path.read_text(encoding="utf-8"))
    assert len([1 for tag, attrs in text.tags if tag == "tr" and attrs.get("data-route")]) == 500
    # each hop once in the evidence, however many chains use it
    assert len(d.hops) == len({(h["from"], h["to"]) for h in d.hops}) < 500
    md_text = d.markdown()
    assert len(md_text.encode()) < 5 * MB


# -- the command ----------------------------------------------------------------------------------------

def test_cli_default_writes_the_headline_dossier(run, store_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("dossier", "--store", store_path)
    assert result.exit_code == 0, result.output
    page = tmp_path / "dossier-headline.html"
    expected = len(json.loads(run("chains", "--store", store_path, "--format", "json").output)["chains"])
    assert page.exists() and f"{expected} chain(s)" in result.stderr
    assert "Chains from country:Russia to org:PLA" in page.read_text(encoding="utf-8")
    assert page.stat().st_mode & 0o044  # readable by others (as the umask allows), to be sent on


def test_cli_markdown_and_output(run, store_path, tmp_path):
    out = tmp_path / "d.md"
    result = run("dossier", "--store", store_path, "--from", "Su-27", "--to", "J-11", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Evidence dossier: Chains from Su-27 to J-11") and "[^1]:" in text
    result = run("dossier", "--store", store_path, "--path", "Su-35", "EED", "--format", "md", "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("# Evidence dossier: Shortest paths from Su-35 to EED")


def test_cli_other_questions_and_filters(run, store_path, tmp_path):
    for args, command in (
        (["--impact", "AL-31F", "--impact", "Su-27"],
         "--impact AL-31F --impact Su-27 --from country:Russia --to org:PLA --to 'country:China&type:program'"),
        (["--neighbours", "Su-35", "--depth", "2"], "--neighbours Su-35 --depth 2"),
        (["--path", "Su-35", "EED", "--flow-only"], "--path Su-35 EED --flow-only"),
        (["--as-of", "2021", "--min-confidence", "0.5", "--status", "delivered,contracted", "--max-hops", "3"],
         "--from country:Russia --to org:PLA --to 'country:China&type:program' --max-hops 3 --as-of 2021 "
         "--min-confidence 0.5 "
         "--status contracted,delivered"),
    ):
        out = tmp_path / "x.html"
        result = run("dossier", "--store", store_path, *args, "-o", out)
        assert result.exit_code == 0, (args, result.output)
        page = html.unescape(out.read_text(encoding="utf-8"))
        assert f"<code>coopgraph dossier {command}</code>" in page


@pytest.mark.parametrize("args, message", [
    (["--path", "Su-35", "EED", "--impact", "Su-27"], "one question at a time"),
    (["--depth", "2"], "--depth belongs to --neighbours"),
    (["--path", "Su-35", "EED", "--from", "Su-27"], "--from belongs to chains or --impact"),
    (["--neighbours", "Su-35", "--via", "firm"], "--via belongs to chains"),
    (["--format", "pdf"], "'pdf' is not one of"),
    (["--status", "rumoured"], "unknown status"),
])
def test_cli_refuses_mixed_questions(run, store_path, args, message):
    result = run("dossier", "--store", store_path, *args)
    assert result.exit_code == 2 and message in result.output


def test_cli_unknown_entity_is_one_clear_line(run, store_path, tmp_path):
    result = run("dossier", "--store", store_path, "--neighbours", "No Such Thing", "-o", tmp_path / "x.html")
    assert result.exit_code == 1 and result.output.startswith("Error:") and not (tmp_path / "x.html").exists()


# -- in a real browser ----------------------------------------------------------------------------------

def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium; .ci/run does)"
    if not shutil.which("node"):
        return "no Node on PATH"
    if not (TOOL / "node_modules" / "playwright-core").exists():
        return "playwright-core is not installed: npm ci --prefix tools/dossier (.ci/run does)"
    return None


browser = pytest.mark.skipif(_browser_missing() is not None, reason=_browser_missing() or "")


def open_in_chromium(page: Path, **job) -> dict:
    """Run tools/dossier/check.mjs on ``page``: what a reader's browser met, and screenshots."""
    job = {"page": str(page), "chromium": CHROMIUM, "viewport": [1400, 1000], **job}
    proc = subprocess.run(["node", str(TOOL / "check.mjs")], input=json.dumps(job), capture_output=True, text=True,
                          timeout=240, cwd=TOOL)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert "failure" not in report, report["failure"]
    return report


def assert_clean(report: dict) -> None:
    problems = [m for m in report["console"] if m["type"] in ("error", "warning", "assert")]
    assert not problems, problems
    assert not report["pageErrors"], report["pageErrors"]
    assert not report["dialogs"], report["dialogs"]
    assert not report["cspViolations"], report["cspViolations"]
    # the page itself is the only thing loaded: no request to any other address, not even a favicon
    assert [r["url"] for r in report["requests"]] == [report["pageUrl"]], report["requests"]


def non_blank(png: Path) -> float:
    """The share of pixels in a screenshot that differ from the background."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    background = image.getpixel((2, 2))
    pixels = list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
    differ = sum(1 for p in pixels if max(abs(a - b) for a, b in zip(p, background)) > 40)
    colours = len({p for p in pixels})
    assert colours > 20, "the graph is a flat colour"
    return differ / len(pixels)


@browser
def test_browser_headline_page(headline, tmp_path):
    graph_png = tmp_path / "graph.png"
    d = dossier(headline["graph"])
    s400 = next(h for h in d.hops if d.nodes[h["from"]]["name"] == "S-400" and d.nodes[h["to"]]["type"] == "state")
    report = open_in_chromium(headline["page"], graph_png=str(graph_png), page_png=str(tmp_path / "page.png"),
                              hop=s400["n"], node="state:russia")
    assert_clean(report)
    assert report["ready"] and report["readyMs"] < 30_000
    graph = report["graph"]
    assert graph["nodes"] == len(d.nodes) and graph["edges"] == len(d.hops) == graph["visibleEdges"]
    assert graph["overlaps"] == 0
    assert 0.03 < non_blank(graph_png) < 0.9
    # clicking the hop shows its claims with every quote, locator and document title
    assert report["hopSelected"] == [s400["n"]]
    details = _one_line(report["hopDetails"])
    for claim_id in s400["claims"]:
        claim = d.claims[claim_id]
        assert claim["when"] in details and claim["status"] in details
        for c in claim["citations"]:
            assert _one_line(c["quote"]) in details and c["locator"] in details
            assert d.documents[c["document"]]["title"] in details
    assert "Russian Federation" in report["nodeDetails"] and "hops in this dossier" in report["nodeDetails"]
    total = len(headline["chains"]["chains"])
    assert f"Showing {total} of {total} chains" in report["filterCount"]


@browser
def test_browser_filters_hide_claims(headline):
    report = open_in_chromium(headline["page"], confidence="0.75")
    assert_clean(report)
    filtered = report["filtered"]
    assert filtered["rowsOut"] > 0 and filtered["shownEdges"] < report["graph"]["edges"]
    assert filtered["shownNodes"] < report["graph"]["nodes"]
    total = len(headline["chains"]["chains"])
    assert filtered["count"].startswith(f"Showing {total - filtered['rowsOut']} of {total} chains")


@browser
def test_browser_hostile_names_run_nothing(evil_graph, tmp_path):
    page = dossier(evil_graph, sources="firm:evil", targets="program:p").write(tmp_path / "evil.html")
    report = open_in_chromium(page, graph_png=str(tmp_path / "evil.png"), node="firm:evil", hop=1)
    assert_clean(report)  # no alert dialog, no CSP violation, no request for x or //evil
    assert report["scriptsInBody"] == ["application/json", "elk.bundled.js", "cytoscape.min.js", "cytoscape-elk.js",
                                       "dossier.js"]
    assert EVIL in report["bodyText"] and "</script><script>alert(3)</script>" in report["bodyText"]
    assert EVIL in report["nodeDetails"]
    assert "</script><script>alert(3)</script>" in report["hopDetails"]
    assert report["graph"]["nodes"] == 3


@browser
def test_browser_five_hundred_chains(big_graph, tmp_path):
    d = dossier(big_graph, sources="type:firm", targets="type:program", limit=500)
    page = d.write(tmp_path / "big.html")
    png = tmp_path / "big.png"
    report = open_in_chromium(page, graph_png=str(png), hop=d.hops[-1]["n"])
    assert_clean(report)
    assert report["readyMs"] < 60_000
    assert report["graph"]["nodes"] == len(d.nodes) and report["graph"]["overlaps"] == 0
    assert non_blank(png) > 0.03
    assert d.claims[d.hops[-1]["claims"][0]]["citations"][0]["quote"] in report["hopDetails"]
