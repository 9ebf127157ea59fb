"""Amazon Personalize job lists (JSON 1.1; epoch-second timestamps; status words with spaces)."""
from __future__ import annotations

from .base import OperationSpec

# "CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED", and the
# delete states the Personalize API reference gives for its resources.
PERSONALIZE_CREATE_STATUSES = (
    "CREATE PENDING",
    "CREATE IN_PROGRESS",
    "ACTIVE",
    "CREATE FAILED",
    "DELETE PENDING",
    "DELETE IN_PROGRESS",
)


def _personalize(operation: str, noun: str, job_type: str, statuses=PERSONALIZE_CREATE_STATUSES, **paths: object) -> OperationSpec:
    """Personalize summaries: <noun>Arn, jobName, status, creationDateTime, lastUpdatedDateTime, failureReason."""
    return OperationSpec(
        service="personalize",
        operation=operation,
        list_key=noun + "s",
        job_type=job_type,
        arn=f"{noun}Arn",
        id=None,
        name="jobName",
        status="status",
        created="creationDateTime",
        updated="lastUpdatedDateTime",
        # A job's last update is its move to ACTIVE or CREATE FAILED.
        ended_from_updated_when_terminal=True,
        message="failureReason",
        documented_statuses=statuses,
        **paths,  # type: ignore[arg-type]
    )


SPECS = (
    _personalize(
        "ListDatasetImportJobs",
        "datasetImportJob",
        "dataset_import",
        description="Imports of interactions, items or users from S3 into a Personalize dataset",
    ),
)
