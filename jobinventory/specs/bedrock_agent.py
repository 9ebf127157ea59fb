"""Amazon Bedrock knowledge-base ingestion jobs (bedrock-agent; REST-JSON; ISO 8601 timestamps).

An ingestion job (a data-source sync) belongs to one data source of one
knowledge base, and ListIngestionJobs needs both ids: the spec declares the
walk ListKnowledgeBases -> ListDataSources -> ListIngestionJobs as data. The
summaries have no ARN, and an ingestion job id is only unique within its
data source, so `job_id` is `<knowledgeBaseId>/<dataSourceId>/<ingestionJobId>`;
region and account come from the stream. botocore's endpoint data lists no
region for `bedrock-agent`: it takes Bedrock's.
"""
from __future__ import annotations

from .base import OperationSpec, ParentList

SPECS = (
    OperationSpec(
        service="bedrock-agent",
        operation="ListIngestionJobs",
        list_key="ingestionJobSummaries",
        job_type="ingestion",
        arn=None,
        id="ingestionJobId",
        id_within=("knowledgeBaseId", "dataSourceId"),
        status="status",
        # A sync starts when it is created (StartIngestionJob): startedAt.
        created="startedAt",
        updated="updatedAt",
        # No end time is documented (updatedAt is "last updated"), and the
        # failure reasons are only in GetIngestionJob: ended_at and message
        # stay unknown. statistics, textReadyAt and description stay in details.
        # The job reads its data source and writes into its knowledge base.
        source="dataSourceId",
        destination="knowledgeBaseId",
        parents=(
            ParentList("ListKnowledgeBases", "knowledgeBaseSummaries", {"knowledgeBaseId": "knowledgeBaseId"}),
            ParentList("ListDataSources", "dataSourceSummaries", {"dataSourceId": "dataSourceId"}),
        ),
        # Its `filters` (STATUS EQ values) and `sortBy` (STARTED_AT) are not
        # used: statuses are checked on the client, as for any stream.
        regions_from="bedrock",
        description="Knowledge-base ingestion (data-source syncs), listed per knowledge base and data source",
    ),
)
