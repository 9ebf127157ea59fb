"""Realistic summaries of the operations added in issue 18, as boto3 returns them,
and the exact Job each must become (merged into `fixtures.CASES`)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Tuple

from jobinventory import Job, JobStatus

UTC = dt.timezone.utc
ACCOUNT = "123456789012"


def t(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# -- Personalize: a training run ------------------------------------------------
SOLUTION = f"arn:aws:personalize:us-east-1:{ACCOUNT}:solution/retail-user-personalization"
SOLUTION_VERSION_ARN = f"{SOLUTION}/7c2e41aa"
PERSONALIZE_SOLUTION_VERSION = {
    "solutionVersionArn": SOLUTION_VERSION_ARN,
    "status": "CREATE FAILED",
    "trainingMode": "FULL",
    "trainingType": "MANUAL",
    "creationDateTime": t(2024, 7, 1, 1, 0),
    "lastUpdatedDateTime": t(2024, 7, 1, 1, 42, 9),
    "failureReason": "The interactions dataset has fewer than 1000 records.",
}

# -- Forecast: training and generation runs -------------------------------------
DSG = f"arn:aws:forecast:us-west-2:{ACCOUNT}:dataset-group/retail_demand"
PREDICTOR_ARN = f"arn:aws:forecast:us-west-2:{ACCOUNT}:predictor/retail_demand_auto_v2"
FORECAST_PREDICTOR = {
    "PredictorArn": PREDICTOR_ARN,
    "PredictorName": "retail_demand_auto_v2",
    "DatasetGroupArn": DSG,
    "IsAutoPredictor": True,
    "ReferencePredictorSummary": {"Arn": f"arn:aws:forecast:us-west-2:{ACCOUNT}:predictor/retail_demand_auto_v1",
                                  "State": "Active"},
    "Status": "ACTIVE",
    "CreationTime": t(2024, 7, 2, 6, 0),
    "LastModificationTime": t(2024, 7, 2, 9, 31, 17),
}
FORECAST_ARN = f"arn:aws:forecast:us-west-2:{ACCOUNT}:forecast/retail_demand_w27"
FORECAST_FORECAST = {
    "ForecastArn": FORECAST_ARN,
    "ForecastName": "retail_demand_w27",
    "PredictorArn": PREDICTOR_ARN,
    "CreatedUsingAutoPredictor": True,
    "DatasetGroupArn": DSG,
    "Status": "CREATE_IN_PROGRESS",
    "CreationTime": t(2024, 7, 3, 6, 0),
    "LastModificationTime": t(2024, 7, 3, 6, 12),
}
EXPLAINABILITY_ARN = f"arn:aws:forecast:us-west-2:{ACCOUNT}:explainability/retail_demand_explain"
FORECAST_EXPLAINABILITY_RUN = {
    "ExplainabilityArn": EXPLAINABILITY_ARN,
    "ExplainabilityName": "retail_demand_explain",
    "ResourceArn": PREDICTOR_ARN,
    "ExplainabilityConfig": {"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"},
    "Status": "CREATE_STOPPED",
    "CreationTime": t(2024, 7, 4, 10, 0),
    "LastModificationTime": t(2024, 7, 4, 10, 5, 30),
}
ANALYSIS = f"arn:aws:forecast:us-west-2:{ACCOUNT}:what-if-analysis/retail_promo"
WHAT_IF_ARN = f"arn:aws:forecast:us-west-2:{ACCOUNT}:what-if-forecast/retail_promo/price_cut_10pct"
FORECAST_WHAT_IF_FORECAST = {
    "WhatIfForecastArn": WHAT_IF_ARN,
    "WhatIfForecastName": "price_cut_10pct",
    "WhatIfAnalysisArn": ANALYSIS,
    "Status": "DELETE_FAILED",
    "Message": "The what-if forecast could not be deleted: an export is still in progress.",
    "CreationTime": t(2024, 7, 5, 8, 0),
    "LastModificationTime": t(2024, 7, 20, 9, 0),
}

# -- bedrock-runtime: an asynchronous invocation ---------------------------------
INVOCATION = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:async-invoke/k3j9x2m7q1w8"
RUNTIME_ASYNC_INVOKE = {
    "invocationArn": INVOCATION,
    "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:1",
    "clientRequestToken": "5e8f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
    "status": "Completed",
    "submitTime": t(2024, 7, 6, 12, 0),
    "lastModifiedTime": t(2024, 7, 6, 12, 4, 10),
    "endTime": t(2024, 7, 6, 12, 4, 9),
    "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://acme-video/reels/k3j9x2m7q1w8/",
                                                "bucketOwner": ACCOUNT}},
}


def _forecast_job(operation: str, job_type: str, arn: str, name: str, summary: Dict[str, Any], **fields: Any) -> Job:
    base: Dict[str, Any] = dict(
        service="forecast", operation=operation, job_type=job_type, job_id=arn, arn=arn, name=name,
        region="us-west-2", account_id=ACCOUNT, message=None, destination=None,
        created_at=summary["CreationTime"], updated_at=summary["LastModificationTime"],
    )
    return Job(**{**base, **fields})


CASES_18: Dict[Tuple[str, str], Tuple[Dict[str, Any], Job]] = {
    ("personalize", "ListSolutionVersions"): (
        PERSONALIZE_SOLUTION_VERSION,
        Job(
            service="personalize", operation="ListSolutionVersions", job_type="solution_version",
            job_id=SOLUTION_VERSION_ARN, arn=SOLUTION_VERSION_ARN, name=None,
            status=JobStatus.FAILED, raw_status="CREATE FAILED",
            created_at=t(2024, 7, 1, 1, 0), updated_at=t(2024, 7, 1, 1, 42, 9), ended_at=t(2024, 7, 1, 1, 42, 9),
            region="us-east-1", account_id=ACCOUNT,
            message="The interactions dataset has fewer than 1000 records.", source=None, destination=None,
            details={"trainingMode": "FULL", "trainingType": "MANUAL"},
        ),
    ),
    ("forecast", "ListPredictors"): (
        FORECAST_PREDICTOR,
        _forecast_job(
            "ListPredictors", "predictor", PREDICTOR_ARN, "retail_demand_auto_v2", FORECAST_PREDICTOR,
            status=JobStatus.SUCCEEDED, raw_status="ACTIVE", ended_at=t(2024, 7, 2, 9, 31, 17), source=DSG,
            details={"IsAutoPredictor": True, "ReferencePredictorSummary": FORECAST_PREDICTOR["ReferencePredictorSummary"]},
        ),
    ),
    ("forecast", "ListForecasts"): (
        FORECAST_FORECAST,
        _forecast_job(
            "ListForecasts", "forecast", FORECAST_ARN, "retail_demand_w27", FORECAST_FORECAST,
            status=JobStatus.RUNNING, raw_status="CREATE_IN_PROGRESS", ended_at=None, source=PREDICTOR_ARN,
            details={"CreatedUsingAutoPredictor": True, "DatasetGroupArn": DSG},
        ),
    ),
    ("forecast", "ListExplainabilities"): (
        FORECAST_EXPLAINABILITY_RUN,
        _forecast_job(
            "ListExplainabilities", "explainability", EXPLAINABILITY_ARN, "retail_demand_explain",
            FORECAST_EXPLAINABILITY_RUN,
            # CREATE_STOPPED: LastModificationTime is "when the job stopped".
            status=JobStatus.STOPPED, raw_status="CREATE_STOPPED", ended_at=t(2024, 7, 4, 10, 5, 30),
            source=PREDICTOR_ARN,
            details={"ExplainabilityConfig": {"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"}},
        ),
    ),
    ("forecast", "ListWhatIfForecasts"): (
        FORECAST_WHAT_IF_FORECAST,
        _forecast_job(
            "ListWhatIfForecasts", "what_if_forecast", WHAT_IF_ARN, "price_cut_10pct", FORECAST_WHAT_IF_FORECAST,
            # The run had ended (deletion needs ACTIVE or CREATE_FAILED), how is
            # not known: UNKNOWN, and no end time (the failed delete's is not it).
            status=JobStatus.UNKNOWN, raw_status="DELETE_FAILED", ended_at=None, source=ANALYSIS,
            message="The what-if forecast could not be deleted: an export is still in progress.",
            details={},
        ),
    ),
    ("bedrock-runtime", "ListAsyncInvokes"): (
        RUNTIME_ASYNC_INVOKE,
        Job(
            service="bedrock-runtime", operation="ListAsyncInvokes", job_type="async_invoke",
            job_id=INVOCATION, arn=INVOCATION, name=None, status=JobStatus.SUCCEEDED, raw_status="Completed",
            created_at=t(2024, 7, 6, 12, 0), updated_at=t(2024, 7, 6, 12, 4, 10), ended_at=t(2024, 7, 6, 12, 4, 9),
            region="us-east-1", account_id=ACCOUNT, message=None, source=None,
            destination="s3://acme-video/reels/k3j9x2m7q1w8/",
            details={
                "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:1",
                "clientRequestToken": "5e8f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
                "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://acme-video/reels/k3j9x2m7q1w8/",
                                                            "bucketOwner": ACCOUNT}},
            },
        ),
    ),
}
