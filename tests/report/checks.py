"""Assertions shared by the render tests and the browser tests: the same
page must pass them as written by Python and as Chromium ran it."""
from __future__ import annotations

import json

from . import sample
from .dom import Node

PAGE_SCRIPTS = 2  # guard.js and report.js, inline
DATA_ISLAND = "report-data"


def count(doc: Node, key: str) -> int:
    cards = doc.find_all(pred=lambda n: n.get("data-count") == key)
    assert len(cards) == 1, f"one card for {key}, found {len(cards)}"
    return int(cards[0].find_all("span", pred=lambda n: n.get("class") == "n")[0].text)


def assert_counts(doc: Node) -> None:
    for status, n in sample.EXPECTED.items():
        assert count(doc, status) == n, status
    assert count(doc, "total") == sum(sample.EXPECTED.values())
    assert count(doc, "failed-24h") == sample.EXPECTED_FAILED_24H
    assert count(doc, "failed-7d") == sample.EXPECTED_FAILED_7D
    rows = doc.by_id("jobs-table").find_all("tbody")[0].find_all("tr")
    assert len(rows) == sum(sample.EXPECTED.values())
    by_status = {}
    for row in rows:
        by_status[row.get("data-status")] = by_status.get(row.get("data-status"), 0) + 1
    assert by_status == sample.EXPECTED
    assert len(doc.by_id("failures").find_all("li")) == sample.EXPECTED["FAILED"]
    data = json.loads(doc.by_id(DATA_ISLAND).text)
    assert data["by_status"] == {**{k: 0 for k in sample.EXPECTED}, **sample.EXPECTED}
    assert data["total"] == sum(sample.EXPECTED.values())


def assert_no_injection(doc: Node) -> None:
    """The hostile name and message are text in the page, never markup."""
    assert not doc.find_all("img"), "an <img> element exists: markup was injected"
    scripts = doc.find_all("script")
    runnable = [s for s in scripts if s.get("type") != "application/json"]
    assert len(runnable) == PAGE_SCRIPTS, [s.text[:80] for s in runnable]
    for script in scripts:
        assert "alert(" not in script.text, "user text reached a script element"
    names = [n.text for n in doc.find_all("td", pred=lambda n: n.get("class") == "name")]
    assert sample.XSS_NAME in names
    failure_names = [n.text for n in doc.find_all("span", pred=lambda n: n.get("class") == "f-name")]
    assert sample.XSS_NAME in failure_names
    messages = [n.text for n in doc.find_all("p", pred=lambda n: (n.get("class") or "").startswith("f-msg"))]
    assert sample.XSS_MESSAGE in messages
    for node in doc.iter():
        for attr in node.attrs:
            assert not attr.startswith("on"), f"event handler attribute {attr} on <{node.tag}>"
