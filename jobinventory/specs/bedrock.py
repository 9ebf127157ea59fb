"""Amazon Bedrock job lists (REST-JSON; ISO 8601 timestamps; server-side filters)."""
from __future__ import annotations

from typing import Any

from .base import OperationSpec, Pushdown

_NEWEST_FIRST = {"sortBy": "CreationTime", "sortOrder": "Descending"}
_FILTERS = Pushdown(
    status_param="statusEquals",
    name_contains_param="nameContains",
    created_after_param="creationTimeAfter",
    created_before_param="creationTimeBefore",
    newest_first_params=_NEWEST_FIRST,
    newest_first=True,
)


def _bedrock(operation: str, list_key: str, job_type: str, **fields: Any) -> OperationSpec:
    """Bedrock summaries share jobArn, jobName, status and creationTime, and most the filters."""
    defaults = dict(arn="jobArn", id=None, name="jobName", status="status", created="creationTime", pushdown=_FILTERS)
    return OperationSpec(
        service="bedrock", operation=operation, list_key=list_key, job_type=job_type, **{**defaults, **fields}
    )


SPECS = (
    _bedrock(
        "ListModelImportJobs",
        "modelImportJobSummaries",
        "model_import",
        updated="lastModifiedTime",
        ended="endTime",
        destination="importedModelArn",
        description="Imports of custom model weights into Bedrock",
    ),
    _bedrock(
        "ListModelCustomizationJobs",
        "modelCustomizationJobSummaries",
        "model_customization",
        updated="lastModifiedTime",
        ended="endTime",
        # The job trains the base model into a custom model. (Its training
        # data is only in GetModelCustomizationJob.) statusDetails, the status
        # of each stage, stays in details.
        source="baseModelArn",
        destination="customModelArn",
        description="Fine-tuning, continued pre-training and distillation of Bedrock models",
    ),
    _bedrock(
        "ListModelInvocationJobs",
        "invocationJobSummaries",
        "model_invocation",
        # A batch inference job is created by its submission; it has no
        # creationTime of its own.
        created="submitTime",
        updated="lastModifiedTime",
        ended="endTime",
        # An Expired job never ran to an end: it ended when it expired.
        ended_fallbacks={"Expired": "jobExpirationTime"},
        message="message",
        source=("inputDataConfig", "s3InputDataConfig", "s3Uri"),
        destination=("outputDataConfig", "s3OutputDataConfig", "s3Uri"),
        # The record counts, jobExpirationTime and timeoutDurationInHours stay
        # in details, as every member no Job field takes does.
        pushdown=Pushdown(
            status_param="statusEquals",
            name_contains_param="nameContains",
            created_after_param="submitTimeAfter",
            created_before_param="submitTimeBefore",
            # SortJobsBy has the one value CreationTime (the API reference:
            # "Valid Values: CreationTime"); for these jobs it is the
            # submission time, which is created_at.
            newest_first_params=_NEWEST_FIRST,
            newest_first=True,
        ),
        description="Batch inference: a Bedrock model run over S3 input records",
    ),
    _bedrock(
        "ListEvaluationJobs",
        "jobSummaries",
        "evaluation",
        # The summary has no last-modified or end time: those are only in
        # GetEvaluationJob, so ended_at stays unknown here.
        # `jobType` (Human or Automated) is Bedrock's word and stays in
        # details; it is not the Job's job_type.
        description="Evaluations of Bedrock models and knowledge bases",
    ),
    _bedrock(
        "ListModelCopyJobs",
        "modelCopyJobSummaries",
        "model_copy",
        # A copy job has no name of its own. `name` is targetModelName: the
        # name the user gave the copy when starting the job
        # (CreateModelCopyJob.targetModelName), so it tells one job from
        # another, unlike sourceModelName which every copy of a model shares;
        # and it is what the API filters on (targetModelNameContains), so a
        # name filter means the same pushed down or applied on the client.
        name="targetModelName",
        message="failureMessage",
        source="sourceModelArn",
        destination="targetModelArn",
        pushdown=Pushdown(
            status_param="statusEquals",
            name_contains_param="targetModelNameContains",
            created_after_param="creationTimeAfter",
            created_before_param="creationTimeBefore",
            newest_first_params=_NEWEST_FIRST,
            newest_first=True,
        ),
        description="Copies of custom models from another region or account",
    ),
    _bedrock(
        "ListAdvancedPromptOptimizationJobs",
        "jobSummaries",
        "advanced_prompt_optimization",
        status="jobStatus",
        # No end time is documented; lastModifiedTime is not documented as one.
        updated="lastModifiedTime",
        # The API filters on nothing; it only sorts.
        pushdown=Pushdown(newest_first_params=_NEWEST_FIRST, newest_first=True),
        description="Advanced prompt optimization jobs",
    ),
)
