"""The report page in real headless Chromium, loaded from disk (file://).

Chromium runs a few times, each run a short-lived process with a fresh
profile, stopped through its handle (see chromium.py). Without Chromium
these tests skip, except under CI, where they fail.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Tuple

import pytest

pytest.importorskip("jinja2")

from jobinventory.report import render_report  # noqa: E402

from . import checks, chromium, sample  # noqa: E402
from .dom import Node, parse  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser() -> str:
    return chromium.require()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "inventory.html"
    path.write_text(render_report(sample.inventory()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def loaded(browser: str, page_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Tuple[Node, str]:
    dom, log = chromium.dump_dom(browser, page_file.as_uri(), tmp_path_factory.mktemp("profile"))
    return parse(dom), log


def assert_loaded_cleanly(doc: Node, log: str) -> None:
    root = doc.find_all("html")[0]
    assert root.get("data-ready") == "1", "the page's script did not run to the end"
    errors = doc.by_id("page-errors")
    assert errors.hidden() and errors.text.strip() == "This page hit an error while loading:", errors.text
    assert chromium.console_errors(log) == []


def test_loads_with_no_errors(loaded: Tuple[Node, str]) -> None:
    assert_loaded_cleanly(*loaded)


def test_counts_in_the_rendered_dom(loaded: Tuple[Node, str]) -> None:
    doc, _ = loaded
    checks.assert_counts(doc)
    assert doc.by_id("shown").text == str(sum(sample.EXPECTED.values()))


def test_hostile_name_is_text_and_nothing_was_injected(loaded: Tuple[Node, str]) -> None:
    doc, _ = loaded
    checks.assert_no_injection(doc)


def test_filter_and_sort_from_the_fragment(browser: str, page_file: Path, tmp_path: Path) -> None:
    url = page_file.as_uri() + "#status=FAILED&sort=6&dir=asc"
    dom, log = chromium.dump_dom(browser, url, tmp_path / "profile")
    doc = parse(dom)
    assert_loaded_cleanly(doc, log)
    assert doc.by_id("shown").text == str(sample.EXPECTED["FAILED"])
    rows = doc.by_id("jobs-table").find_all("tbody")[0].find_all("tr")
    visible = [r for r in rows if not r.hidden()]
    assert {r.get("data-status") for r in visible} == {"FAILED"}
    durations = [float(r.find_all("td")[6].get("data-sort")) for r in visible]
    assert durations == sorted(durations)
    assert len(rows) == sum(sample.EXPECTED.values())  # filtered rows are hidden, not removed


def test_text_filter_matches_hostile_text_literally(browser: str, page_file: Path, tmp_path: Path) -> None:
    from urllib.parse import quote

    url = page_file.as_uri() + "#q=" + quote("onerror=alert(1)>", safe="")
    dom, log = chromium.dump_dom(browser, url, tmp_path / "profile")
    doc = parse(dom)
    assert_loaded_cleanly(doc, log)
    assert doc.by_id("shown").text == "1"
    checks.assert_no_injection(doc)


def test_screenshot(browser: str, page_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.png"
    chromium.screenshot(browser, page_file.as_uri(), out, tmp_path / "profile", size=(1400, 2000))
    data = out.read_bytes()
    assert data.startswith(PNG) and len(data) > 20_000


#: The README's screenshot: wide enough for the table, tall enough for the
#: counts, charts, timeline and the first failures.
DEMO_SCREENSHOT_SIZE = (1400, 1900)


def test_demo_page_and_readme_screenshot(browser: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`jobinventory report --demo`, loaded in Chromium, and its screenshot.
    JOBINVENTORY_UPDATE_SCREENSHOT=1 also writes the screenshot to
    docs/report.png, the README's picture of the page."""
    from jobinventory import cli
    html_path = tmp_path / "demo.html"
    status = cli.main(["report", "--demo", "--quiet", "--output", str(html_path)])
    err = capsys.readouterr().err
    assert status in (0, 3), err
    dom, log = chromium.dump_dom(browser, html_path.as_uri(), tmp_path / "p1")
    doc = parse(dom)
    assert_loaded_cleanly(doc, log)
    total = checks.count(doc, "total")
    assert total > 0 and doc.by_id("shown").text == str(total)
    assert len(doc.by_id("jobs-table").find_all("tbody")[0].find_all("tr")) == total
    out = tmp_path / "report.png"
    chromium.screenshot(browser, html_path.as_uri(), out, tmp_path / "p2", size=DEMO_SCREENSHOT_SIZE)
    data = out.read_bytes()
    assert data.startswith(PNG) and len(data) > 20_000
    if os.environ.get("JOBINVENTORY_UPDATE_SCREENSHOT") == "1":
        assert len(data) < 500_000, f"screenshot is {len(data)} bytes; keep docs/report.png under 500 KB"
        (REPO / "docs").mkdir(exist_ok=True)
        shutil.copyfile(out, REPO / "docs" / "report.png")


def test_ci_fails_without_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBINVENTORY_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        chromium.require()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="not found"):
        chromium.require()
