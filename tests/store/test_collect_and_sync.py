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
