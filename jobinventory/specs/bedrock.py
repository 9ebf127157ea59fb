"""Amazon Bedrock job lists (REST-JSON; ISO 8601 timestamps; server-side filters)."""
from __future__ import annotations

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

SPECS = (
    OperationSpec(
        service="bedrock",
        operation="ListModelImportJobs",
        list_key="modelImportJobSummaries",
        job_type="model_import",
        arn="jobArn",
        id=None,
        name="jobName",
        status="status",
        created="creationTime",
        updated="lastModifiedTime",
        ended="endTime",
        destination="importedModelArn",
        pushdown=_FILTERS,
        description="Imports of custom model weights into Bedrock",
    ),
    OperationSpec(
        service="bedrock",
        operation="ListModelCustomizationJobs",
        list_key="modelCustomizationJobSummaries",
        job_type="model_customization",
        arn="jobArn",
        id=None,
        name="jobName",
        status="status",
        created="creationTime",
        updated="lastModifiedTime",
        ended="endTime",
        # The job trains the base model into a custom model. (Its training
        # data is only in GetModelCustomizationJob.) statusDetails, the status
        # of each stage, stays in details.
        source="baseModelArn",
        destination="customModelArn",
        pushdown=_FILTERS,
        description="Fine-tuning, continued pre-training and distillation of Bedrock models",
    ),
    OperationSpec(
        service="bedrock",
        operation="ListModelInvocationJobs",
        list_key="invocationJobSummaries",
        job_type="model_invocation",
        arn="jobArn",
        id=None,
        name="jobName",
        status="status",
        # A batch inference job is created by its submission; it has no
        # creationTime of its own.
        created="submitTime",
        updated="lastModifiedTime",
        ended="endTime",
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
    OperationSpec(
        service="bedrock",
        operation="ListEvaluationJobs",
        list_key="jobSummaries",
        job_type="evaluation",
        arn="jobArn",
        id=None,
        name="jobName",
        status="status",
        # The summary has no last-modified or end time: those are only in
        # GetEvaluationJob, so ended_at stays unknown here.
        created="creationTime",
        # `jobType` (Human or Automated) is Bedrock's word and stays in
        # details; it is not the Job's job_type.
        pushdown=_FILTERS,
        description="Evaluations of Bedrock models and knowledge bases",
    ),
    OperationSpec(
        service="bedrock",
        operation="ListModelCopyJobs",
        list_key="modelCopyJobSummaries",
        job_type="model_copy",
        arn="jobArn",
        id=None,
        # A copy job has no name of its own. `name` is targetModelName: the
        # name the user gave the copy when starting the job
        # (CreateModelCopyJob.targetModelName), so it tells one job from
        # another, unlike sourceModelName which every copy of a model shares;
        # and it is what the API filters on (targetModelNameContains), so a
        # name filter means the same pushed down or applied on the client.
        name="targetModelName",
        status="status",
        created="creationTime",
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
    OperationSpec(
        service="bedrock",
        operation="ListAdvancedPromptOptimizationJobs",
        list_key="jobSummaries",
        job_type="advanced_prompt_optimization",
        arn="jobArn",
        id=None,
        name="jobName",
        status="jobStatus",
        created="creationTime",
        # No end time is documented; lastModifiedTime is not documented as one.
        updated="lastModifiedTime",
        # The API filters on nothing; it only sorts.
        pushdown=Pushdown(newest_first_params=_NEWEST_FIRST, newest_first=True),
        description="Advanced prompt optimization jobs",
    ),
)
