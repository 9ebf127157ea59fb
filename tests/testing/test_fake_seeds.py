"""Generated jobs are realistic and are something AWS could send; add_jobs refuses what it could not."""
from __future__ import annotations

import collections
import datetime as dt
import re

import botocore.validate
import pytest

from jobinventory.testing import ANCHOR, FakeJobServer, all_operations, generate, seed_demo
from jobinventory.testing.seeds import DEMO_REGIONS, generate_entries, status_class
from jobinventory.testing.validation import summary_problems

from .conftest import ALL_OPS, by_op

UTC = dt.timezone.utc

# Model patterns that do not describe what the services send, and why.
PATTERN_EXEMPT = {
    "RoleArn": "Forecast's S3Config.RoleArn reuses the forecast Arn shape; the value is an IAM role ARN",
    "CatalogId": "Data Exchange's AwsAccountId pattern '.*/^[\\d]{12}$/.*' is malformed",
    "PredictorArn": "Forecast's ForecastSummary reuses a Name shape ('^[a-zA-Z0-9\\_]+$') for the predictor's ARN",
    "DatasetGroupArn": "Forecast's ForecastSummary reuses a Name shape for the dataset group's ARN",
}
MESSAGE = {"forecast": "Message", "personalize": "failureReason", "dataexchange": "Errors",
           "bedrock-runtime": "failureMessage"}
ARN = {
    ("forecast", "ListDatasetImportJobs"): r"arn:aws:forecast:{r}:{a}:dataset-import-job/[a-z_]+/[a-z_0-9]+",
    ("forecast", "ListForecastExportJobs"): r"arn:aws:forecast:{r}:{a}:forecast-export-job/\w+/\w+",
    ("forecast", "ListPredictorBacktestExportJobs"): r"arn:aws:forecast:{r}:{a}:predictor-backtest-export-job/\w+/\w+",
    ("forecast", "ListExplainabilityExports"): r"arn:aws:forecast:{r}:{a}:explainability-export/\w+/\w+",
    ("forecast", "ListWhatIfForecastExports"): r"arn:aws:forecast:{r}:{a}:what-if-forecast-export/\w+/\w+",
    ("personalize", "ListDatasetImportJobs"): r"arn:aws:personalize:{r}:{a}:dataset-import-job/[\w-]+",
    ("personalize", "ListDatasetExportJobs"): r"arn:aws:personalize:{r}:{a}:dataset-export-job/[\w-]+",
    ("personalize", "ListBatchInferenceJobs"): r"arn:aws:personalize:{r}:{a}:batch-inference-job/[\w-]+",
    ("personalize", "ListBatchSegmentJobs"): r"arn:aws:personalize:{r}:{a}:batch-segment-job/[\w-]+",
    ("personalize", "ListDataDeletionJobs"): r"arn:aws:personalize:{r}:{a}:data-deletion-job/[\w-]+",
    ("dataexchange", "ListJobs"): r"arn:aws:dataexchange:{r}:{a}:jobs/[0-9a-f]{{32}}",
    ("bedrock", "ListModelImportJobs"): r"arn:aws:bedrock:{r}:{a}:model-import-job/[a-z0-9]{{12}}",
    ("bedrock", "ListModelCustomizationJobs"): r"arn:aws:bedrock:{r}:{a}:model-customization-job/[\w.:-]+/[a-z0-9]{{12}}",
    ("bedrock", "ListModelInvocationJobs"): r"arn:aws:bedrock:{r}:{a}:model-invocation-job/[a-z0-9]{{12}}",
    ("bedrock", "ListEvaluationJobs"): r"arn:aws:bedrock:{r}:{a}:evaluation-job/[a-z0-9]{{12}}",
    ("bedrock", "ListModelCopyJobs"): r"arn:aws:bedrock:{r}:{a}:model-copy-job/[a-z0-9]{{12}}",
    ("bedrock", "ListAdvancedPromptOptimizationJobs"):
        r"arn:aws:bedrock:{r}:{a}:advanced-prompt-optimization-job/[a-z0-9]{{12}}",
    ("personalize", "ListSolutionVersions"): r"arn:aws:personalize:{r}:{a}:solution/[\w-]+/[0-9a-f]{{8}}",
    ("forecast", "ListPredictors"): r"arn:aws:forecast:{r}:{a}:predictor/\w+",
    ("forecast", "ListForecasts"): r"arn:aws:forecast:{r}:{a}:forecast/\w+",
    ("forecast", "ListExplainabilities"): r"arn:aws:forecast:{r}:{a}:explainability/\w+",
    ("forecast", "ListWhatIfForecasts"): r"arn:aws:forecast:{r}:{a}:what-if-forecast/\w+/\w+",
    ("bedrock-runtime", "ListAsyncInvokes"): r"arn:aws:bedrock:{r}:{a}:async-invoke/[a-z0-9]{{12}}",
}


def _patterns(shape, value, path=""):
    """(path, value, pattern) for every string that misses its model pattern."""
    t = shape.type_name
    if t == "structure":
        for k, v in value.items():
            yield from _patterns(shape.members[k], v, k)
    elif t == "list":
        for v in value:
            yield from _patterns(shape.member, v, path)
    elif t == "string" and shape.metadata.get("pattern") and path not in PATTERN_EXEMPT:
        pattern = shape.metadata["pattern"].replace(r"\p{ASCII}", r"[\x00-\x7F]")
        if not re.fullmatch(pattern, value):
            yield path, value, pattern


@pytest.fixture(scope="module")
def samples():
    return {(s.service, s.operation): generate(s.service, s.operation, 400, region="eu-west-1",
                                               account_id="111122223333", seed=3) for s in ALL_OPS}


@by_op
def test_seeds_are_what_aws_could_send(spec, samples, botocore_valid):
    jobs = samples[(spec.service, spec.operation)]
    validator = botocore.validate.ParamValidator()
    for job in jobs:
        assert summary_problems(spec.summary_shape, job) == []
        report = validator.validate(job, spec.summary_shape)
        assert not report.has_errors(), report.generate_report()
        assert list(_patterns(spec.summary_shape, job)) == []
    botocore_valid(spec.service, spec.operation, {spec.result_key: jobs[:5]})  # the project's own check


@by_op
def test_seeds_look_real(spec, samples):
    jobs = samples[(spec.service, spec.operation)]
    arn = re.compile(ARN[(spec.service, spec.operation)].format(r="eu-west-1", a="111122223333"))
    assert all(arn.fullmatch(j[spec.key]) for j in jobs)
    assert len({j[spec.key] for j in jobs}) == len(jobs)
    if spec.name:
        assert len({j[spec.name] for j in jobs}) == len(jobs)
    statuses = collections.Counter(j[spec.status] for j in jobs)
    assert set(statuses) <= set(spec.statuses)
    classes = collections.Counter(status_class(s) for s in statuses.elements())
    assert classes["succeeded"] > classes["failed"] > 0 and classes["active"] > 0
    created = [j[spec.created] for j in jobs]
    assert created == sorted(created, reverse=True)  # newest first
    assert ANCHOR - dt.timedelta(days=181) < min(created) and max(created) <= ANCHOR
    members = spec.summary_shape.members
    for job in jobs:
        klass = status_class(job[spec.status])
        times = {k: v for k, v in job.items() if isinstance(v, dt.datetime)}
        assert all(v.tzinfo is not None and v.utcoffset() == dt.timedelta(0) for v in times.values())
        later = [v for k, v in times.items() if k in ("LastModificationTime", "lastUpdatedDateTime",
                                                         "lastModifiedTime", "UpdatedAt", "endTime")]
        assert all(job[spec.created] <= v <= ANCHOR for v in later)
        if "endTime" in members:
            assert ("endTime" in job) == (klass not in ("active", "deleting"))
        if klass == "failed" and spec.service in MESSAGE and job[spec.status] != "TIMED_OUT":
            assert job.get(MESSAGE[spec.service])
        if klass != "failed" and spec.service in MESSAGE:
            assert MESSAGE[spec.service] not in job


def test_s3_locations_and_parents(samples):
    for spec in ALL_OPS[:5]:  # Forecast: where each job reads or writes
        for job in samples[(spec.service, spec.operation)]:
            s3 = (job.get("DataSource") or job.get("Destination"))["S3Config"]
            assert re.fullmatch(r"s3://acme-forecast-111122223333-eu-west-1/[\w/.-]+", s3["Path"])
    for job in samples[("bedrock", "ListModelInvocationJobs")]:
        assert job["inputDataConfig"]["s3InputDataConfig"]["s3Uri"].endswith(".jsonl")
    summaries, parents = generate_entries("personalize", "ListDatasetImportJobs", 50, seed=1)
    assert all(re.fullmatch(r"arn:aws:personalize:us-east-1:123456789012:dataset/[\w-]+/(INTERACTIONS|ITEMS|USERS)", p)
               for p in parents)
    assert len(set(parents)) > 1


def test_data_exchange_details_variants(samples):
    jobs = samples[("dataexchange", "ListJobs")] + generate("dataexchange", "ListJobs", 600, seed=8)
    seen = collections.Counter(j["Type"] for j in jobs)
    model_types = set(ALL_OPS[10].summary_shape.members["Type"].enum)
    assert set(seen) == model_types
    for job in jobs:
        (key, details), = job["Details"].items()
        assert key.lower() == job["Type"].replace("_", "").lower()
        assert re.fullmatch(r"[0-9a-f]{32}", details["DataSetId"])
        if key == "ExportAssetToSignedUrl":
            assert "X-Amz-Signature=" in details["SignedUrl"] and details["SignedUrlExpiresAt"] > job["CreatedAt"]
        if key == "ImportAssetFromApiGatewayApi":
            assert len(details["ApiKey"]) == 40 and "X-Amz-Signature=" in details["ApiSpecificationUploadUrl"]
        assert ("Errors" in job) == (job["State"] == "ERROR")
    errors = collections.Counter(e["Code"] for j in jobs for e in j.get("Errors", ()))
    assert len(errors) >= 3


def test_generation_is_deterministic():
    one = generate("bedrock", "ListModelInvocationJobs", 30, seed=5, region="us-west-2")
    assert one == generate("bedrock", "ListModelInvocationJobs", 30, seed=5, region="us-west-2")
    assert one != generate("bedrock", "ListModelInvocationJobs", 30, seed=6, region="us-west-2")
    assert one != generate("bedrock", "ListModelInvocationJobs", 30, seed=5, region="eu-west-1")
    now = dt.datetime(2030, 1, 1, tzinfo=UTC)
    later = generate("bedrock", "ListModelInvocationJobs", 30, seed=5, region="us-west-2", now=now)
    assert max(j["submitTime"] for j in later) > ANCHOR


def test_demo_inventory():
    with FakeJobServer() as fake:
        count = seed_demo(fake)
        assert 200 <= count <= 500
        streams = fake.streams()
        assert {s for s, _, _, _ in streams} == {"forecast", "personalize", "dataexchange", "bedrock",
                                                 "bedrock-runtime", "bedrock-agent"}
        assert {r for _, _, r, _ in streams} == set(DEMO_REGIONS)
        assert {a for _, _, _, a in streams} == {fake.default_account_id}
        jobs = [(spec, j) for spec in all_operations() for r in DEMO_REGIONS
                for j in fake.jobs(spec.service, spec.operation, region=r)]
        assert len(jobs) == count
        classes = collections.Counter(status_class(j[spec.status]) for spec, j in jobs)
        assert classes["failed"] >= 20 and classes["active"] >= 10 and classes["succeeded"] >= 100
        assert fake.accounts.region_status("ap-east-1", fake.default_account_id) == "not-opted-in"
        assert fake.accounts.region_status("eu-west-1", fake.default_account_id) == "opt-in-not-required"
    with FakeJobServer() as again:
        assert seed_demo(again) == count


def test_seeding_a_hundred_thousand_jobs_is_cheap():
    """No timing assertion; a smoke test that the bulk path works at scale."""
    with FakeJobServer() as fake:
        assert fake.seed([("personalize", "ListBatchSegmentJobs")], jobs_per_stream=100_000) == 100_000
        page = fake.client("personalize").list_batch_segment_jobs()
        assert len(page["batchSegmentJobs"]) == 100 and "nextToken" in page


class TestAddJobsValidation:
    spec = ALL_OPS[11]  # bedrock ListModelImportJobs

    def _job(self, **changes):
        job = generate("bedrock", "ListModelImportJobs", 1, seed=1)[0]
        job.update(changes)
        return {k: v for k, v in job.items() if v is not None}

    @pytest.mark.parametrize("changes,complaint", [
        ({"colour": "red"}, "colour: unknown member"),
        ({"jobArn": None}, "jobArn: required member missing"),
        ({"status": "Done"}, "status: 'Done' is not one of"),
        ({"creationTime": "2024-01-01T00:00:00Z"}, "creationTime: expected timestamp"),
        ({"creationTime": dt.datetime(2024, 1, 1)}, "creationTime: naive datetime"),
        ({"jobName": ""}, "jobName: length 0 is below the minimum 1"),
        ({"jobName": 7}, "jobName: expected string"),
    ])
    def test_refuses_what_aws_could_not_send(self, changes, complaint):
        with FakeJobServer() as fake, pytest.raises(ValueError) as info:
            fake.add_jobs("bedrock", "ListModelImportJobs", [self._job(), self._job(**changes)])
        assert complaint in str(info.value) and "summary #1" in str(info.value)
        assert fake.job_count() == 0

    def test_validate_false_serves_tomorrows_status(self):
        with FakeJobServer() as fake:
            fake.add_jobs("bedrock", "ListModelImportJobs", [self._job(status="Paused")], validate=False)
            jobs = fake.client("bedrock").list_model_import_jobs()["modelImportJobSummaries"]
            assert jobs[0]["status"] == "Paused"

    def test_parent_arns_must_line_up(self):
        with FakeJobServer() as fake, pytest.raises(ValueError, match="one per summary"):
            fake.add_jobs("bedrock", "ListModelImportJobs", [self._job()], parent_arn=["a", "b"])
