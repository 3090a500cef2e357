"""End to end: the generated site opened from the file system in headless Chromium.

Chromium (Debian's ``chromium`` package, which ``.ci/run`` installs) is driven through
the DevTools protocol over ``--remote-debugging-pipe``: no driver, no websocket library,
no browser download. Every page is loaded; the figure and the tables must render, every
link must resolve, no request may leave the file system, and the console must stay free
of errors. At a 1280 px window no page may scroll sideways, dates stay on one line, long
numbers are grouped, and the figure keeps its labels off the lines and its cards inside the
frame. A screenshot of every page is kept in ``test-artifacts/``.

A missing Chromium fails the test: it is part of what CI checks, not optional.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from ca_summit_data.cli import main

from .conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 30.0
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def find_chromium() -> str:
    configured = os.environ.get("CA_SUMMIT_CHROMIUM")
    found = configured or next((p for p in map(shutil.which, BROWSERS) if p), None)
    assert found, (
        "headless Chromium is needed for the site's browser test and was not found: "
        "install Debian's package (apt-get install chromium; .ci/run does) or set CA_SUMMIT_CHROMIUM"
    )
    return found


class Browser:
    """A minimal DevTools protocol client over Chromium's pipe (fd 3 in, fd 4 out, NUL-separated JSON)."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Move the child's ends above 9 so the shell can place them at 3 and 4 without clobbering anything.
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        script = f'exec "$@" 3<&{child_in} 4>&{child_out} {child_in}<&- {child_out}>&-'
        self.process = subprocess.Popen(
            ["bash", "-c", script, "chromium", executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(child_in, child_out),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
        )
        os.close(child_in)
        os.close(child_out)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_child], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"Chromium did not answer in time; its log:\n{self.log_text()}")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the pipe; its log:\n{self.log_text()}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for n, event in enumerate(self.events):
                if event["method"] == method and event.get("sessionId") == self.session:
                    return self.events.pop(n)
            event = self._read_message(deadline)
            if "method" in event:
                self.events.append(event)

    def open_page(self, width: int, height: int) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def navigate(self, url: str) -> None:
        """Load ``url`` and return once that page (not a late event of the one before) has loaded."""
        self.events.clear()
        reply = self.send("Page.navigate", {"url": url})
        assert "errorText" not in reply, f"{url}: {reply['errorText']}"
        deadline = time.monotonic() + TIMEOUT
        while True:
            self.wait_for("Page.loadEventFired")
            if self.evaluate("document.readyState === 'complete' && location.href") == url:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading")

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in reply, reply["exceptionDetails"]
        return reply["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, failed loads and any request that is not a local file."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Network.loadingFailed":
                found.append(f"load failed: {params.get('errorText')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith(("file://", "data:")):
                    found.append(f"request left the file system: {url}")
        return found

    def screenshot(self, path: Path, width: int) -> bytes:
        metrics = self.send("Page.getLayoutMetrics")
        height = int(metrics["cssContentSize"]["height"])
        shot = self.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        data = base64.b64decode(shot["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data

    def log_text(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-3000:]

    def close(self) -> None:
        try:
            self.session = ""
            self.send("Browser.close", session=False)
        except (RuntimeError, TimeoutError, OSError, AssertionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_child)
        os.close(self._from_child)
        self.log.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    assert main(["site", "--root", str(ROOT), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = find_chromium()
    chromium = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    try:
        version = chromium.send("Browser.getVersion", session=False)
        assert "Chrom" in version["product"]
        chromium.open_page(1280, 900)
        yield chromium
    finally:
        chromium.close()


class Ids(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(str(v) for k, v in attrs if k == "id" and v)


PAGE_FACTS = """(() => {
  const svg = document.querySelector('svg#summit-figure');
  const box = svg ? svg.getBoundingClientRect() : null;
  const texts = svg ? Array.from(svg.querySelectorAll('text')) : [];
  const header = document.querySelector('.site-header');
  return {
    title: document.title,
    figure: box ? {width: box.width, height: box.height} : null,
    figureTexts: texts.map(t => t.textContent),
    textsDrawn: texts.filter(t => t.getComputedTextLength() > 0).length,
    leaders: svg ? svg.querySelectorAll('g.leader').length : 0,
    areas: svg ? svg.querySelectorAll('g.area').length : 0,
    initiatives: svg ? svg.querySelectorAll('g.initiative').length : 0,
    stylesheet: header ? getComputedStyle(header).borderBottomStyle : null,
    tables: Array.from(document.querySelectorAll('main table')).map(t => ({
      cls: t.className, rows: t.tBodies[0] ? t.tBodies[0].rows.length : 0,
      width: t.getBoundingClientRect().width, height: t.getBoundingClientRect().height})),
    links: Array.from(document.querySelectorAll('a[href], link[href], img[src], script[src]'))
      .map(e => e.href || e.src),
    jsonld: Array.from(document.querySelectorAll('script[type="application/ld+json"]')).map(s => s.textContent),
  };
})()"""


LAYOUT = """(() => {
  const root = document.documentElement;
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    boxes: Array.from(document.querySelectorAll('main .scroll > table')).map(t => ({
      cls: t.className, scrollWidth: t.parentElement.scrollWidth, clientWidth: t.parentElement.clientWidth})),
  };
})()"""
"""Whether the page, or a table inside its scrolling box, is wider than the window."""

CELLS = """((columns) => Array.from(document.querySelectorAll('table.rows tbody tr')).flatMap(
  tr => columns.map(i => tr.cells[i])).map(td => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
    return {cls: td.className, whiteSpace: getComputedStyle(td).whiteSpace, lines: tops.size,
            text: td.textContent, value: td.dataset.value ?? null, title: td.title};
  }))"""
"""The cells of some columns of the rows table: class, wrapping, lines drawn, text and exact value."""

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
FIELDS = {r["name"]: r["schema"]["fields"] for r in DESCRIPTOR["resources"] if "schema" in r}


def cells(browser: Browser, table: str, types: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """(column name, cell facts) of every cell of ``table``'s rows table whose column type is in ``types``."""
    columns = [(i, f["name"]) for i, f in enumerate(FIELDS[table]) if f.get("type") in types]
    found = browser.evaluate(f"{CELLS}({json.dumps([i for i, _ in columns])})")
    return [(columns[n % len(columns)][1], cell) for n, cell in enumerate(found)]


def screenshot_name(relative: str) -> str:
    return "site-" + relative.removesuffix(".html").replace("/", "-") + ".png"


FIGURE_BOXES = """(() => {
  const svg = document.querySelector('svg#summit-figure');
  const box = e => { const b = e.getBBox(); return {x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height}; };
  const view = svg.viewBox.baseVal;
  return {
    width: view.width, height: view.height,
    lines: Array.from(svg.querySelectorAll('line.meeting')).map(l =>
      [l.x1.baseVal.value, l.y1.baseVal.value, l.x2.baseVal.value, l.y2.baseVal.value]),
    labels: Array.from(svg.querySelectorAll('g.leader:not(.host) text.label')).map(
      t => ({text: t.textContent, ...box(t)})),
    rects: Array.from(svg.querySelectorAll('rect')).slice(1).map(box),
    texts: Array.from(svg.querySelectorAll('text')).map(t => ({text: t.textContent, ...box(t)})),
  };
})()"""
"""The figure's boxes in its own units: meeting lines, guest labels, cards (not the background) and every text."""

Box = dict[str, Any]


def inside(inner: Box, outer: Box, pad: float, pad_y: float | None = None) -> bool:
    """Whether ``inner`` lies in ``outer`` with ``pad`` units to spare sideways (``pad_y`` up and down)."""
    pad_y = pad if pad_y is None else pad_y
    return (
        inner["x"] >= outer["x"] + pad
        and inner["right"] <= outer["right"] - pad
        and inner["y"] >= outer["y"] + pad_y
        and inner["bottom"] <= outer["bottom"] - pad_y
    )


def crosses(line: list[float], box: Box) -> bool:
    """Whether the segment passes through the box (sampled every half unit or so)."""
    x1, y1, x2, y2 = line
    steps = int(max(abs(x2 - x1), abs(y2 - y1)) * 2) + 1
    points = ((x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps) for i in range(steps + 1))
    return any(box["x"] <= x <= box["right"] and box["y"] <= y <= box["bottom"] for x, y in points)


def area(box: Box) -> float:
    return float((box["right"] - box["x"]) * (box["bottom"] - box["y"]))


def csv_rows(site: Path, table: str) -> int:
    return len((site / "data" / f"{table}.csv").read_text(encoding="utf-8").splitlines()) - 1


def png_facts(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct bytes in the decoded image data (a blank page has few)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    idat, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def test_pages_render_in_chromium(site: Path, browser: Browser) -> None:
    pages = ["index.html", *sorted(f"tables/{p.name}" for p in (site / "tables").glob("*.html"))]
    tables = [r for r in json.loads((site / "datapackage.json").read_text())["resources"] if "schema" in r]
    assert len(pages) == 1 + len(tables)
    checked_links = 0
    anchors: dict[Path, set[str]] = {}
    for relative in pages:
        url = (site / relative).as_uri()
        browser.navigate(url)
        facts = browser.evaluate(PAGE_FACTS)
        layout = browser.evaluate(LAYOUT)
        shot = browser.screenshot(ARTIFACTS / screenshot_name(relative), 1280)  # before any assertion: evidence
        assert browser.problems() == [], f"{relative}: {browser.problems()}"
        assert facts["stylesheet"] == "solid", f"{relative}: the local stylesheet was not applied"
        assert layout["clientWidth"] == 1280, layout
        assert layout["scrollWidth"] <= layout["clientWidth"], f"{relative}: the page scrolls sideways: {layout}"
        for box in layout["boxes"]:
            assert box["scrollWidth"] <= box["clientWidth"], f"{relative}: a table hides columns at 1280 px: {box}"
        width, height, distinct = png_facts(shot)
        assert width == 1280 and height > 900 and distinct > 50, f"{relative}: the screenshot is blank or cut"
        assert facts["title"]
        for table in facts["tables"]:
            assert table["width"] > 300 and table["height"] > 0, f"{relative}: a table did not render: {table}"
        for link in facts["links"]:
            parts = urlsplit(link)
            assert parts.scheme == "file", f"{relative}: {link} is not a local file"
            target = Path(unquote(parts.path))
            assert target.is_file(), f"{relative}: {link} points at nothing"
            assert target.resolve().is_relative_to(site.resolve()), f"{relative}: {link} leaves the site"
            if parts.fragment and target.suffix == ".html":
                if target not in anchors:  # each page parsed once, however many links point into it
                    anchors[target] = Ids(target.read_text(encoding="utf-8")).ids
                assert unquote(parts.fragment) in anchors[target], f"{relative}: {link} has no such anchor"
            checked_links += 1
        if relative.startswith("tables/"):
            name = Path(relative).stem
            (rows_table,) = [t for t in facts["tables"] if t["cls"].split()[0] == "rows"]
            (dictionary,) = [t for t in facts["tables"] if t["cls"] == "dictionary"]
            assert rows_table["rows"] == csv_rows(site, name)
            header = (site / "data" / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
            assert dictionary["rows"] == len(header.split(","))
    assert checked_links >= len(pages) * len(pages), "each page links home and every table page"


def test_the_figure_renders_and_a_screenshot_is_kept(site: Path, browser: Browser) -> None:
    browser.navigate((site / "index.html").as_uri())
    facts = browser.evaluate(PAGE_FACTS)
    assert browser.problems() == []
    assert facts["figure"]["width"] > 800 and facts["figure"]["height"] > 500
    assert facts["textsDrawn"] == len(facts["figureTexts"]) > 40, "every label of the figure is drawn"
    assert facts["leaders"] == csv_rows(site, "participations")
    assert facts["areas"] == csv_rows(site, "priority_areas")
    with_area = [
        line for line in (site / "data" / "initiatives.csv").read_text().splitlines()[1:] if line.split(",")[2]
    ]
    assert facts["initiatives"] == len(with_area)
    names = {line.split(",")[0]: line.split(",")[1]
             for line in (site / "data" / "persons.csv").read_text().splitlines()[1:]}
    leaders = [line.split(",")[2] for line in (site / "data" / "participations.csv").read_text().splitlines()[1:]]
    assert {names[p] for p in leaders} <= set(facts["figureTexts"]), "every leader at the summit is drawn"
    (jsonld,) = facts["jsonld"]
    assert json.loads(jsonld)["@type"] == "Dataset"
    data = browser.screenshot(ARTIFACTS / "site-index.png", 1280)
    width, height, distinct = png_facts(data)
    assert width == 1280 and height > 2000
    assert len(data) > 50_000 and distinct > 100, "the screenshot is blank or nearly so"


def test_dates_stay_on_one_line_and_long_numbers_are_grouped(site: Path, browser: Browser) -> None:
    """A date is never split (``2025-12-`` / ``20``); 3000000000000 reads 3,000,000,000,000, exact value kept."""
    dates = numbers = 0
    for table in FIELDS:
        browser.navigate((site / "tables" / f"{table}.html").as_uri())
        for column, cell in cells(browser, table, {"date", "datetime", "time", "year", "yearmonth"}):
            assert "date" in cell["cls"].split() and cell["whiteSpace"] == "nowrap", f"{table}.{column}: {cell}"
            assert cell["lines"] == 1, f"{table}.{column}: {cell['text']!r} wraps"
            dates += cell["text"] != "—"
        published = (site / "data" / f"{table}.csv").read_text(encoding="utf-8").splitlines()[1:]
        for column, cell in cells(browser, table, {"number", "integer"}):
            assert "num" in cell["cls"].split() and cell["whiteSpace"] == "nowrap", f"{table}.{column}: {cell}"
            assert cell["lines"] == 1, f"{table}.{column}: {cell['text']!r} wraps"
            if cell["value"] is not None:
                assert cell["text"].replace(",", "") == cell["value"] == cell["title"], f"{table}.{column}: {cell}"
                assert any(cell["value"] in line.split(",") for line in published), "the exact published value"
                numbers += 1
    assert dates >= 2, "the summit's start and end dates were checked"
    browser.navigate((site / "tables" / "financial_targets.html").as_uri())
    amounts = [cell for column, cell in cells(browser, "financial_targets", {"number"}) if column == "amount"]
    assert [(c["text"], c["value"]) for c in amounts] == [("3,000,000,000,000", "3000000000000")]
    assert numbers >= 2 and browser.problems() == []


def test_the_figure_keeps_labels_off_the_lines_and_cards_inside_the_frame(site: Path, browser: Browser) -> None:
    """No guest label on a meeting line (KAZ's sat on its own); every card and text well inside the frame; every
    text inside its card with padding; cards side by side or nested, never overlapping."""
    browser.navigate((site / "index.html").as_uri())
    figure = browser.evaluate(FIGURE_BOXES)
    frame: Box = {"x": 0, "y": 0, "right": figure["width"], "bottom": figure["height"]}
    guests = csv_rows(site, "participations") - 1
    assert len(figure["lines"]) == guests and len(figure["labels"]) == 3 * guests and len(figure["rects"]) > 10
    for label in figure["labels"]:
        for line in figure["lines"]:
            assert not crosses(line, label), f"{label['text']!r} sits on a meeting line {line}"
    for thing in figure["rects"] + figure["texts"]:
        assert inside(thing, frame, 10), f"{thing} touches the figure's frame {frame}"
    for text in figure["texts"]:
        centre: Box = {"x": (text["x"] + text["right"]) / 2, "y": (text["y"] + text["bottom"]) / 2}
        centre.update(right=centre["x"], bottom=centre["y"])
        cards = sorted((r for r in figure["rects"] if inside(centre, r, 0)), key=area)
        # a text's box already holds the font's ascent and descent: 1 unit up and down is clear of the border
        assert not cards or inside(text, cards[0], 3, 1), f"{text} touches the border of its card {cards[0]}"
    for n, one in enumerate(figure["rects"]):
        for other in figure["rects"][n + 1 :]:
            apart = (
                one["right"] <= other["x"]
                or other["right"] <= one["x"]
                or one["bottom"] <= other["y"]
                or other["bottom"] <= one["y"]
            )
            assert apart or inside(one, other, 0) or inside(other, one, 0), f"cards overlap: {one} {other}"
