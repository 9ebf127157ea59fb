"""collect / iter_jobs against the fake over real HTTP: complete, exact, ordered, at the fewest calls."""
from __future__ import annotations

import boto3
import pytest

import jobinventory
from jobinventory import ConfigurationError, JobStatus, collect, iter_jobs
from jobinventory.collector import JobIterator, Progress
from jobinventory.inventory import sort_key
from jobinventory.registry import all_specs

from .conftest import A1, A2, REGIONS, SERVICES, by_stream, expected_jobs, lower_bound, session_for

ALL_OPS = sorted(all_specs())


def test_four_services_three_regions_two_accounts_complete_and_exact(seeded):
    inv = collect(accounts=[session_for(A1), session_for(A2)], regions=list(REGIONS), endpoint_url=seeded.url)

    assert inv.errors == [] and inv.complete
    assert {j.service for j in inv.jobs} == set(SERVICES)
    assert inv.jobs == expected_jobs(seeded)
    assert len(inv.streams) == len(ALL_OPS) * len(REGIONS) * 2
    assert all(s.state == "answered" for s in inv.streams)
    streams = by_stream(inv.streams)
    for service, operation, region, account in seeded.streams():
        if (service, operation) not in all_specs():  # the walk's parents: listed within its stream
            continue
        result = streams[(account, region, service, operation)]
        calls = 1
        if operation == "ListIngestionJobs":  # 1 + one per knowledge base + one per data source
            calls += len(seeded.jobs(service, "ListKnowledgeBases", region=region, account_id=account))
            calls += len(seeded.jobs(service, "ListDataSources", region=region, account_id=account))
        assert result.jobs == 6 and result.pages == result.calls == calls
    assert {j.account_id for j in inv.jobs} == {A1, A2}
    assert {j.region for j in inv.jobs} == set(REGIONS)


def test_order_is_the_contracts_and_identical_across_runs(seeded):
    first = collect(accounts=[session_for(A1), session_for(A2)], regions=list(REGIONS), endpoint_url=seeded.url)
    second = collect(accounts=[session_for(A2), session_for(A1)], regions=list(reversed(REGIONS)),
                     endpoint_url=seeded.url, max_workers=3)
    assert first.jobs == sorted(first.jobs, key=sort_key)
    assert [(j.service, j.job_id) for j in first.jobs] == [(j.service, j.job_id) for j in second.jobs]
    assert first.jobs == second.jobs
    assert first.streams == second.streams


def test_calls_at_the_lower_bound(fake):
    sizes = {
        ("forecast", "ListDatasetImportJobs"): 250,   # 100 a page: 3 calls
        ("personalize", "ListBatchInferenceJobs"): 100,  # exactly one full page: 1 call
        ("dataexchange", "ListJobs"): 401,            # 200 a page: 3 calls
        ("bedrock", "ListModelCustomizationJobs"): 1001,  # 1000 a page: 2 calls
    }
    for (service, operation), n in sizes.items():
        fake.seed([(service, operation)], regions=["us-west-2"], jobs_per_stream=n)
    inv = collect(operations=[f"{s}:{o}" for s, o in sizes] + ["bedrock:ListModelImportJobs"],
                  regions=["us-west-2"], endpoint_url=fake.url)

    assert inv.errors == []
    assert len(inv.jobs) == sum(sizes.values())
    for result in inv.streams:
        n = sizes.get((result.service, result.operation), 0)
        bound = lower_bound(result.service, result.operation, n)
        logged = fake.count(service=result.service, operation=result.operation, region="us-west-2")
        assert (result.calls, result.pages, logged) == (bound, bound, bound), result


def test_personalize_data_deletion_jobs_page_through_the_generic_loop(fake):
    from jobinventory.paging import page_plan

    assert not page_plan("personalize", "ListDataDeletionJobs").paginated  # botocore has no paginator
    fake.seed([("personalize", "ListDataDeletionJobs")], regions=["eu-west-1"], jobs_per_stream=230)
    inv = collect(operations=["personalize:ListDataDeletionJobs"], regions=["eu-west-1"], endpoint_url=fake.url)

    assert inv.errors == []
    assert inv.jobs == expected_jobs(fake)
    [result] = inv.streams
    assert result.calls == result.pages == 3 == fake.count(operation="ListDataDeletionJobs")


def test_jobs_equal_plain_boto3_paginators_then_normalize(fake):
    """The private session's fast timestamp parser gives the very Jobs boto3's default parsing gives."""
    fake.seed(None, regions=["us-east-1"], jobs_per_stream=40, seed=5)
    inv = collect(regions=["us-east-1"], endpoint_url=fake.url)
    plain = []
    for service, operation in ALL_OPS:
        client = fake.client(service, "us-east-1")
        spec = all_specs()[(service, operation)]
        from jobinventory.paging import page_plan
        from jobinventory.walk import ParentPage, stream_pages

        for page in stream_pages(client, spec, page_plan(service, operation), {}):
            if isinstance(page, ParentPage):  # a knowledge base or data source page of the walk
                continue
            for summary in page[spec.list_key]:
                plain.append(jobinventory.normalize(service, operation, summary, region="us-east-1",
                                                    account_id=fake.default_account_id))
    assert inv.jobs == sorted(plain, key=sort_key)
    assert all(j.created_at.tzinfo is not None and j.created_at.utcoffset().total_seconds() == 0 for j in inv.jobs)


def test_the_callers_session_is_not_changed(seeded):
    session = boto3.Session(region_name="us-east-1")
    factory = session._session.get_component("response_parser_factory")
    defaults = dict(factory._defaults)
    collect(session, services=["forecast"], regions=["us-east-1"], endpoint_url=seeded.url)
    assert session._session.get_component("response_parser_factory") is factory
    assert factory._defaults == defaults


def test_iter_jobs_streams_the_same_jobs_and_fills_errors_and_streams(seeded):
    events = []
    it = iter_jobs(accounts=[session_for(A1)], regions=["us-east-1", "eu-west-1"], endpoint_url=seeded.url,
                   progress=events.append)
    assert isinstance(it, JobIterator)
    jobs = list(it)
    assert it.finished and it.complete and it.errors == []
    assert len(it.streams) == len(ALL_OPS) * 2
    expected = [j for j in expected_jobs(seeded) if j.account_id == A1 and j.region in ("us-east-1", "eu-west-1")]
    assert sorted(jobs, key=sort_key) == expected
    assert isinstance(events[-1], Progress)
    assert events[-1].streams_done == events[-1].streams_total == len(it.streams)
    assert events[-1].jobs == len(expected) and events[-1].errors == 0


def test_iter_jobs_can_stop_early(seeded):
    with iter_jobs(regions=list(REGIONS), endpoint_url=seeded.url, accounts=[session_for(A2)], max_workers=2) as it:
        first = next(it)
    assert first.account_id == A2
    assert not it.finished


def test_a_job_seen_twice_is_kept_once_the_newest(fake):
    import datetime as dt

    fake.seed([("forecast", "ListDatasetImportJobs")], regions=["us-east-1"], jobs_per_stream=3)
    original = fake.jobs("forecast", "ListDatasetImportJobs")[1]
    newer = dict(original, Status="ACTIVE",
                 LastModificationTime=original["LastModificationTime"] + dt.timedelta(minutes=5))
    fake.add_jobs("forecast", "ListDatasetImportJobs", [newer], region="us-east-1")
    inv = collect(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"], endpoint_url=fake.url)
    assert len(inv.jobs) == 3
    kept = [j for j in inv.jobs if j.arn == original["DatasetImportJobArn"]]
    assert len(kept) == 1 and kept[0].updated_at == newer["LastModificationTime"]
    assert inv.streams[0].jobs == 3
    streamed = list(iter_jobs(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"],
                              endpoint_url=fake.url))
    assert len(streamed) == 3


def test_statuses_accept_names_and_members(seeded):
    by_name = collect(statuses=["failed", "Running"], services=["bedrock"], regions=["us-west-2"],
                      accounts=[session_for(A1)], endpoint_url=seeded.url)
    by_member = collect(statuses=[JobStatus.FAILED, JobStatus.RUNNING], services=["bedrock"],
                        regions=["us-west-2"], accounts=[session_for(A1)], endpoint_url=seeded.url)
    assert by_name.jobs == by_member.jobs
    assert {j.status for j in by_name.jobs} <= {JobStatus.FAILED, JobStatus.RUNNING}


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        (dict(regions=["us-east-1", "moon-central-1"]), "moon-central-1"),
        (dict(regions="mars-1"), "mars-1"),
        (dict(services=["s3"]), "covered services: bedrock, bedrock-agent, bedrock-runtime, dataexchange, forecast, personalize"),
        (dict(operations=["ListNothing"]), "ListNothing"),
        (dict(operations=["forecast:ListNothing"]), "ListDatasetImportJobs"),
        (dict(statuses=["DONE"]), "SUCCEEDED"),
        (dict(since="not a time"), "since"),
        (dict(since="2024-02-01", until="2024-01-01"), "before until"),
        (dict(accounts=["not-an-arn"]), "role ARN"),
        (dict(max_workers=0), "max_workers"),
        (dict(retry_mode="eager"), "retry_mode"),
    ],
)
def test_bad_arguments_raise_configuration_error_before_any_call(fake, kwargs, needle):
    with pytest.raises(ConfigurationError, match=None) as info:
        collect(endpoint_url=fake.url, **kwargs)
    assert needle in str(info.value)
    assert fake.requests == []


def test_lazy_exports_from_the_package():
    from jobinventory import collector

    assert jobinventory.collect is collector.collect
    assert jobinventory.iter_jobs is collector.iter_jobs
    assert jobinventory.Inventory is collector.Inventory
    assert jobinventory.StreamResult is collector.StreamResult


def test_sort_jobs_is_the_contract_order_ties_and_microseconds_included():
    import datetime as dt
    import random

    from jobinventory.inventory import sort_jobs, sort_key
    from jobinventory.model import Job, JobStatus, make_job

    base = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
    rng = random.Random(7)

    def job(i: int) -> Job:
        created = base + dt.timedelta(seconds=rng.randint(0, 30), microseconds=rng.choice([0, 1, 2]))
        service = rng.choice(["bedrock", "forecast", "personalize"])
        return make_job(service, "ListX", "t", f"id-{rng.randint(0, 99):02d}-{i}", None, None, JobStatus.RUNNING,
                        "RUNNING", created, None, None, "us-east-1", "123456789012", None, None, None, {})

    jobs = [job(i) for i in range(3000)]
    got = sort_jobs(jobs)
    assert got == sorted(jobs, key=sort_key)
    for newer, older in zip(got, got[1:]):
        assert (newer.created_at > older.created_at
                or (newer.created_at == older.created_at
                    and (newer.service, newer.job_id) < (older.service, older.job_id)))
    assert sort_jobs([]) == []
