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
)
