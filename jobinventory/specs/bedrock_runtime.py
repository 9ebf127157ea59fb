"""Amazon Bedrock runtime job lists (REST-JSON; ISO 8601 timestamps; server-side filters).

botocore's endpoint data lists no region for `bedrock-runtime`: it is
offered where Bedrock is, so its streams take Bedrock's regions.
"""
from __future__ import annotations

from .base import OperationSpec, Pushdown

SPECS = (
    OperationSpec(
        service="bedrock-runtime",
        operation="ListAsyncInvokes",
        list_key="asyncInvokeSummaries",
        job_type="async_invoke",
        arn="invocationArn",
        id=None,
        # An invocation has no name; clientRequestToken (its idempotency
        # token) and modelArn (the model it runs) stay in details.
        status="status",
        created="submitTime",
        updated="lastModifiedTime",
        ended="endTime",
        message="failureMessage",
        destination=("outputDataConfig", "s3OutputDataConfig", "s3Uri"),
        pushdown=Pushdown(
            status_param="statusEquals",
            created_after_param="submitTimeAfter",
            created_before_param="submitTimeBefore",
            # SortAsyncInvocationBy has the one value SubmissionTime: created_at.
            newest_first_params={"sortBy": "SubmissionTime", "sortOrder": "Descending"},
            newest_first=True,
        ),
        regions_from="bedrock",
        description="Asynchronous model invocations (StartAsyncInvoke, e.g. video generation), S3 output",
    ),
)
