"""collect_and_sync: the real collection (against the local fake) into a store, filters and failures included."""
from __future__ import annotations

import pytest

from jobinventory.store import collect_and_sync

OPS = ["bedrock:ListModelCustomizationJobs", "forecast:ListForecastExportJobs"]
REGIONS = ["us-east-1", "eu-west-1"]


@pytest.fixture
def seeded(fake_jobs):
    fake_jobs.seed([("bedrock", "ListModelCustomizationJobs"), ("forecast", "ListForecastExportJobs")],
                   regions=REGIONS, jobs_per_stream=6, seed=7)
    return fake_jobs


def test_collect_and_sync_records_new_then_gone_only_from_whole_streams(store, seeded):
    first = store.collect_and_sync(operations=OPS, regions=REGIONS, endpoint_url=seeded.url)
    assert (len(first.changes), first.jobs_seen, first.streams_answered, first.complete) == (24, 24, 4, True)
    assert {c.kind for c in first.changes} == {"new"}

    seeded.clear_jobs("forecast", "ListForecastExportJobs", "eu-west-1")
    filtered = store.collect_and_sync(operations=OPS, regions=REGIONS, endpoint_url=seeded.url,
                                      name_contains="")
    assert filtered.changes == []  # a filtered sync lists no stream whole: nothing is gone

    seeded.inject(service="bedrock", region="us-east-1", access_denied=True)
    second = store.collect_and_sync(operations=OPS, regions=REGIONS, endpoint_url=seeded.url)
    assert [(c.kind, c.service, c.job.region) for c in second.changes] == [("gone", "forecast", "eu-west-1")] * 6
    assert (second.streams_failed, second.complete) == (1, False)
    assert [(e.service, e.region, e.kind) for e in second.errors] == [("bedrock", "us-east-1", "access_denied")]
    assert len(store.changes(kinds=["gone"])) == 6


def test_the_module_function_opens_syncs_and_closes(store_url, seeded):
    result = collect_and_sync(store_url, operations=OPS, regions=["us-east-1"], endpoint_url=seeded.url)
    assert (result.sync_id, len(result.changes), result.streams_answered) == (1, 12, 2)


def test_the_last_syncs_streams_give_each_stream_its_expected_pages(store, seeded, monkeypatch):
    assert store.expected_pages() == {}
    seeded.clear_jobs("forecast", "ListForecastExportJobs", "eu-west-1")
    seeded.seed([("forecast", "ListForecastExportJobs")], regions=["eu-west-1"], jobs_per_stream=250, seed=8)
    store.collect_and_sync(operations=OPS, regions=REGIONS, endpoint_url=seeded.url)
    account = seeded.default_account_id
    expected = {
        (account, "us-east-1", "bedrock", "ListModelCustomizationJobs"): 1,
        (account, "eu-west-1", "bedrock", "ListModelCustomizationJobs"): 1,
        (account, "us-east-1", "forecast", "ListForecastExportJobs"): 1,
        (account, "eu-west-1", "forecast", "ListForecastExportJobs"): 3,  # 250 jobs, 100 a page
    }
    assert store.expected_pages() == expected
    # The next sync hands them to iter_jobs, whose scheduler starts the longest stream first.
    import jobinventory.collector

    given = []
    real = jobinventory.collector.iter_jobs
    monkeypatch.setattr(jobinventory.collector, "iter_jobs",
                        lambda *a, **k: given.append(k["expected_pages"]) or real(*a, **k))
    store.collect_and_sync(operations=OPS, regions=REGIONS, endpoint_url=seeded.url)
    assert given == [expected]
