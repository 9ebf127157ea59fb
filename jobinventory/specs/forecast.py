"""Amazon Forecast job lists (JSON 1.1; epoch-second timestamps)."""
from __future__ import annotations

from .base import OperationSpec, Pushdown

# As the API reference lists them for every Forecast job and export.
FORECAST_STATUSES = (
    "ACTIVE",
    "CREATE_PENDING",
    "CREATE_IN_PROGRESS",
    "CREATE_FAILED",
    "CREATE_STOPPING",
    "CREATE_STOPPED",
    "DELETE_PENDING",
    "DELETE_IN_PROGRESS",
    "DELETE_FAILED",
)
_STATUS_FILTER = Pushdown(status_filter_key="Status")


def _forecast(operation: str, noun: str, job_type: str, **paths: object) -> OperationSpec:
    """Every Forecast list names its fields <Noun>Arn, <Noun>Name, Status, Message, CreationTime, LastModificationTime."""
    return OperationSpec(
        service="forecast",
        operation=operation,
        list_key=operation[len("List"):],
        job_type=job_type,
        arn=f"{noun}Arn",
        id=None,
        name=f"{noun}Name",
        status="Status",
        created="CreationTime",
        updated="LastModificationTime",
        # "LastModificationTime: ... CREATE_STOPPED - when the job stopped,
        # ACTIVE or CREATE_FAILED - when the job finished or failed."
        ended_from_updated_when_terminal=True,
        message="Message",
        documented_statuses=FORECAST_STATUSES,
        pushdown=_STATUS_FILTER,
        **paths,  # type: ignore[arg-type]
    )


SPECS = (
    _forecast(
        "ListDatasetImportJobs",
        "DatasetImportJob",
        "dataset_import",
        source=("DataSource", "S3Config", "Path"),
        description="Imports of training data from S3 into a Forecast dataset",
    ),
    _forecast(
        "ListForecastExportJobs",
        "ForecastExportJob",
        "forecast_export",
        destination=("Destination", "S3Config", "Path"),
        description="Exports of a forecast to S3",
    ),
    _forecast(
        "ListPredictorBacktestExportJobs",
        "PredictorBacktestExportJob",
        "predictor_backtest_export",
        # The summary does not name the predictor: its ARN is only a filter key.
        destination=("Destination", "S3Config", "Path"),
        description="Exports of a predictor's backtest results to S3",
    ),
    _forecast(
        "ListExplainabilityExports",
        "ExplainabilityExport",
        "explainability_export",
        destination=("Destination", "S3Config", "Path"),
        description="Exports of an Explainability's results to S3",
    ),
    _forecast(
        "ListWhatIfForecastExports",
        "WhatIfForecastExport",
        "what_if_forecast_export",
        # One export reads one or more what-if forecasts: `WhatIfForecastArns`
        # stays whole in details rather than one of them becoming the source.
        destination=("Destination", "S3Config", "Path"),
        description="Exports of what-if forecasts to S3",
    ),
)
