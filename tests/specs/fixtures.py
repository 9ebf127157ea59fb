"""Realistic summaries of the twelve operations added in issue 6, as boto3 returns them.

Each is checked against botocore's output shape (types, required members,
enums, patterns, lengths) before any test uses it. `EXPECTED` is the exact
Job each must become.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Tuple

from jobinventory import Job, JobStatus

UTC = dt.timezone.utc
CEST = dt.timezone(dt.timedelta(hours=2))
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"


def t(*args: int, tz: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz)


ROLE = f"arn:aws:iam::{ACCOUNT}:role/ForecastS3Access"
KMS = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

# -- Forecast -----------------------------------------------------------------
BACKTEST_ARN = f"arn:aws:forecast:us-west-2:{ACCOUNT}:predictor-backtest-export-job/demand_auto_v3/backtest_2024_06"
FORECAST_BACKTEST = {
    "PredictorBacktestExportJobArn": BACKTEST_ARN,
    "PredictorBacktestExportJobName": "backtest_2024_06",
    "Destination": {"S3Config": {"Path": "s3://acme-forecast/backtests/demand_auto_v3/", "RoleArn": ROLE}},
    "Status": "ACTIVE",
    "CreationTime": t(2024, 6, 3, 8, 0),
    "LastModificationTime": t(2024, 6, 3, 8, 21, 5),
}

EXPLAIN_ARN = f"arn:aws:forecast:eu-west-1:{ACCOUNT}:explainability-export/demand_explain/explain_export_w23"
FORECAST_EXPLAINABILITY = {
    "ExplainabilityExportArn": EXPLAIN_ARN,
    "ExplainabilityExportName": "explain_export_w23",
    "Destination": {
        "S3Config": {"Path": "s3://acme-forecast-eu/explainability/w23/", "RoleArn": ROLE, "KMSKeyArn": KMS}
    },
    "Status": "CREATE_FAILED",
    "Message": "AccessDeniedException: the role cannot write to s3://acme-forecast-eu/explainability/w23/",
    # botocore gives epoch timestamps in local time: here a +02:00 offset.
    "CreationTime": t(2024, 6, 4, 11, 0, tz=CEST),
    "LastModificationTime": t(2024, 6, 4, 11, 2, 40, tz=CEST),
}

WHATIF_ARN = f"arn:aws:forecast:us-east-1:{ACCOUNT}:what-if-forecast-export/promo_analysis/promo_export_q3"
WHATIF_FORECASTS = [
    f"arn:aws:forecast:us-east-1:{ACCOUNT}:what-if-forecast/promo_analysis/promo_10pct",
    f"arn:aws:forecast:us-east-1:{ACCOUNT}:what-if-forecast/promo_analysis/promo_20pct",
]
FORECAST_WHATIF = {
    "WhatIfForecastExportArn": WHATIF_ARN,
    "WhatIfForecastArns": WHATIF_FORECASTS,
    "WhatIfForecastExportName": "promo_export_q3",
    "Destination": {"S3Config": {"Path": "s3://acme-forecast/what-if/promo_q3/", "RoleArn": ROLE}},
    "Status": "CREATE_IN_PROGRESS",
    "CreationTime": t(2024, 6, 5, 14, 30),
    "LastModificationTime": t(2024, 6, 5, 14, 41, 12),
}

# -- Personalize --------------------------------------------------------------
SOLUTION_VERSION = f"arn:aws:personalize:us-east-1:{ACCOUNT}:solution/retail-user-personalization/4f1e9a2c"
BATCH_INFERENCE_ARN = f"arn:aws:personalize:us-east-1:{ACCOUNT}:batch-inference-job/weekly-recs-2024-06-06"
PERSONALIZE_BATCH_INFERENCE = {
    "batchInferenceJobArn": BATCH_INFERENCE_ARN,
    "jobName": "weekly-recs-2024-06-06",
    "status": "ACTIVE",
    "creationDateTime": t(2024, 6, 6, 2, 0),
    "lastUpdatedDateTime": t(2024, 6, 6, 2, 52, 19),
    "solutionVersionArn": SOLUTION_VERSION,
    "batchInferenceJobMode": "BATCH_INFERENCE",
}

BATCH_SEGMENT_ARN = f"arn:aws:personalize:us-east-1:{ACCOUNT}:batch-segment-job/summer-campaign-segments"
PERSONALIZE_BATCH_SEGMENT = {
    "batchSegmentJobArn": BATCH_SEGMENT_ARN,
    "jobName": "summer-campaign-segments",
    "status": "CREATE FAILED",
    "creationDateTime": t(2024, 6, 7, 9, 15),
    "lastUpdatedDateTime": t(2024, 6, 7, 9, 19, 2),
    "failureReason": "Input file s3://acme-personalize/segments/items.json is not valid JSON Lines.",
    "solutionVersionArn": f"arn:aws:personalize:us-east-1:{ACCOUNT}:solution/item-affinity/9b3d7e11",
}

DATASET_EXPORT_ARN = f"arn:aws:personalize:eu-west-1:{ACCOUNT}:dataset-export-job/interactions-backup-0608"
PERSONALIZE_DATASET_EXPORT = {
    "datasetExportJobArn": DATASET_EXPORT_ARN,
    "jobName": "interactions-backup-0608",
    "status": "CREATE IN_PROGRESS",
    "creationDateTime": t(2024, 6, 8, 23, 0),
    "lastUpdatedDateTime": t(2024, 6, 8, 23, 4, 31),
}

DATA_DELETION_ARN = f"arn:aws:personalize:us-east-1:{ACCOUNT}:data-deletion-job/gdpr-erasure-2024-06-09"
DATASET_GROUP = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/retail"
PERSONALIZE_DATA_DELETION = {
    "dataDeletionJobArn": DATA_DELETION_ARN,
    "datasetGroupArn": DATASET_GROUP,
    "jobName": "gdpr-erasure-2024-06-09",
    "status": "COMPLETED",
    "creationDateTime": t(2024, 6, 9, 0, 0),
    "lastUpdatedDateTime": t(2024, 6, 9, 3, 12, 44),
}

# -- Bedrock ------------------------------------------------------------------
BASE_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"
CUSTOMIZATION_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:model-customization-job/amazon.titan-text-express-v1:0:8k/x5n2q8r4t1vz"
CUSTOM_MODEL = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/h7k2m9p4q1rs"
BEDROCK_CUSTOMIZATION = {
    "jobArn": CUSTOMIZATION_ARN,
    "baseModelArn": BASE_MODEL,
    "jobName": "support-bot-ft-2024-06-10",
    "status": "Completed",
    "statusDetails": {
        "validationDetails": {"status": "Completed", "creationTime": t(2024, 6, 10, 8, 0, 5), "lastModifiedTime": t(2024, 6, 10, 8, 3)},
        "dataProcessingDetails": {"status": "Completed", "creationTime": t(2024, 6, 10, 8, 3), "lastModifiedTime": t(2024, 6, 10, 8, 20)},
        "trainingDetails": {"status": "Completed", "creationTime": t(2024, 6, 10, 8, 20), "lastModifiedTime": t(2024, 6, 10, 11, 47)},
    },
    "lastModifiedTime": t(2024, 6, 10, 11, 48),
    "creationTime": t(2024, 6, 10, 8, 0),
    "endTime": t(2024, 6, 10, 11, 47, 30),
    "customModelArn": CUSTOM_MODEL,
    "customModelName": "support-bot-titan-ft",
    "customizationType": "FINE_TUNING",
}

INVOCATION_ARN = f"arn:aws:bedrock:us-west-2:{ACCOUNT}:model-invocation-job/a1b2c3d4e5f6"
BEDROCK_INVOCATION = {
    "jobArn": INVOCATION_ARN,
    "jobName": "ticket-summaries-2024-06-11",
    "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
    "clientRequestToken": "3f9b2c1e-5d7a-4e8f-9a6b-1c2d3e4f5a6b",
    "roleArn": f"arn:aws:iam::{ACCOUNT}:role/BedrockBatchInference",
    "status": "PartiallyCompleted",
    "message": "126 records could not be processed before the job timed out.",
    "submitTime": t(2024, 6, 11, 6, 0),
    "lastModifiedTime": t(2024, 6, 12, 6, 1),
    "endTime": t(2024, 6, 12, 6, 0, 30),
    "inputDataConfig": {
        "s3InputDataConfig": {"s3InputFormat": "JSONL", "s3Uri": "s3://acme-bedrock-batch/input/tickets-2024-06-11.jsonl"}
    },
    "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://acme-bedrock-batch/output/"}},
    "timeoutDurationInHours": 24,
    "jobExpirationTime": t(2024, 6, 12, 6, 0),
    "modelInvocationType": "InvokeModel",
    "totalRecordCount": 10000,
    "processedRecordCount": 9874,
    "successRecordCount": 9874,
    "errorRecordCount": 126,
}

EVALUATION_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:evaluation-job/q7w8e9r0t1y2"
BEDROCK_EVALUATION = {
    "jobArn": EVALUATION_ARN,
    "jobName": "titan-vs-haiku-summarization",
    "status": "InProgress",
    "creationTime": t(2024, 6, 12, 15, 0),
    "jobType": "Automated",
    "evaluationTaskTypes": ["Summarization"],
    "modelIdentifiers": ["amazon.titan-text-express-v1", "anthropic.claude-3-haiku-20240307-v1:0"],
    "inferenceConfigSummary": {
        "modelConfigSummary": {
            "bedrockModelIdentifiers": ["amazon.titan-text-express-v1", "anthropic.claude-3-haiku-20240307-v1:0"]
        }
    },
    "applicationType": "ModelEvaluation",
}

COPY_ARN = f"arn:aws:bedrock:us-west-2:{ACCOUNT}:model-copy-job/m3n4b5v6c7x8"
COPY_SOURCE = f"arn:aws:bedrock:us-east-1:{OTHER_ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/h7k2m9p4q1rs"
BEDROCK_COPY = {
    "jobArn": COPY_ARN,
    "status": "Failed",
    "creationTime": t(2024, 6, 13, 10, 0),
    "targetModelArn": f"arn:aws:bedrock:us-west-2:{ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/z9y8x7w6v5u4",
    "targetModelName": "support-bot-titan-ft-usw2",
    "sourceAccountId": OTHER_ACCOUNT,
    "sourceModelArn": COPY_SOURCE,
    "targetModelKmsKeyArn": f"arn:aws:kms:us-west-2:{ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    "targetModelTags": [{"key": "team", "value": "support"}],
    "failureMessage": "The KMS key policy does not allow Amazon Bedrock to use the key.",
    "sourceModelName": "support-bot-titan-ft",
}

APO_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:advanced-prompt-optimization-job/p0o9i8u7y6t5"
BEDROCK_PROMPT_OPTIMIZATION = {
    "jobArn": APO_ARN,
    "jobName": "faq-prompt-tuning",
    "jobStatus": "Completed",
    "creationTime": t(2024, 6, 14, 9, 0),
    "lastModifiedTime": t(2024, 6, 14, 9, 37, 21),
}

#: (service, operation) -> (summary, the exact Job it must become)
CASES: Dict[Tuple[str, str], Tuple[Dict[str, Any], Job]] = {
    ("forecast", "ListPredictorBacktestExportJobs"): (
        FORECAST_BACKTEST,
        Job(
            service="forecast", operation="ListPredictorBacktestExportJobs", job_type="predictor_backtest_export",
            job_id=BACKTEST_ARN, arn=BACKTEST_ARN, name="backtest_2024_06",
            status=JobStatus.SUCCEEDED, raw_status="ACTIVE",
            created_at=t(2024, 6, 3, 8, 0), updated_at=t(2024, 6, 3, 8, 21, 5), ended_at=t(2024, 6, 3, 8, 21, 5),
            region="us-west-2", account_id=ACCOUNT, message=None, source=None,
            destination="s3://acme-forecast/backtests/demand_auto_v3/",
            details={"Destination": {"S3Config": {"Path": "s3://acme-forecast/backtests/demand_auto_v3/", "RoleArn": ROLE}}},
        ),
    ),
    ("forecast", "ListExplainabilityExports"): (
        FORECAST_EXPLAINABILITY,
        Job(
            service="forecast", operation="ListExplainabilityExports", job_type="explainability_export",
            job_id=EXPLAIN_ARN, arn=EXPLAIN_ARN, name="explain_export_w23",
            status=JobStatus.FAILED, raw_status="CREATE_FAILED",
            created_at=t(2024, 6, 4, 9, 0), updated_at=t(2024, 6, 4, 9, 2, 40), ended_at=t(2024, 6, 4, 9, 2, 40),
            region="eu-west-1", account_id=ACCOUNT,
            message="AccessDeniedException: the role cannot write to s3://acme-forecast-eu/explainability/w23/",
            source=None, destination="s3://acme-forecast-eu/explainability/w23/",
            details={"Destination": {"S3Config": {"Path": "s3://acme-forecast-eu/explainability/w23/", "RoleArn": ROLE, "KMSKeyArn": KMS}}},
        ),
    ),
    ("forecast", "ListWhatIfForecastExports"): (
        FORECAST_WHATIF,
        Job(
            service="forecast", operation="ListWhatIfForecastExports", job_type="what_if_forecast_export",
            job_id=WHATIF_ARN, arn=WHATIF_ARN, name="promo_export_q3",
            status=JobStatus.RUNNING, raw_status="CREATE_IN_PROGRESS",
            created_at=t(2024, 6, 5, 14, 30), updated_at=t(2024, 6, 5, 14, 41, 12), ended_at=None,
            region="us-east-1", account_id=ACCOUNT, message=None, source=None,
            destination="s3://acme-forecast/what-if/promo_q3/",
            details={
                "WhatIfForecastArns": WHATIF_FORECASTS,
                "Destination": {"S3Config": {"Path": "s3://acme-forecast/what-if/promo_q3/", "RoleArn": ROLE}},
            },
        ),
    ),
    ("personalize", "ListBatchInferenceJobs"): (
        PERSONALIZE_BATCH_INFERENCE,
        Job(
            service="personalize", operation="ListBatchInferenceJobs", job_type="batch_inference",
            job_id=BATCH_INFERENCE_ARN, arn=BATCH_INFERENCE_ARN, name="weekly-recs-2024-06-06",
            status=JobStatus.SUCCEEDED, raw_status="ACTIVE",
            created_at=t(2024, 6, 6, 2, 0), updated_at=t(2024, 6, 6, 2, 52, 19), ended_at=t(2024, 6, 6, 2, 52, 19),
            region="us-east-1", account_id=ACCOUNT, message=None, source=None, destination=None,
            details={"solutionVersionArn": SOLUTION_VERSION, "batchInferenceJobMode": "BATCH_INFERENCE"},
        ),
    ),
    ("personalize", "ListBatchSegmentJobs"): (
        PERSONALIZE_BATCH_SEGMENT,
        Job(
            service="personalize", operation="ListBatchSegmentJobs", job_type="batch_segment",
            job_id=BATCH_SEGMENT_ARN, arn=BATCH_SEGMENT_ARN, name="summer-campaign-segments",
            status=JobStatus.FAILED, raw_status="CREATE FAILED",
            created_at=t(2024, 6, 7, 9, 15), updated_at=t(2024, 6, 7, 9, 19, 2), ended_at=t(2024, 6, 7, 9, 19, 2),
            region="us-east-1", account_id=ACCOUNT,
            message="Input file s3://acme-personalize/segments/items.json is not valid JSON Lines.",
            source=None, destination=None,
            details={"solutionVersionArn": f"arn:aws:personalize:us-east-1:{ACCOUNT}:solution/item-affinity/9b3d7e11"},
        ),
    ),
    ("personalize", "ListDatasetExportJobs"): (
        PERSONALIZE_DATASET_EXPORT,
        Job(
            service="personalize", operation="ListDatasetExportJobs", job_type="dataset_export",
            job_id=DATASET_EXPORT_ARN, arn=DATASET_EXPORT_ARN, name="interactions-backup-0608",
            status=JobStatus.RUNNING, raw_status="CREATE IN_PROGRESS",
            created_at=t(2024, 6, 8, 23, 0), updated_at=t(2024, 6, 8, 23, 4, 31), ended_at=None,
            region="eu-west-1", account_id=ACCOUNT, message=None, source=None, destination=None, details={},
        ),
    ),
    ("personalize", "ListDataDeletionJobs"): (
        PERSONALIZE_DATA_DELETION,
        Job(
            service="personalize", operation="ListDataDeletionJobs", job_type="data_deletion",
            job_id=DATA_DELETION_ARN, arn=DATA_DELETION_ARN, name="gdpr-erasure-2024-06-09",
            status=JobStatus.SUCCEEDED, raw_status="COMPLETED",
            created_at=t(2024, 6, 9, 0, 0), updated_at=t(2024, 6, 9, 3, 12, 44), ended_at=t(2024, 6, 9, 3, 12, 44),
            region="us-east-1", account_id=ACCOUNT, message=None, source=None, destination=DATASET_GROUP,
            details={},
        ),
    ),
    ("bedrock", "ListModelCustomizationJobs"): (
        BEDROCK_CUSTOMIZATION,
        Job(
            service="bedrock", operation="ListModelCustomizationJobs", job_type="model_customization",
            job_id=CUSTOMIZATION_ARN, arn=CUSTOMIZATION_ARN, name="support-bot-ft-2024-06-10",
            status=JobStatus.SUCCEEDED, raw_status="Completed",
            created_at=t(2024, 6, 10, 8, 0), updated_at=t(2024, 6, 10, 11, 48), ended_at=t(2024, 6, 10, 11, 47, 30),
            region="us-east-1", account_id=ACCOUNT, message=None, source=BASE_MODEL, destination=CUSTOM_MODEL,
            details={
                "statusDetails": {
                    "validationDetails": {"status": "Completed", "creationTime": "2024-06-10T08:00:05Z", "lastModifiedTime": "2024-06-10T08:03:00Z"},
                    "dataProcessingDetails": {"status": "Completed", "creationTime": "2024-06-10T08:03:00Z", "lastModifiedTime": "2024-06-10T08:20:00Z"},
                    "trainingDetails": {"status": "Completed", "creationTime": "2024-06-10T08:20:00Z", "lastModifiedTime": "2024-06-10T11:47:00Z"},
                },
                "customModelName": "support-bot-titan-ft",
                "customizationType": "FINE_TUNING",
            },
        ),
    ),
    ("bedrock", "ListModelInvocationJobs"): (
        BEDROCK_INVOCATION,
        Job(
            service="bedrock", operation="ListModelInvocationJobs", job_type="model_invocation",
            job_id=INVOCATION_ARN, arn=INVOCATION_ARN, name="ticket-summaries-2024-06-11",
            # PartiallyCompleted: terminal, records left unprocessed (statuses.py).
            status=JobStatus.FAILED, raw_status="PartiallyCompleted",
            created_at=t(2024, 6, 11, 6, 0), updated_at=t(2024, 6, 12, 6, 1), ended_at=t(2024, 6, 12, 6, 0, 30),
            region="us-west-2", account_id=ACCOUNT,
            message="126 records could not be processed before the job timed out.",
            source="s3://acme-bedrock-batch/input/tickets-2024-06-11.jsonl",
            destination="s3://acme-bedrock-batch/output/",
            details={
                "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
                "clientRequestToken": "3f9b2c1e-5d7a-4e8f-9a6b-1c2d3e4f5a6b",
                "roleArn": f"arn:aws:iam::{ACCOUNT}:role/BedrockBatchInference",
                "inputDataConfig": {
                    "s3InputDataConfig": {"s3InputFormat": "JSONL", "s3Uri": "s3://acme-bedrock-batch/input/tickets-2024-06-11.jsonl"}
                },
                "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://acme-bedrock-batch/output/"}},
                "timeoutDurationInHours": 24,
                "jobExpirationTime": "2024-06-12T06:00:00Z",
                "modelInvocationType": "InvokeModel",
                "totalRecordCount": 10000,
                "processedRecordCount": 9874,
                "successRecordCount": 9874,
                "errorRecordCount": 126,
            },
        ),
    ),
    ("bedrock", "ListEvaluationJobs"): (
        BEDROCK_EVALUATION,
        Job(
            service="bedrock", operation="ListEvaluationJobs", job_type="evaluation",
            job_id=EVALUATION_ARN, arn=EVALUATION_ARN, name="titan-vs-haiku-summarization",
            status=JobStatus.RUNNING, raw_status="InProgress",
            created_at=t(2024, 6, 12, 15, 0), updated_at=None, ended_at=None,
            region="us-east-1", account_id=ACCOUNT, message=None, source=None, destination=None,
            details={
                "jobType": "Automated",
                "evaluationTaskTypes": ["Summarization"],
                "modelIdentifiers": ["amazon.titan-text-express-v1", "anthropic.claude-3-haiku-20240307-v1:0"],
                "inferenceConfigSummary": {
                    "modelConfigSummary": {
                        "bedrockModelIdentifiers": ["amazon.titan-text-express-v1", "anthropic.claude-3-haiku-20240307-v1:0"]
                    }
                },
                "applicationType": "ModelEvaluation",
            },
        ),
    ),
    ("bedrock", "ListModelCopyJobs"): (
        BEDROCK_COPY,
        Job(
            service="bedrock", operation="ListModelCopyJobs", job_type="model_copy",
            job_id=COPY_ARN, arn=COPY_ARN,
            # No job name: the name given to the copy (see specs/bedrock.py).
            name="support-bot-titan-ft-usw2",
            status=JobStatus.FAILED, raw_status="Failed",
            created_at=t(2024, 6, 13, 10, 0), updated_at=None, ended_at=None,
            region="us-west-2", account_id=ACCOUNT,
            message="The KMS key policy does not allow Amazon Bedrock to use the key.",
            source=COPY_SOURCE,
            destination=f"arn:aws:bedrock:us-west-2:{ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/z9y8x7w6v5u4",
            details={
                "sourceAccountId": OTHER_ACCOUNT,
                "targetModelKmsKeyArn": f"arn:aws:kms:us-west-2:{ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                "targetModelTags": [{"key": "team", "value": "support"}],
                "sourceModelName": "support-bot-titan-ft",
            },
        ),
    ),
    ("bedrock", "ListAdvancedPromptOptimizationJobs"): (
        BEDROCK_PROMPT_OPTIMIZATION,
        Job(
            service="bedrock", operation="ListAdvancedPromptOptimizationJobs", job_type="advanced_prompt_optimization",
            job_id=APO_ARN, arn=APO_ARN, name="faq-prompt-tuning",
            status=JobStatus.SUCCEEDED, raw_status="Completed",
            # No end time is documented for these jobs.
            created_at=t(2024, 6, 14, 9, 0), updated_at=t(2024, 6, 14, 9, 37, 21), ended_at=None,
            region="us-east-1", account_id=ACCOUNT, message=None, source=None, destination=None, details={},
        ),
    ),
}

# Issue 18's operations (the ingestion walk has its own tests: no ARN, parents).
from .fixtures_issue18 import CASES_18  # noqa: E402

CASES.update(CASES_18)
