"""Jobs for the export tests, built through jobinventory.normalize from raw summaries."""
from __future__ import annotations

from typing import List

import jobinventory
from jobinventory import Job

#: A presigned URL's signature: it must appear in no export.
SECRET = "c0ffee5ecret5ignature"
SIGNED_URL = (
    "https://bucket.s3.amazonaws.com/asset?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    f"&X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature={SECRET}"
)

#: Job names a spreadsheet would run as formulas.
FORMULA_NAMES = ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def sample_jobs() -> List[Job]:
    jobs = [
        jobinventory.normalize("forecast", "ListDatasetImportJobs", {
            "DatasetImportJobArn": "arn:aws:forecast:eu-west-1:123456789012:dataset-import-job/sales/imp-1",
            "DatasetImportJobName": "imp-1",
            "Status": "CREATE_FAILED",
            "Message": "AccessDenied: s3://data/sales.csv, \"quoted\"\nsecond line",
            "CreationTime": "2024-05-01T10:00:00.250Z",
            "LastModificationTime": "2024-05-01T11:30:00Z",
            "DataSource": {"S3Config": {"Path": "s3://data/sales.csv", "RoleArn": "arn:aws:iam::123456789012:role/fc"}},
        }),
        jobinventory.normalize("personalize", "ListDatasetImportJobs", {
            "datasetImportJobArn": "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/interactions",
            "jobName": "interactions \u00e9t\u00e9 \u6570\u636e",
            "status": "CREATE IN_PROGRESS",
            "creationDateTime": 1714600000,
            "lastUpdatedDateTime": 1714600100,
        }),
        jobinventory.normalize("dataexchange", "ListJobs", {
            "Arn": "arn:aws:dataexchange:us-west-2:210987654321:jobs/0123abcd",
            "Id": "0123abcd",
            "State": "COMPLETED",
            "Type": "EXPORT_ASSET_TO_SIGNED_URL",
            "CreatedAt": "2024-04-30T08:00:00Z",
            "UpdatedAt": "2024-04-30T08:05:00Z",
            "Details": {"ExportAssetToSignedUrl": {
                "AssetId": "a1", "DataSetId": "ds1", "RevisionId": "rev1",
                "SignedUrl": SIGNED_URL, "SignedUrlExpiresAt": "2024-04-30T09:00:00Z",
            }},
        }),
        jobinventory.normalize("bedrock", "ListModelImportJobs", {
            "jobArn": "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abc123",
            "jobName": "llama-import",
            "status": "Completed",
            "creationTime": "2024-05-02T00:00:00+02:00",
            "lastModifiedTime": "2024-05-02T01:00:00Z",
            "endTime": "2024-05-02T01:00:00Z",
            "importedModelArn": "arn:aws:bedrock:us-east-1:123456789012:imported-model/m1",
            "importedModelName": "m1",
        }),
        jobinventory.normalize("bedrock", "ListModelImportJobs", {
            "jobArn": "arn:aws:bedrock:us-east-1:123456789012:model-import-job/new-status",
            "jobName": "future",
            "status": "Hibernating",  # a status nobody knows yet: UNKNOWN, raw kept
            "creationTime": "2024-05-03T00:00:00Z",
        }),
    ]
    for i, name in enumerate(FORMULA_NAMES):
        jobs.append(jobinventory.normalize("bedrock", "ListModelImportJobs", {
            "jobArn": f"arn:aws:bedrock:us-east-1:123456789012:model-import-job/f{i}",
            "jobName": name,
            "status": "Failed",
            "creationTime": f"2024-05-0{i + 1}T12:00:00Z",
        }))
    return jobs
