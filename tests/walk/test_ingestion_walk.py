"""bedrock-agent ListIngestionJobs (issue 18): the spec's parent walk, over HTTP against the fake.

ListKnowledgeBases -> ListDataSources per knowledge base -> ListIngestionJobs
per data source, each level paged at its largest page size; job ids unique
across knowledge bases and data sources; a failure listing a parent is a
stream failure like any other.
"""
from __future__ import annotations

import datetime as dt
import math

import pytest

from jobinventory import JobStatus, collect, normalize
from jobinventory.paging import page_plan
from jobinventory.registry import get_spec
from jobinventory.testing import FakeJobServer, FaultRule
from jobinventory.walk import stream_pages

UTC = dt.timezone.utc
ACCOUNT = "123456789012"
REGION = "eu-west-1"


def t(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def kb(kb_id: str, name: str) -> dict:
    return {"knowledgeBaseId": kb_id, "name": name, "status": "ACTIVE", "updatedAt": t(2024, 5, 1)}


def ds(kb_id: str, ds_id: str, name: str) -> dict:
    return {"knowledgeBaseId": kb_id, "dataSourceId": ds_id, "name": name, "status": "AVAILABLE",
            "updatedAt": t(2024, 5, 2)}


def job(kb_id: str, ds_id: str, job_id: str, status: str, started: dt.datetime, **more) -> dict:
    return {"knowledgeBaseId": kb_id, "dataSourceId": ds_id, "ingestionJobId": job_id, "status": status,
            "startedAt": started, "updatedAt": started + dt.timedelta(minutes=7), **more}


STATISTICS = {
    "numberOfDocumentsScanned": 120, "numberOfMetadataDocumentsScanned": 0, "numberOfNewDocumentsIndexed": 100,
    "numberOfModifiedDocumentsIndexed": 18, "numberOfMetadataDocumentsModified": 0,
    "numberOfDocumentsDeleted": 1, "numberOfDocumentsFailed": 2, "numberOfDocumentsSkipped": 0,
}
SUMMARY = job("KB00000001", "DS00000001", "JOB0000001", "COMPLETE", t(2024, 6, 1, 3, 0),
              statistics=STATISTICS, textReadyAt=t(2024, 6, 1, 3, 6), description="Nightly sync")


def test_a_summary_normalizes_to_the_exact_job(botocore_valid):
    botocore_valid("bedrock-agent", "ListIngestionJobs", {"ingestionJobSummaries": [SUMMARY]})
    got = normalize("bedrock-agent", "ListIngestionJobs", SUMMARY, region=REGION, account_id=ACCOUNT)
    assert (got.service, got.operation, got.job_type) == ("bedrock-agent", "ListIngestionJobs", "ingestion")
    assert got.job_id == "KB00000001/DS00000001/JOB0000001" and got.arn is None and got.name is None
    assert (got.status, got.raw_status) == (JobStatus.SUCCEEDED, "COMPLETE")
    assert (got.created_at, got.updated_at, got.ended_at) == (t(2024, 6, 1, 3, 0), t(2024, 6, 1, 3, 7), None)
    assert (got.region, got.account_id, got.message) == (REGION, ACCOUNT, None)
    assert (got.source, got.destination) == ("DS00000001", "KB00000001")
    assert got.details == {"ingestionJobId": "JOB0000001", "statistics": STATISTICS,
                           "textReadyAt": "2024-06-01T03:06:00Z", "description": "Nightly sync"}


@pytest.mark.parametrize("word,unified", [("STARTING", JobStatus.PENDING), ("IN_PROGRESS", JobStatus.RUNNING),
                                          ("COMPLETE", JobStatus.SUCCEEDED), ("FAILED", JobStatus.FAILED),
                                          ("STOPPING", JobStatus.STOPPING), ("STOPPED", JobStatus.STOPPED)])
def test_every_ingestion_status(word, unified):
    assert normalize("bedrock-agent", "ListIngestionJobs", {**SUMMARY, "status": word}).status is unified


def test_the_walk_is_data_in_the_spec():
    spec = get_spec("bedrock-agent", "ListIngestionJobs")
    assert [(p.operation, dict(p.params)) for p in spec.parents] == [
        ("ListKnowledgeBases", {"knowledgeBaseId": "knowledgeBaseId"}),
        ("ListDataSources", {"dataSourceId": "dataSourceId"}),
    ]
    # Every level at the model's largest page size: the lower bound of calls.
    for operation in ("ListKnowledgeBases", "ListDataSources", "ListIngestionJobs"):
        assert page_plan("bedrock-agent", operation).page_size == 1000


@pytest.fixture
def fake():
    server = FakeJobServer().start()
    try:
        yield server
    finally:
        server.stop()


def _serve(fake, kbs, sources, jobs):
    fake.add_jobs("bedrock-agent", "ListKnowledgeBases", kbs, region=REGION)
    fake.add_jobs("bedrock-agent", "ListDataSources", sources, region=REGION)
    fake.add_jobs("bedrock-agent", "ListIngestionJobs", jobs, region=REGION)


def _collect(fake, **kwargs):
    return collect(services=["bedrock-agent"], regions=[REGION], endpoint_url=fake.url, max_attempts=1, **kwargs)


def test_ids_are_unique_across_knowledge_bases_and_data_sources(fake):
    # The same ingestion job id under two data sources, and a data-source id
    # reused under two knowledge bases: four jobs, four ids.
    _serve(fake, [kb("KBAAAAAAAA", "docs"), kb("KBBBBBBBBB", "wiki"), kb("KBEMPTY000", "empty")],
           [ds("KBAAAAAAAA", "DS11111111", "s3-docs"), ds("KBAAAAAAAA", "DS22222222", "web-docs"),
            ds("KBBBBBBBBB", "DS11111111", "s3-wiki"), ds("KBEMPTY000", "DSNOJOBS00", "idle")],
           [job("KBAAAAAAAA", "DS11111111", "JOBSAMEID0", "COMPLETE", t(2024, 6, 1)),
            job("KBAAAAAAAA", "DS22222222", "JOBSAMEID0", "FAILED", t(2024, 6, 2)),
            job("KBBBBBBBBB", "DS11111111", "JOBSAMEID0", "IN_PROGRESS", t(2024, 6, 3)),
            job("KBBBBBBBBB", "DS11111111", "JOBOTHER00", "STARTING", t(2024, 6, 4))])
    inv = _collect(fake)
    assert inv.errors == [] and inv.complete
    assert [j.job_id for j in inv.jobs] == [
        "KBBBBBBBBB/DS11111111/JOBOTHER00", "KBBBBBBBBB/DS11111111/JOBSAMEID0",
        "KBAAAAAAAA/DS22222222/JOBSAMEID0", "KBAAAAAAAA/DS11111111/JOBSAMEID0",
    ]
    assert [j.status for j in inv.jobs] == [JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED,
                                            JobStatus.SUCCEEDED]
    assert {(j.region, j.account_id) for j in inv.jobs} == {(REGION, fake.default_account_id)}
    (stream,) = inv.streams
    # 1 ListKnowledgeBases + 3 ListDataSources + 4 ListIngestionJobs (one per data source, one empty).
    assert (stream.state, stream.jobs, stream.calls, stream.pages) == ("answered", 4, 8, 8)
    assert [fake.count(operation=op) for op in ("ListKnowledgeBases", "ListDataSources", "ListIngestionJobs")] \
        == [1, 3, 4]


def test_each_level_pages_at_the_lower_bound(fake):
    # 1001 knowledge bases (two pages), one with 1001 jobs in its data source (two pages).
    kbs = [kb(f"KB{i:08d}", f"kb-{i}") for i in range(1001)]
    sources = [ds("KB00000000", "DSBIG00000", "big"), ds("KB00000500", "DSSMALL000", "small")]
    jobs = [job("KB00000000", "DSBIG00000", f"J{i:09d}", "COMPLETE", t(2024, 1, 1) + dt.timedelta(minutes=i))
            for i in range(1001)]
    jobs += [job("KB00000500", "DSSMALL000", "JSMALL0000", "FAILED", t(2024, 2, 1))]
    _serve(fake, kbs, sources, jobs)
    inv = _collect(fake)
    assert inv.errors == [] and len(inv.jobs) == 1002 == len({j.job_id for j in inv.jobs})
    kb_calls, ds_calls, job_calls = math.ceil(1001 / 1000), 1001, math.ceil(1001 / 1000) + 1
    assert [fake.count(operation=op) for op in ("ListKnowledgeBases", "ListDataSources", "ListIngestionJobs")] \
        == [kb_calls, ds_calls, job_calls] == [2, 1001, 3]
    (stream,) = inv.streams
    assert stream.calls == stream.pages == kb_calls + ds_calls + job_calls


@pytest.mark.parametrize("operation", ["ListKnowledgeBases", "ListDataSources", "ListIngestionJobs"])
def test_a_failure_listing_any_level_fails_the_stream_and_keeps_what_was_read(fake, operation):
    _serve(fake, [kb("KBAAAAAAAA", "docs"), kb("KBBBBBBBBB", "wiki")],
           [ds("KBAAAAAAAA", "DS11111111", "s3-docs"), ds("KBBBBBBBBB", "DS22222222", "s3-wiki")],
           [job("KBAAAAAAAA", "DS11111111", "JOBAAAAAAA", "COMPLETE", t(2024, 6, 1)),
            job("KBBBBBBBBB", "DS22222222", "JOBBBBBBBB", "COMPLETE", t(2024, 6, 2))])
    # The first call of `operation` answers, the next is denied (knowledge bases: the first is).
    skip = 0 if operation == "ListKnowledgeBases" else 1
    fake.add_fault(FaultRule(kind="access_denied", service="bedrock-agent", operation=operation, skip=skip))
    inv = _collect(fake)
    (error,) = inv.errors
    assert (error.service, error.operation, error.region, error.kind) == (
        "bedrock-agent", "ListIngestionJobs", REGION, "access_denied")
    # The fake lists the knowledge bases newest first, then by id descending: KBBBBBBBBB first.
    expected = {"ListKnowledgeBases": [], "ListDataSources": ["KBBBBBBBBB/DS22222222/JOBBBBBBBB"],
                "ListIngestionJobs": ["KBBBBBBBBB/DS22222222/JOBBBBBBBB"]}[operation]
    assert [j.job_id for j in inv.jobs] == expected
    (stream,) = inv.streams
    assert stream.state == "failed" and stream.jobs == len(expected)


def test_stream_pages_walks_parents_first_and_marks_their_pages(fake):
    _serve(fake, [kb("KBAAAAAAAA", "docs")], [ds("KBAAAAAAAA", "DS11111111", "s3-docs")],
           [job("KBAAAAAAAA", "DS11111111", "JOBAAAAAAA", "COMPLETE", t(2024, 6, 1))])
    spec = get_spec("bedrock-agent", "ListIngestionJobs")
    client = fake.client("bedrock-agent", region_name=REGION)
    pages = list(stream_pages(client, spec, page_plan(spec.service, spec.operation), {}))
    assert [type(p).__name__ for p in pages] == ["ParentPage", "ParentPage", "dict"]
    assert [sorted(k for k in p if k != "ResponseMetadata") for p in pages] == [
        ["knowledgeBaseSummaries"], ["dataSourceSummaries"], ["ingestionJobSummaries"]]
