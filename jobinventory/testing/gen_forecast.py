"""Forecast job summaries: ``make(ctx, i) -> (summary, parent ARN or None)``.

ARNs follow Forecast's layout ``<job-type>/<parent name>/<job name>``; names
use the ``^[a-zA-Z][a-zA-Z0-9_]*`` pattern Forecast enforces.
"""
from __future__ import annotations

from typing import Any

Summary = dict[str, Any]


def _date(dt) -> str:
    return dt.strftime("%Y_%m_%d")


def _bucket(ctx, kind: str) -> str:
    return f"acme-{kind}-{ctx.account}-{ctx.region}"


_DOMAINS = ("retail_demand", "energy_load", "web_traffic", "store_sales", "call_volume", "ride_demand",
            "inventory", "returns")
_ALGOS = ("autopredictor", "cnnqr", "deepar_plus", "prophet", "npts", "ets")
_SCENARIOS = ("price_cut_10pct", "promo_week", "holiday_surge", "supply_delay")
_FORECAST_ERRORS = (
    "The timestamp format yyyy-MM-dd HH:mm:ss does not match the data in row 1042 of the input file.",
    "Amazon Forecast could not access the S3 location. Check the IAM role's s3:GetObject permission.",
    "The dataset has fewer than 300 data points for the target time series.",
    "The schema of the dataset does not match the number of columns in the input file.",
    "An internal service error occurred. Retry the request.",
)


# -- Forecast ------------------------------------------------------------------
def _forecast(ctx, noun: str, job_type: str, parent: str, stem: str, where: str, i: int) -> Summary:
    """A Forecast job summary; its ARN is ``<job_type>/<parent>/<name>``."""
    status, klass = ctx.status()
    created, modified, _ = ctx.times(klass)
    suffix = f"_{_date(created)}_{i}"
    name = stem[: 63 - len(suffix)] + suffix
    s3: dict[str, Any] = {
        "Path": where,
        "RoleArn": f"arn:aws:iam::{ctx.account}:role/service-role/AmazonForecast-ExecutionRole",
    }
    if ctx.chance(0.2):
        s3["KMSKeyArn"] = f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{ctx.uuid()}"
    summary: Summary = {
        f"{noun}Arn": f"arn:aws:forecast:{ctx.region}:{ctx.account}:{job_type}/{parent}/{name}",
        f"{noun}Name": name,
        "DataSource" if noun == "DatasetImportJob" else "Destination": {"S3Config": s3},
        "Status": status, "CreationTime": created, "LastModificationTime": modified,
    }
    if klass == "failed":
        summary["Message"] = ctx.pick(_FORECAST_ERRORS)
    return summary


def forecast_dataset_import(ctx, i):
    domain = ctx.pick(_DOMAINS)
    summary = _forecast(ctx, "DatasetImportJob", "dataset-import-job", domain, f"{domain}_import",
                        f"s3://{_bucket(ctx, 'forecast')}/raw/{domain}/target_time_series.csv", i)
    summary["ImportMode"] = "INCREMENTAL" if ctx.chance(0.3) else "FULL"
    return summary, None


def _forecast_export(ctx, i, noun: str, job_type: str, parent: str, stem: str, folder: str) -> Summary:
    return _forecast(ctx, noun, job_type, parent, stem, f"s3://{_bucket(ctx, 'forecast')}/{folder}/{parent}/", i)


def forecast_export(ctx, i):
    domain = ctx.pick(_DOMAINS)
    return _forecast_export(ctx, i, "ForecastExportJob", "forecast-export-job",
                            f"{domain}_forecast_v{1 + i % 3}", f"{domain}_export", "exports"), None


def forecast_backtest_export(ctx, i):
    domain = ctx.pick(_DOMAINS)
    return _forecast_export(ctx, i, "PredictorBacktestExportJob", "predictor-backtest-export-job",
                            f"{domain}_{ctx.pick(_ALGOS)}", f"{domain}_backtest", "backtests"), None


def forecast_explainability_export(ctx, i):
    domain = ctx.pick(_DOMAINS)
    return _forecast_export(ctx, i, "ExplainabilityExport", "explainability-export",
                            f"{domain}_explainability", f"{domain}_explain_export", "explainability"), None


def forecast_what_if_export(ctx, i):
    domain = ctx.pick(_DOMAINS)
    analysis = f"{domain}_what_if"
    summary = _forecast_export(ctx, i, "WhatIfForecastExport", "what-if-forecast-export",
                               analysis, f"{domain}_what_if_export", "what-if")
    scenarios = ctx.rng.sample(_SCENARIOS, 1 + int(ctx.random() * 3))
    summary["WhatIfForecastArns"] = [
        f"arn:aws:forecast:{ctx.region}:{ctx.account}:what-if-forecast/{analysis}/{s}" for s in scenarios]
    return summary, None


# -- resources whose creation is the job: predictors, forecasts, Explainabilities, what-if forecasts
def _resource(ctx, noun: str, kind: str, name: str, i: int, parent: str | None = None) -> Summary:
    status, klass = ctx.status()
    created, modified, _ = ctx.times(klass)
    suffix = f"_{_date(created)}_{i}"
    name = name[: 63 - len(suffix)] + suffix
    path = f"{parent}/{name}" if parent else name
    summary: Summary = {
        f"{noun}Arn": f"arn:aws:forecast:{ctx.region}:{ctx.account}:{kind}/{path}", f"{noun}Name": name,
        "Status": status, "CreationTime": created, "LastModificationTime": modified,
    }
    if klass == "failed":
        summary["Message"] = ctx.pick(_FORECAST_ERRORS)
    return summary


def _arn(ctx, kind: str, name: str) -> str:
    return f"arn:aws:forecast:{ctx.region}:{ctx.account}:{kind}/{name}"


def forecast_predictor(ctx, i):
    domain = ctx.pick(_DOMAINS)
    auto = ctx.chance(0.7)
    summary = _resource(ctx, "Predictor", "predictor", f"{domain}_{'auto' if auto else ctx.pick(_ALGOS)}", i)
    summary.update(DatasetGroupArn=_arn(ctx, "dataset-group", domain), IsAutoPredictor=auto)
    if auto and ctx.chance(0.2):
        summary["ReferencePredictorSummary"] = {"Arn": _arn(ctx, "predictor", f"{domain}_auto_v1"), "State": "Active"}
    return summary, None


def forecast_forecast(ctx, i):
    domain = ctx.pick(_DOMAINS)
    summary = _resource(ctx, "Forecast", "forecast", f"{domain}_forecast", i)
    summary.update(PredictorArn=_arn(ctx, "predictor", f"{domain}_auto"), CreatedUsingAutoPredictor=ctx.chance(0.7),
                   DatasetGroupArn=_arn(ctx, "dataset-group", domain))
    return summary, None


def forecast_explainability(ctx, i):
    domain = ctx.pick(_DOMAINS)
    summary = _resource(ctx, "Explainability", "explainability", f"{domain}_explain", i)
    on_forecast = ctx.chance(0.4)
    summary["ResourceArn"] = _arn(ctx, "forecast" if on_forecast else "predictor", f"{domain}_auto")
    summary["ExplainabilityConfig"] = {"TimeSeriesGranularity": "SPECIFIC" if on_forecast else "ALL",
                                       "TimePointGranularity": "SPECIFIC" if on_forecast else "ALL"}
    return summary, None


def forecast_what_if_forecast(ctx, i):
    domain = ctx.pick(_DOMAINS)
    analysis = f"{domain}_what_if"
    summary = _resource(ctx, "WhatIfForecast", "what-if-forecast", ctx.pick(_SCENARIOS), i, parent=analysis)
    summary["WhatIfAnalysisArn"] = _arn(ctx, "what-if-analysis", analysis)
    return summary, None
