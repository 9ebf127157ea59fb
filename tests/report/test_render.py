"""The report page as Python writes it: counts, escaping, links, streams."""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import re

import attrs
import pytest

pytest.importorskip("jinja2")

from jobinventory import JobStatus  # noqa: E402
from jobinventory.inventory import Inventory  # noqa: E402
from jobinventory.report import render_report  # noqa: E402
from jobinventory.report.charts import stacked_bars, timeline  # noqa: E402
from jobinventory.report.facts import console_url, failures  # noqa: E402

from . import checks, sample  # noqa: E402
from .dom import parse  # noqa: E402


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(sample.inventory())


def test_counts_match_the_jobs(page: str) -> None:
    checks.assert_counts(parse(page))


def test_hostile_name_and_message_are_text(page: str) -> None:
    doc = parse(page)
    checks.assert_no_injection(doc)
    assert "<img src=x" not in page
    assert "</script><script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_data_island_is_json_escaped_for_a_script_element() -> None:
    # A region string is user data that reaches the JSON island's keys.
    job = attrs.evolve(sample.jobs()[0], region="</script><script>alert(1)</script>")
    page = render_report([job], now=sample.NOW)
    island = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert island is not None
    assert "<" not in island.group(1)
    json.loads(island.group(1))
    checks_doc = parse(page)
    assert not checks_doc.find_all("img")


def test_csp_allows_exactly_the_inline_scripts(page: str) -> None:
    doc = parse(page)
    csp = doc.find_all("meta", pred=lambda n: n.get("http-equiv") == "Content-Security-Policy")[0].get("content")
    assert "default-src 'none'" in csp
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    inline = [s.text for s in doc.find_all("script") if s.get("type") != "application/json"]
    hashes = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in inline}
    assert hashes == allowed


def test_self_contained_no_request_leaves_the_page(page: str) -> None:
    doc = parse(page)
    for node in doc.iter():
        assert node.get("src") is None, node.tag
        assert node.tag not in ("link", "iframe", "object", "embed"), node.tag
        href = node.get("href")
        if href is not None:
            assert href.startswith("#") or re.match(r"^https://[a-z0-9-]+\.console\.aws\.amazon\.com/", href), href
    assert "@import" not in page and "url(" not in page


def test_partial_inventory_has_a_banner_and_lists_the_failed_stream(page: str) -> None:
    doc = parse(page)
    banner = doc.by_id("partial-banner")
    assert "1 stream failed: this inventory is incomplete" in banner.text
    failed = doc.find_all("table", pred=lambda n: "failed-streams" in (n.get("class") or ""))[0]
    assert "User <arn> is not authorized" in failed.text
    assert "access_denied" in failed.text and "ap-south-1" in failed.text
    skipped = doc.find_all("table", pred=lambda n: "skipped-streams" in (n.get("class") or ""))[0]
    assert "region not enabled for the account" in skipped.text


def test_errors_without_streams_are_still_listed() -> None:
    page = render_report(sample.jobs(), errors=[sample.error()], now=sample.NOW)
    doc = parse(page)
    assert "1 stream failed: this inventory is incomplete" in doc.by_id("partial-banner").text


def test_two_failed_streams_plural() -> None:
    from jobinventory import CollectionError

    errors = [sample.error(), CollectionError(None, "eu-west-1", "bedrock", "ListModelImportJobs", "throttled", "slow down")]
    doc = parse(render_report(sample.jobs(), errors=errors, now=sample.NOW))
    assert "2 streams failed: this inventory is incomplete" in doc.by_id("partial-banner").text


def test_complete_inventory_has_no_partial_banner() -> None:
    inv = sample.inventory()
    inv = Inventory(jobs=inv.jobs, errors=[], streams=[s for s in inv.streams if s.state != "failed"], collected_at=sample.NOW)
    page = render_report(inv)
    assert 'id="partial-banner"' not in page
    assert 'id="unknown-banner"' not in page


def test_a_bare_list_of_jobs_says_completeness_is_unknown() -> None:
    doc = parse(render_report(list(reversed(sample.jobs())), now=sample.NOW))
    assert "cannot tell whether the inventory is complete" in doc.by_id("unknown-banner").text
    checks.assert_counts(doc)


def test_failures_newest_first_with_console_links() -> None:
    fails = failures(sample.jobs())
    whens = [f.when for f in fails]
    assert whens == sorted(whens, reverse=True)
    doc = parse(render_report(sample.jobs(), now=sample.NOW))
    items = doc.by_id("failures").find_all("li")
    assert items[0].get("data-job-id").endswith("job/job-1")
    links = [a.get("href") for a in doc.by_id("failures").find_all("a")]
    assert "https://eu-west-1.console.aws.amazon.com/personalize/home?region=eu-west-1" in links
    for a in doc.by_id("failures").find_all("a"):
        assert a.get("rel") == "noopener noreferrer"


def test_console_url_by_partition_and_refuses_odd_regions() -> None:
    job = next(j for j in sample.jobs() if j.name == "forecast-job-4")
    assert console_url(job) == "https://us-east-1.console.aws.amazon.com/forecast/home?region=us-east-1"
    cn = attrs.evolve(job, arn="arn:aws-cn:forecast:cn-north-1:111122223333:job/x", region="cn-north-1")
    assert console_url(cn) == "https://cn-north-1.console.amazonaws.cn/forecast/home?region=cn-north-1"
    gov = attrs.evolve(job, arn="arn:aws-us-gov:bedrock:us-gov-west-1:111122223333:x", region=None, service="bedrock")
    assert console_url(gov) == "https://us-gov-west-1.console.amazonaws-us-gov.com/bedrock/home?region=us-gov-west-1"
    assert console_url(attrs.evolve(job, region="evil.example/#", arn=None)) is None
    assert console_url(attrs.evolve(job, region=None, arn=None)) is None


def test_a_normalized_job_renders() -> None:
    job = sample.normalized_job()
    doc = parse(render_report([job], now=sample.NOW))
    assert checks.count(doc, "FAILED") == 1
    assert checks.count(doc, "failed-24h") == 1
    assert "normalized <message>" in doc.by_id("failures").text
    badges = doc.by_id("jobs-table").find_all("span", pred=lambda n: n.get("class") == "badge")
    assert [b.get("title") for b in badges] == ["CREATE_FAILED"]  # the provider's word, on the unified one


def test_empty_inventory_renders() -> None:
    doc = parse(render_report(Inventory(collected_at=sample.NOW)))
    assert checks.count(doc, "total") == 0
    assert "No failed jobs." in doc.by_id("failures").text


def test_now_defaults_to_collection_time_and_accepts_naive_utc() -> None:
    inv = sample.inventory()
    assert 'datetime="2026-11-01T12:00:00+00:00"' in render_report(inv)
    later = render_report(inv.jobs, now=_dt.datetime(2026, 11, 7, 12, 0))  # naive means UTC
    doc = parse(later)
    assert checks.count(doc, "failed-24h") == 0
    assert checks.count(doc, "failed-7d") == 2  # job-1 and job-2 failed within the 7 days before


def test_title_is_escaped() -> None:
    page = render_report([], title="<b>ops</b> & co", now=sample.NOW)
    assert "<title>&lt;b&gt;ops&lt;/b&gt; &amp; co</title>" in page


def test_stacked_bars_fold_the_long_tail() -> None:
    jobs = [attrs.evolve(sample.jobs()[0], job_id=f"id{i}", region=f"r{i}") for i in range(15)]
    chart = stacked_bars(jobs, lambda j: j.region, "By region", max_bars=10)
    assert len(chart.bars) == 10
    assert chart.bars[-1].label == "6 others" and chart.bars[-1].total == 6
    assert sum(b.total for b in chart.bars) == 15
    widths = [sum(s.width for s in b.segments) for b in chart.bars]
    assert max(widths) == pytest.approx(chart.width - chart.label_width - 44, abs=0.1)


def test_timeline_open_ended_to_now_and_not_squashed_by_an_old_job() -> None:
    tl = timeline(sample.jobs(), sample.NOW)
    assert sample.NOW - tl.start <= _dt.timedelta(days=7, hours=2)
    running = [r for r in tl.rows if r.status is JobStatus.RUNNING]
    assert running and all(r.open_ended for r in running)
    for r in running:
        assert r.x + r.width == pytest.approx(tl.now_x, abs=0.05)
    assert all(r.x >= tl.label_width for r in tl.rows)
    labels = [r.label for r in tl.rows]
    assert "bedrock-job-6" not in labels  # failed a month ago: outside the window


def test_large_inventory_renders_every_row() -> None:
    base = sample.jobs()
    jobs = [attrs.evolve(base[i % len(base)], job_id=f"{base[i % len(base)].job_id}-{i}") for i in range(5000)]
    page = render_report(jobs, now=sample.NOW)
    assert page.count("<tr data-status=") == 5000


def test_the_page_keeps_its_template_files_as_package_data() -> None:
    from importlib import resources

    names = {p.name for p in resources.files("jobinventory.report").joinpath("templates").iterdir()}
    assert {"report.html.j2", "report.css", "report.js", "guard.js"} <= names


def test_rendering_is_deterministic(page: str) -> None:
    # The same inventory and `now` give the same bytes: no hidden state, no clock.
    assert render_report(sample.inventory()) == page


def test_older_failures_fold_into_details_and_the_list_is_capped() -> None:
    from jobinventory.report import render

    failed = next(j for j in sample.jobs() if j.status is JobStatus.FAILED)
    many = [
        attrs.evolve(failed, job_id=f"id-{i}", name=f"failed-{i}",
                     ended_at=failed.ended_at - _dt.timedelta(minutes=i))
        for i in range(render.MAX_FAILURES + 5)
    ]
    doc = parse(render_report(many, now=sample.NOW))
    section = doc.by_id("failures")
    assert len(section.find_all("li")) == render.MAX_FAILURES
    folded = section.find_all("details")[0]
    assert len(folded.find_all("li")) == render.MAX_FAILURES - render.OPEN_FAILURES
    names = [n.text for n in section.find_all("span", pred=lambda n: n.get("class") == "f-name")]
    assert names[:3] == ["failed-0", "failed-1", "failed-2"]  # newest first
    assert f"all {render.MAX_FAILURES + 5} are in the" in section.text
    assert checks.count(doc, "FAILED") == render.MAX_FAILURES + 5


def test_an_unknown_status_shows_the_providers_word() -> None:
    doc = parse(render_report(sample.jobs(), now=sample.NOW))
    row = doc.by_id("jobs-table").find_all("tr", pred=lambda n: n.get("data-status") == "UNKNOWN")[0]
    assert "BRAND_NEW_STATE" in row.find_all("td")[0].text


def test_soft_breaks_escape_every_part() -> None:
    from jobinventory.report.render import soft_breaks

    assert str(soft_breaks("<b>_x&y_")) == "&lt;b&gt;_<wbr>x&amp;y_<wbr>"
    job = attrs.evolve(sample.jobs()[0], name="<i>_evil_</i>")
    doc = parse(render_report([job], now=sample.NOW))
    cell = doc.by_id("jobs-table").find_all("td", pred=lambda n: n.get("class") == "name")[0]
    assert cell.text == "<i>_evil_</i>" and not cell.find_all("i")


def test_without_jinja2_render_report_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from jobinventory.report import ReportUnavailable

    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(ReportUnavailable, match=r"pip install 'jobinventory\[report\]'"):
        render_report([], now=sample.NOW)
