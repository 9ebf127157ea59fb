"""`jobinventory sync`, `changes` and `report --db`, in-process, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select

from jobinventory.cli import main
from jobinventory.store import open_store
from jobinventory.store.tables import jobs, sync_streams, syncs

SYNC_LINE = re.compile(r"^sync (\d+): (\d+) changes \((\d+) new, (\d+) status, (\d+) gone\); (\d+) jobs listed; "
                       r"streams: (\d+) answered, (\d+) skipped, (\d+) failed\n$")


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _count(url, table, *where):
    with open_store(url) as store, store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


@pytest.fixture
def seeded(fake_jobs):
    fake_jobs.seed([("bedrock", "ListModelCustomizationJobs"), ("forecast", "ListForecastExportJobs")],
                   regions=["us-east-1"], jobs_per_stream=5, seed=3)
    return fake_jobs


def test_sync_then_changes_in_every_format(capsys, store_url, seeded):
    selection = ["--db", store_url, "--endpoint-url", seeded.url, "--region", "us-east-1",
                 "--operation", "bedrock:ListModelCustomizationJobs,forecast:ListForecastExportJobs"]
    status, out, err = _run(capsys, "sync", *selection)
    assert (status, err) == (0, "")
    assert SYNC_LINE.match(out).groups() == ("1", "10", "10", "0", "0", "10", "2", "0", "0")
    seeded.clear_jobs("forecast")
    status, out, _ = _run(capsys, "sync", *selection)
    assert SYNC_LINE.match(out).groups() == ("2", "5", "0", "0", "5", "5", "2", "0", "0")

    status, out, _ = _run(capsys, "changes", "--db", store_url, "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and len(records) == 15
    assert [r["change_id"] for r in records] == list(range(15, 0, -1))
    assert {r["kind"] for r in records[:5]} == {"gone"} and {r["job"]["service"] for r in records[:5]} == {"forecast"}
    assert records[0]["to_status"] is None and records[0]["observed_at"].endswith("Z")

    status, out, _ = _run(capsys, "changes", "--db", store_url, "--kind", "new", "--limit", "3", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:8] == ["change_id", "sync_id", "observed_at", "kind", "from_status", "to_status", "service",
                           "job_id"]
    assert [(r[0], r[3]) for r in rows[1:]] == [("10", "new"), ("9", "new"), ("8", "new")]

    status, out, _ = _run(capsys, "changes", "--db", store_url, "--kind", "gone", "--format", "json")
    assert len(json.loads(out)) == 5
    status, out, _ = _run(capsys, "changes", "--db", store_url, "--kind", "status")
    assert out == "OBSERVED (UTC)  KIND  FROM  TO  SERVICE  REGION  NAME\n0 changes\n"


def test_a_failed_stream_exits_3_and_is_recorded(capsys, store_url, seeded):
    seeded.inject(service="bedrock", access_denied=True)
    status, out, err = _run(capsys, "sync", "--db", store_url, "--endpoint-url", seeded.url, "--region",
                            "us-east-1", "--service", "bedrock,forecast", "--operation",
                            "ListModelCustomizationJobs,ListForecastExportJobs")
    assert status == 3
    assert SYNC_LINE.match(out).groups()[-3:] == ("1", "0", "1")
    assert err.splitlines()[0].startswith("123456789012/us-east-1/bedrock/ListModelCustomizationJobs: "
                                          "access_denied: ")
    assert _count(store_url, sync_streams, sync_streams.c.state == "failed") == 1
    assert _count(store_url, syncs, syncs.c.complete.is_(False)) == 1


def test_sync_demo_and_report_of_the_store(capsys, store_url, tmp_path):
    status, out, err = _run(capsys, "sync", "--demo", "--db", store_url)
    assert status == 0
    listed = int(SYNC_LINE.match(out).group(6))
    assert listed == _count(store_url, jobs) > 100
    page = tmp_path / "report.html"
    status, out, err = _run(capsys, "report", "--db", store_url, "--output", str(page))
    assert (status, err) == (0, "")
    html = page.read_text()
    assert 'id="history"' in html and 'id="failures-per-day"' in html and 'id="durations"' in html
    assert html.count('<g class="day"') == 30
    assert re.search(r'<p class="meta">\s*(\d+) jobs', html).group(1) == str(listed)  # the jobs listed now


def test_store_errors_are_one_line_exit_2(capsys, tmp_path, store_url):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100)
    status, out, err = _run(capsys, "sync", "--demo", "--db", f"sqlite:///{notes}")
    assert (status, out) == (2, "")
    assert err == f"jobinventory: error: sqlite:///{notes} is not a jobinventory store: file is not a database\n"
    status, _, err = _run(capsys, "changes", "--db", "mysql://x/y")
    assert status == 2 and err == ("jobinventory: error: unsupported database 'mysql' in 'mysql://x/y': use "
                                   "sqlite or postgresql\n")
    status, _, err = _run(capsys, "report", "--db", store_url, "--region", "us-east-1")
    assert status == 2 and err == ("jobinventory: error: --db renders the store as the last sync left it: it "
                                   "takes no collection options (--region)\n")
    with pytest.raises(SystemExit) as caught:
        main(["changes", "--db", store_url, "--kind", "moved"])
    assert caught.value.code == 2
    assert "unknown kind 'moved'; one of: new, status, gone" in capsys.readouterr().err
