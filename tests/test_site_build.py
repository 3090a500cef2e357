"""The generated site: made from the published package, self-contained, offline, and honest about the data."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from ca_summit_data import __version__
from ca_summit_data.cli import main
from ca_summit_data.website import MARKER, SiteError, build_site, render_site
from ca_summit_data.website.pages import cell_kind, group_digits

from .conftest import ROOT

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
TABLES = [r["name"] for r in DESCRIPTOR["resources"] if "schema" in r]


class Page(HTMLParser):
    """The parts of a page the tests look at: links, ids, the JSON-LD, text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.jsonld: list[str] = []
        self.text: list[str] = []
        self._in_jsonld = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src", "action", "data", "poster", "srcset", "xlink:href"):
            if found.get(name) is not None:
                self.refs.append((tag, name, str(found[name])))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        self._in_jsonld = tag == "script" and found.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        (self.jsonld if self._in_jsonld else self.text).append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return render_site(ROOT)


def page(site: dict[str, bytes], path: str) -> Page:
    return Page(site[path].decode("utf-8"))


def test_one_page_per_table_and_every_download_present(site: dict[str, bytes]) -> None:
    assert {p for p in site if p.endswith(".html")} == {"index.html", *(f"tables/{t}.html" for t in TABLES)}
    for resource in DESCRIPTOR["resources"]:
        content = site[resource["path"]]
        assert len(content) == resource["bytes"]
        assert "sha256:" + hashlib.sha256(content).hexdigest() == resource["hash"]
    assert site["datapackage.json"] == (ROOT / "datapackage.json").read_bytes()
    assert site["CITATION.cff"] == (ROOT / "CITATION.cff").read_bytes()
    assert f"ca-summit-data-{__version__}-datapackage.zip" in site


def test_no_external_resource_or_link(site: dict[str, bytes]) -> None:
    """Nothing is loaded or linked from another host: no CDN, no web font, no script."""
    for path, content in site.items():
        if path.endswith(".html"):
            parsed = page(site, path)
            assert parsed.refs, path
            for tag, attr, value in parsed.refs:
                assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", value, re.I), f"{path}: <{tag} {attr}={value!r}>"
            html = content.decode("utf-8")
            assert "<script" not in html.replace('<script type="application/ld+json">', ""), "no scripts at all"
            assert "<iframe" not in html and "@import" not in html
        if path.endswith(".css"):
            css = content.decode("utf-8")
            assert "url(" not in css and "@import" not in css and "http" not in css


def test_every_relative_link_resolves(site: dict[str, bytes]) -> None:
    pages = {path: page(site, path) for path in site if path.endswith(".html")}  # each parsed once
    for path, parsed in pages.items():
        for _, _, value in parsed.refs:
            target, _, fragment = value.partition("#")
            resolved = (Path("/site") / path).parent.joinpath(target or Path(path).name).resolve()
            relative = resolved.relative_to("/site").as_posix()
            assert relative in site, f"{path}: {value!r} points at nothing"
            if fragment:
                assert fragment in pages[relative].ids, f"{path}: {value!r} has no such anchor"


def test_landing_page_says_what_the_data_holds(site: dict[str, bytes]) -> None:
    index = page(site, "index.html")
    text = " ".join(index.text)
    persons = list(csv.DictReader(io.StringIO(site["data/persons.csv"].decode())))
    areas = list(csv.DictReader(io.StringIO(site["data/priority_areas.csv"].decode())))
    html = site["index.html"].decode("utf-8")
    figure = html[html.index('<svg id="summit-figure"') : html.index("</svg>")]
    participants = {r["person_id"] for r in csv.DictReader(io.StringIO(site["data/participations.csv"].decode()))}
    for person in persons:
        if person["person_id"] in participants:
            assert person["name"] in figure
    for area in areas:
        assert area["name"].split()[0] in figure
    assert "JPY 3 trillion" in figure and "within 5 years of the summit" in figure
    assert "more than 150" in figure
    for needle in ("How to cite", "pandas", "polars", "DuckDB", "cff-version: 1.2.0", "sha256"):
        assert needle in text, needle
    for resource in DESCRIPTOR["resources"]:
        assert resource["hash"].removeprefix("sha256:") in text


def test_json_ld_describes_the_dataset(site: dict[str, bytes]) -> None:
    (raw,) = page(site, "index.html").jsonld
    data: dict[str, Any] = json.loads(raw)
    assert data["@context"] == "https://schema.org/" and data["@type"] == "Dataset"
    assert data["name"] == DESCRIPTOR["title"] and data["version"] == __version__
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["creator"] == [{"@type": "Organization", "name": "ca-summit-data contributors"}]
    # From the first foreign ministers' meeting to the summit's last day.
    assert data["temporalCoverage"] == "2004-08-28/2025-12-20"
    places = {p["name"] for p in data["spatialCoverage"]}
    assert "Tokyo, Japan" in places and {"Kazakhstan", "Uzbekistan", "Japan"} <= places
    urls = {d["contentUrl"] for d in data["distribution"]}
    assert {r["path"] for r in DESCRIPTOR["resources"]} <= urls
    for download in data["distribution"]:
        assert download["contentUrl"] in site, "relative while no repository is configured"
        assert download["encodingFormat"]
        assert hashlib.sha256(site[download["contentUrl"]]).hexdigest() == download["sha256"]
    assert "url" not in data


def test_json_ld_describes_the_summit_as_an_event(site: dict[str, bytes]) -> None:
    (raw,) = page(site, "index.html").jsonld
    event = json.loads(raw)["about"]
    events = {r["event_id"]: r for r in csv.DictReader(io.StringIO(site["data/events.csv"].decode()))}
    (summit,) = csv.DictReader(io.StringIO(site["data/summits.csv"].decode()))
    row = events[summit["event_id"]]
    assert event["@type"] == "Event" and event["name"] == summit["name"]
    assert (event["startDate"], event["endDate"]) == (row["start_date"], row["end_date"])
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    address = {"@type": "PostalAddress", "addressLocality": "Tokyo", "addressCountry": "JP"}
    assert event["location"]["address"] == address
    assert len(event["attendee"]) == 6
    parts = [r for r in events.values() if r["parent_event_id"] == row["event_id"]]
    assert len(event["subEvent"]) == len(parts) > 0
    dinner = next(e for e in event["subEvent"] if e["startDate"].startswith("2025-12-19"))
    assert dinner["startDate"] == "2025-12-19T19:15", "local time as the source gives it, no zone invented"


def test_landing_page_shows_programme_outcomes_history_and_disagreements(site: dict[str, bytes]) -> None:
    index = page(site, "index.html")
    text = " ".join(" ".join(index.text).split())
    for section in ("programme", "outcomes", "history", "disagreements"):
        assert section in index.ids, section
    events = list(csv.DictReader(io.StringIO(site["data/events.csv"].decode())))
    for event in events:
        assert event["name"] in text, event["event_id"]
    for document in csv.DictReader(io.StringIO(site["data/documents.csv"].decode())):
        if document["event_id"].startswith("summit_2025") or document["event_id"].startswith("bilateral_2025"):
            assert document["title"] in text, document["document_id"]
    claims = list(csv.DictReader(io.StringIO(site["data/claims.csv"].decode())))
    contradictions = [c for c in claims if c["stance"] == "contradicts"]
    assert contradictions
    for claim in contradictions:
        assert f"{claim['record_table']}.{claim['field']}" in text
        assert claim["resolution"].replace("_", " ") in text
    assert "2014-07" in text, "a date known to the month stays a month"


def test_table_pages_are_data_dictionaries_with_the_rows(site: dict[str, bytes]) -> None:
    for resource in (r for r in DESCRIPTOR["resources"] if "schema" in r):
        html = site[f"tables/{resource['name']}.html"].decode("utf-8")
        parsed = Page(html)
        for field in resource["schema"]["fields"]:
            assert f"col-{field['name']}" in parsed.ids
            assert str(escape(field["description"])) in html
        rows = list(csv.DictReader(io.StringIO(site[resource["path"]].decode())))
        key = resource["schema"]["primaryKey"]
        assert {f"row-{'--'.join(r[k] for k in key)}" for r in rows} <= parsed.ids
        assert html.count('<tr id="row-') == len(rows)


def test_values_are_escaped(tmp_path: Path, project: Path) -> None:
    """A value that looks like markup is shown as text, never run as markup."""
    statements = project / "data" / "statements.csv"
    text = statements.read_text(encoding="utf-8").replace("Inisiatif ini", "<script>alert(1)</script>", 1)
    statements.write_text(text, encoding="utf-8")
    content = statements.read_bytes()

    def patch(d: dict[str, Any]) -> None:
        resource = next(r for r in d["resources"] if r["name"] == "statements")
        resource["bytes"] = len(content)
        resource["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()

    descriptor = json.loads((project / "datapackage.json").read_text(encoding="utf-8"))
    patch(descriptor)
    (project / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    html = render_site(project)["tables/statements.html"].decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_stale_published_files_are_refused(project: Path) -> None:
    persons = project / "data" / "persons.csv"
    persons.write_text(persons.read_text(encoding="utf-8") + "x,y,JPN\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"persons\.csv differs from datapackage\.json"):
        render_site(project)


def test_repository_setting_makes_download_addresses_absolute(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8").replace('repository = ""', 'repository = "https://example.org/o/r"')
    pyproject.write_text(text, encoding="utf-8")
    site = render_site(project)
    (raw,) = Page(site["index.html"].decode("utf-8")).jsonld
    data = json.loads(raw)
    assert data["url"] == "https://example.org/o/r"
    for download in data["distribution"]:
        name = download["contentUrl"].rsplit("/", 1)[-1]
        assert download["contentUrl"] == f"https://example.org/o/r/releases/download/v{__version__}/{name}"
    assert "repository-code: https://example.org/o/r" in site["CITATION.cff"].decode("utf-8")


def test_the_pandas_snippet_runs_in_the_site_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build_site(ROOT, out)
    html = (out / "index.html").read_text(encoding="utf-8")
    import html as html_lib

    snippet = html_lib.unescape(html.split("<h3>pandas</h3>", 1)[1].split('<code class="language-python">', 1)[1])
    snippet = snippet.split("</code>", 1)[0]
    monkeypatch.chdir(out)
    namespace: dict[str, Any] = {}
    exec(compile(snippet.replace("print(", "len("), "snippet", "exec"), namespace)
    assert len(namespace["initiatives"]) == len(namespace["initiatives_typed"]) > 0


def test_cli_writes_the_site_and_only_replaces_its_own_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["site", "--root", str(ROOT), "--out", str(out)]) == 0
    assert (out / "index.html").is_file() and (out / MARKER).is_file()
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["site", "--root", str(ROOT), "--out", str(out)]) == 0
    second = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert first == second, "the site is reproducible"
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["site", "--root", str(ROOT), "--out", str(precious)]) == 2
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "mine"
    shutil.rmtree(out)


REFUSING = """
import sys
from importlib.abc import MetaPathFinder


class Refuse(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == MODULE:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


MODULE = sys.argv[1]
assert MODULE not in sys.modules, "imported before the finder was in place"
sys.meta_path.insert(0, Refuse())
from ca_summit_data.cli import main

sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("module", ["jinja2", "markupsafe"])
def test_a_missing_site_extra_names_the_extra(tmp_path: Path, module: str) -> None:
    """Without the site extra (simulated by refusing one of its modules) the command says what to install."""
    out = tmp_path / "site"
    argv = [sys.executable, "-c", REFUSING, module, "site", "--root", str(ROOT), "--out", str(out)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "pip install 'ca-summit-data[site]'" in done.stderr
    assert module in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_the_site_is_readable_by_a_web_server(tmp_path: Path) -> None:
    """Folders 0755 and files 0644, even under a private umask (a server runs as another user)."""
    out = tmp_path / "site"
    previous = os.umask(0o077)
    try:
        build_site(ROOT, out)
        build_site(ROOT, out)  # the replacing build too
    finally:
        os.umask(previous)
    entries = [out, *out.rglob("*")]
    assert len(entries) > 50 and (out / "tables").is_dir()
    for entry in entries:
        mode = stat.S_IMODE(entry.lstat().st_mode)
        assert mode == (0o755 if entry.is_dir() else 0o644), f"{entry}: {oct(mode)}"


PYPI_INSTALL = re.compile(
    r"""pip3?\s+install\s+(-U\s+|--upgrade\s+)?(['"]?)ca[-_.]summit[-_.]data(\[[^\]]*\])?\2(\s|$)""", re.I
)
"""``pip install ca-summit-data`` (with or without extras): the name alone, as if pip could find it on PyPI."""


def test_no_page_says_the_package_is_on_pypi(site: dict[str, bytes]) -> None:
    import html as html_lib

    for path in (p for p in site if p.endswith(".html")):
        text = html_lib.unescape(site[path].decode("utf-8"))
        assert not PYPI_INSTALL.search(text), f"{path}: {PYPI_INSTALL.search(text)}"
    index = html_lib.unescape(site["index.html"].decode("utf-8"))
    assert "pip install ./ca-summit-data" in index
    assert f"pip install ca_summit_data-{__version__}-py3-none-any.whl" in index
    assert "not on PyPI" in index
    for said in ("pip install ca-summit-data\n", "pip install 'ca-summit-data[site]' ", 'pip install "ca_summit_data"'):
        assert PYPI_INSTALL.search(said), f"the pattern misses {said!r}"


def test_long_numbers_are_grouped_on_the_page_only(site: dict[str, bytes]) -> None:
    assert group_digits("3000000000000") == "3,000,000,000,000"
    assert group_digits("-1234567.25") == "-1,234,567.25" and group_digits("12345.6789") == "12,345.6789"
    assert group_digits("2025") == "2025" and group_digits("150") == "150", "years and counts stay as written"
    assert group_digits("1e12") == "1e12" and group_digits("") == "", "anything else is shown as published"
    html = site["tables/financial_targets.html"].decode("utf-8")
    assert 'data-value="3000000000000" title="3000000000000">3,000,000,000,000</td>' in html
    assert b",3000000000000," in site["data/financial_targets.csv"], "the published file keeps the plain value"


def test_cells_wrap_by_their_kind() -> None:
    assert cell_kind("date", "2025-12-20") == "date" and cell_kind("integer", "1") == "num"
    assert cell_kind("string", "ca_plus_japan_2025") == "token"
    assert cell_kind("string", "a" * 64) == "unbroken", "a hash has nowhere else to wrap"
    assert cell_kind("string", "Tokyo") == "token" and cell_kind("string", "Prime Minister") == "text"
    assert cell_kind("string", "Investment in business projects over the five years after the summit.") == "prose"
