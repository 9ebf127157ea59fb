import datetime as dt
import pickle

import attrs
import pytest

from jobinventory import Job, JobStatus

UTC = dt.timezone.utc


def make_job(**overrides):
    fields = dict(
        service="forecast",
        operation="ListDatasetImportJobs",
        job_type="dataset_import",
        job_id="arn:aws:forecast:us-east-1:123456789012:dataset-import-job/sales/imp1",
        arn="arn:aws:forecast:us-east-1:123456789012:dataset-import-job/sales/imp1",
        name="imp1",
        status=JobStatus.SUCCEEDED,
        raw_status="ACTIVE",
        created_at=dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        updated_at=dt.datetime(2024, 5, 1, 12, 30, tzinfo=UTC),
        ended_at=dt.datetime(2024, 5, 1, 12, 30, tzinfo=UTC),
        region="us-east-1",
        account_id="123456789012",
        message=None,
        source="s3://bucket/sales.csv",
        destination=None,
        details={"ImportMode": "FULL"},
    )
    fields.update(overrides)
    return Job(**fields)


def test_status_members_are_exactly_the_contracts():
    assert [m.value for m in JobStatus] == [
        "PENDING", "RUNNING", "STOPPING", "STOPPED", "SUCCEEDED", "FAILED", "DELETING", "UNKNOWN",
    ]
    assert issubclass(JobStatus, str) and JobStatus.FAILED == "FAILED"


def test_terminal_and_active_sets():
    assert {s for s in JobStatus if s.is_terminal} == {JobStatus.STOPPED, JobStatus.SUCCEEDED, JobStatus.FAILED}
    assert {s for s in JobStatus if s.is_active} == {
        JobStatus.PENDING, JobStatus.RUNNING, JobStatus.STOPPING, JobStatus.DELETING,
    }
    assert not JobStatus.UNKNOWN.is_terminal and not JobStatus.UNKNOWN.is_active


def test_job_fields_are_the_contracts_in_order():
    assert [a.name for a in attrs.fields(Job)] == [
        "service", "operation", "job_type", "job_id", "arn", "name", "status", "raw_status",
        "created_at", "updated_at", "ended_at", "region", "account_id", "message", "source",
        "destination", "details",
    ]


def test_job_is_frozen_slotted_and_evolvable():
    job = make_job()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        job.name = "other"
    assert not hasattr(job, "__dict__")
    assert attrs.evolve(job, name="other").name == "other"
    assert hash(job) == hash(make_job(details={"different": True}))


def test_duration_needs_both_ends():
    assert make_job().duration == dt.timedelta(minutes=30)
    assert make_job(ended_at=None).duration is None


@pytest.mark.parametrize("field", ["created_at", "updated_at", "ended_at"])
def test_naive_or_non_utc_times_are_refused(field):
    with pytest.raises(ValueError, match=field):
        make_job(**{field: dt.datetime(2024, 5, 1, 12, 0)})
    with pytest.raises(ValueError, match=field):
        make_job(**{field: dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))})


def test_created_at_is_required_and_account_is_twelve_digits():
    with pytest.raises(TypeError):
        make_job(created_at=None)
    with pytest.raises(ValueError, match="account_id"):
        make_job(account_id="1234")


def test_status_is_converted_and_jobs_pickle():
    job = make_job(status="FAILED")
    assert job.status is JobStatus.FAILED
    assert pickle.loads(pickle.dumps(job)) == job
