import pytest

from jobinventory import JobStatus, normalize
from jobinventory.specs.statuses import lookup_status, status_key

CONTRACT_TABLE = {
    JobStatus.PENDING: ["CREATE_PENDING", "PENDING", "WAITING", "Submitted", "Validating", "Scheduled"],
    JobStatus.RUNNING: ["CREATE_IN_PROGRESS", "IN_PROGRESS", "InProgress"],
    JobStatus.STOPPING: ["CREATE_STOPPING", "Stopping"],
    JobStatus.STOPPED: ["CREATE_STOPPED", "Stopped", "CANCELLED"],
    JobStatus.SUCCEEDED: ["ACTIVE", "COMPLETED", "Completed"],
    JobStatus.FAILED: ["CREATE_FAILED", "FAILED", "ERROR", "TIMED_OUT", "Failed", "Expired"],
    JobStatus.DELETING: ["DELETE_PENDING", "DELETE_IN_PROGRESS", "Deleting"],
}


@pytest.mark.parametrize(
    "word,unified", [(w, u) for u, words in CONTRACT_TABLE.items() for w in words]
)
def test_contract_table(word, unified):
    assert lookup_status(word) is unified


@pytest.mark.parametrize(
    "word,unified",
    [
        ("CREATE IN_PROGRESS", JobStatus.RUNNING),  # Personalize
        ("IN PROGRESS", JobStatus.RUNNING),  # Personalize batch jobs
        ("CREATE PENDING", JobStatus.PENDING),
        ("CREATE FAILED", JobStatus.FAILED),
        ("create-in-progress", JobStatus.RUNNING),
        ("in_progress", JobStatus.RUNNING),
        ("  Completed ", JobStatus.SUCCEEDED),
        ("DELETE IN_PROGRESS", JobStatus.DELETING),
    ],
)
def test_matching_ignores_case_spaces_hyphens_underscores(word, unified):
    assert lookup_status(word) is unified


def test_status_key():
    assert status_key("CREATE IN_PROGRESS") == status_key("Create-In-Progress") == "CREATEINPROGRESS"


def test_unknown_status_is_kept_never_raised():
    job = normalize(
        "bedrock",
        "ListModelImportJobs",
        {
            "jobArn": "arn:aws:bedrock:us-west-2:123456789012:model-import-job/abc123def456",
            "jobName": "import",
            "status": "Hibernating",
            "creationTime": "2024-05-01T12:00:00Z",
        },
    )
    assert job.status is JobStatus.UNKNOWN
    assert job.raw_status == "Hibernating"
