"""Amazon Personalize job lists (JSON 1.1; epoch-second timestamps; status words with spaces)."""
from __future__ import annotations

from .base import OperationSpec, Pushdown

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
# Batch inference and batch segment jobs: "The status is one of the following
# values: PENDING IN PROGRESS ACTIVE CREATE FAILED". The CREATE-prefixed forms
# of the other Personalize jobs match the same shared words.
PERSONALIZE_BATCH_STATUSES = ("PENDING", "IN PROGRESS", "ACTIVE", "CREATE FAILED")
# Data deletion jobs: "PENDING > IN_PROGRESS > COMPLETED -or- FAILED".
PERSONALIZE_DATA_DELETION_STATUSES = ("PENDING", "IN_PROGRESS", "COMPLETED", "FAILED")
# Solution versions (training runs): the create states, and the two of
# StopSolutionVersionCreation ("CREATE_STOPPING > CREATE_STOPPED").
PERSONALIZE_TRAINING_STATUSES = PERSONALIZE_CREATE_STATUSES[:4] + ("CREATE STOPPING", "CREATE STOPPED")


def _personalize(operation: str, noun: str, job_type: str, statuses=PERSONALIZE_CREATE_STATUSES, **fields: object) -> OperationSpec:
    """Personalize summaries: <noun>Arn, jobName, status, creationDateTime, lastUpdatedDateTime, failureReason."""
    defaults: dict = dict(
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
    )
    return OperationSpec(
        service="personalize", operation=operation, list_key=noun + "s", job_type=job_type, **{**defaults, **fields}
    )


SPECS = (
    _personalize(
        "ListDatasetImportJobs",
        "datasetImportJob",
        "dataset_import",
        description="Imports of interactions, items or users from S3 into a Personalize dataset",
    ),
    _personalize(
        "ListDatasetExportJobs",
        "datasetExportJob",
        "dataset_export",
        # The summary names neither the dataset nor the S3 output: both are
        # only in DescribeDatasetExportJob.
        description="Exports of a Personalize dataset's data to S3",
    ),
    _personalize(
        "ListBatchInferenceJobs",
        "batchInferenceJob",
        "batch_inference",
        PERSONALIZE_BATCH_STATUSES,
        # solutionVersionArn (the model the job runs) stays in details: it is
        # not where the job reads its input (S3, only in the Describe call).
        description="Batch recommendations from a solution version, S3 to S3",
    ),
    _personalize(
        "ListBatchSegmentJobs",
        "batchSegmentJob",
        "batch_segment",
        PERSONALIZE_BATCH_STATUSES,
        description="Batch user segments from a solution version, S3 to S3",
    ),
    _personalize(
        "ListDataDeletionJobs",
        "dataDeletionJob",
        "data_deletion",
        PERSONALIZE_DATA_DELETION_STATUSES,
        # The dataset group is what the job changes: it deletes records there.
        destination="datasetGroupArn",
        # "ordered by creation time, with the most recent first". (It takes a
        # nextToken but botocore has no paginator for it.)
        pushdown=Pushdown(newest_first=True),
        description="Deletions of users' records from a Personalize dataset group",
    ),
    _personalize(
        "ListSolutionVersions",
        "solutionVersion",
        "solution_version",
        PERSONALIZE_TRAINING_STATUSES,
        # A training run has no name of its own (its solution has, only in
        # DescribeSolutionVersion). trainingMode (FULL, UPDATE, AUTOTRAIN) and
        # trainingType (AUTOMATIC, MANUAL) stay in details.
        name=None,
        description="Training runs: the creation of a Personalize solution version",
    ),
)
