"""Server-side filters and result order, for every filter of every operation."""
from __future__ import annotations

import collections
import datetime as dt
import re

import pytest

from jobinventory.testing.seeds import generate_entries

from .conftest import ALL_OPS, call, client_for, keys, list_all

UTC = dt.timezone.utc


def _forecast_parent(job_type: str, parent_type: str):
    def get(summary, parent):
        arn = next(v for k, v in summary.items() if k.endswith("Arn"))
        return arn.rsplit("/", 1)[0].replace(f":{job_type}/", f":{parent_type}/")
    return get


def _dx_details(summary):
    return next(iter(summary["Details"].values()))


def _dx_revisions(summary, parent):
    details = _dx_details(summary)
    found = {details.get("RevisionId")} | {d["RevisionId"] for d in details.get("RevisionDestinations", [])}
    return found - {None}


def _field(name):
    return lambda summary, parent: summary.get(name)


# What each filter reads, written out independently of jobinventory.testing.operations.
READS = {
    ("forecast", "ListDatasetImportJobs", "DatasetArn"): _forecast_parent("dataset-import-job", "dataset"),
    ("forecast", "ListForecastExportJobs", "ForecastArn"): _forecast_parent("forecast-export-job", "forecast"),
    ("forecast", "ListPredictorBacktestExportJobs", "PredictorArn"):
        _forecast_parent("predictor-backtest-export-job", "predictor"),
    ("forecast", "ListExplainabilityExports", "ResourceArn"):
        _forecast_parent("explainability-export", "explainability"),
    ("forecast", "ListWhatIfForecastExports", "WhatIfForecastExportArn"): _field("WhatIfForecastExportArn"),
    ("personalize", "ListDatasetImportJobs", "datasetArn"): lambda s, parent: parent,
    ("personalize", "ListDatasetExportJobs", "datasetArn"): lambda s, parent: parent,
    ("personalize", "ListBatchInferenceJobs", "solutionVersionArn"): _field("solutionVersionArn"),
    ("personalize", "ListBatchSegmentJobs", "solutionVersionArn"): _field("solutionVersionArn"),
    ("personalize", "ListDataDeletionJobs", "datasetGroupArn"): _field("datasetGroupArn"),
    ("dataexchange", "ListJobs", "DataSetId"): lambda s, p: _dx_details(s)["DataSetId"],
    ("dataexchange", "ListJobs", "RevisionId"): _dx_revisions,
    ("bedrock", "ListModelInvocationJobs", "submitTimeAfter"): _field("submitTime"),
    ("bedrock", "ListModelInvocationJobs", "submitTimeBefore"): _field("submitTime"),
    ("bedrock", "ListEvaluationJobs", "applicationTypeEquals"): _field("applicationType"),
    ("bedrock", "ListModelCopyJobs", "sourceAccountEquals"): _field("sourceAccountId"),
    ("bedrock", "ListModelCopyJobs", "sourceModelArnEquals"): _field("sourceModelArn"),
    ("bedrock", "ListModelCopyJobs", "targetModelNameContains"): _field("targetModelName"),
    # Issue 18: the solution of a training run is its version ARN less the version.
    ("personalize", "ListSolutionVersions", "solutionArn"): lambda s, p: s["solutionVersionArn"].rsplit("/", 1)[0],
    ("forecast", "ListPredictors", "DatasetGroupArn"): _field("DatasetGroupArn"),
    ("forecast", "ListForecasts", "DatasetGroupArn"): _field("DatasetGroupArn"),
    ("forecast", "ListForecasts", "PredictorArn"): _field("PredictorArn"),
    ("forecast", "ListExplainabilities", "ResourceArn"): _field("ResourceArn"),
    ("forecast", "ListWhatIfForecasts", "WhatIfForecastArn"): _field("WhatIfForecastArn"),
    ("bedrock-runtime", "ListAsyncInvokes", "statusEquals"): _field("status"),
    ("bedrock-runtime", "ListAsyncInvokes", "submitTimeAfter"): _field("submitTime"),
    ("bedrock-runtime", "ListAsyncInvokes", "submitTimeBefore"): _field("submitTime"),
}
for _spec in ALL_OPS:
    if _spec.filter_style == "forecast":
        READS[(_spec.service, _spec.operation, "Status")] = _field("Status")
    if _spec.service == "bedrock":
        for _param, _member in (("statusEquals", "status"), ("nameContains", "jobName"),
                                ("creationTimeAfter", "creationTime"), ("creationTimeBefore", "creationTime")):
            if _param in _spec.model.input_shape.members:  # as the botocore model has them
                READS.setdefault((_spec.service, _spec.operation, _param), _field(_member))

CASES = [(spec, flt) for spec in ALL_OPS for flt in spec.filters]


def _seeded(fake, spec, n=40, region="us-east-1"):
    summaries, parents = generate_entries(spec.service, spec.operation, n, region=region, seed=5)
    fake.add_jobs(spec.service, spec.operation, summaries, region=region, parent_arn=parents)
    return summaries, parents


def _request(spec, param, value, condition="IS"):
    if spec.filter_style == "forecast":
        return {"Filters": [{"Key": param, "Value": value, "Condition": condition}]}
    return {param: value}


def test_every_filter_has_an_independent_reading():
    assert {(s.service, s.operation, f.param) for s, f in CASES} == set(READS)


@pytest.mark.parametrize("spec,flt", CASES, ids=[f"{s.service}.{s.operation}.{f.param}" for s, f in CASES])
def test_filter(fake_jobs, spec, flt):
    summaries, parents = _seeded(fake_jobs, spec)
    read = READS[(spec.service, spec.operation, flt.param)]
    values = [read(s, p) for s, p in zip(summaries, parents)]
    if flt.kind == "equals":
        value = collections.Counter(v for v in values if v is not None).most_common(1)[0][0]
        hit = [v == value for v in values]
    elif flt.kind == "has":
        value = collections.Counter(x for v in values for x in v).most_common(1)[0][0]
        hit = [value in v for v in values]
    elif flt.kind == "contains":
        value = re.split(r"[-_.]", values[0])[0]
        hit = [v is not None and value in v for v in values]
    else:
        value = sorted(values)[len(values) // 2]
        hit = [(v > value) if flt.kind == "after" else (v < value) for v in values]
    expected = [s[spec.key] for s, h in zip(summaries, hit) if h]
    assert expected, "the chosen value must select something"
    client = client_for(fake_jobs, spec.service)
    got, _ = list_all(client, spec, **_request(spec, flt.param, value), **{spec.limit_member: 7})
    assert keys(spec, got) == expected  # same jobs, newest first

    if spec.filter_style == "forecast":  # IS_NOT: the complement
        got, _ = list_all(client, spec, **_request(spec, flt.param, value, "IS_NOT"))
        assert keys(spec, got) == [s[spec.key] for s, h in zip(summaries, hit) if not h]
    elif flt.kind in ("equals", "has", "contains"):
        enum = getattr(spec.model.input_shape.members[flt.param], "enum", None)
        unused = [v for v in enum or () if v not in values]
        missing = (unused[0] if unused else None) if enum else (
            "999999999999" if flt.param == "sourceAccountEquals" else "zz9" + "0" * 29)
        if missing is not None:
            assert call(client, spec, **{flt.param: missing})[spec.result_key] == []


def test_forecast_filters_combine(fake_jobs):
    spec = next(s for s in ALL_OPS if (s.service, s.operation) == ("forecast", "ListDatasetImportJobs"))
    summaries, _ = _seeded(fake_jobs, spec, 60)
    dataset = READS[("forecast", "ListDatasetImportJobs", "DatasetArn")](summaries[0], None)
    client = client_for(fake_jobs, "forecast")
    got = client.list_dataset_import_jobs(Filters=[
        {"Key": "DatasetArn", "Value": dataset, "Condition": "IS"},
        {"Key": "Status", "Value": "ACTIVE", "Condition": "IS_NOT"},
    ])["DatasetImportJobs"]
    assert got and all(j["Status"] != "ACTIVE" and f"/{dataset.split('/')[-1]}/" in j["DatasetImportJobArn"]
                       for j in got)


def test_forecast_unknown_filter_key_is_invalid_input(fake_jobs):
    client = client_for(fake_jobs, "forecast")
    with pytest.raises(client.exceptions.InvalidInputException, match="ForecastArn"):
        client.list_forecast_export_jobs(Filters=[{"Key": "DatasetArn", "Value": "x", "Condition": "IS"}])
    with pytest.raises(client.exceptions.InvalidInputException, match="enum"):
        client.list_forecast_export_jobs(Filters=[{"Key": "Status", "Value": "ACTIVE", "Condition": "EQUALS"}])
    with pytest.raises(client.exceptions.InvalidInputException, match="null"):
        client_for(fake_jobs, "forecast", validate=False).list_forecast_export_jobs(
            Filters=[{"Key": "Status", "Condition": "IS"}])


def test_bedrock_filters_combine_and_reject_unknown_values(fake_jobs):
    spec = next(s for s in ALL_OPS if s.operation == "ListModelCustomizationJobs")
    summaries, _ = _seeded(fake_jobs, spec, 60)
    client = client_for(fake_jobs, "bedrock")
    word = summaries[0]["jobName"].split("-")[0]
    got = client.list_model_customization_jobs(statusEquals="Completed", nameContains=word)
    assert keys(spec, got["modelCustomizationJobSummaries"]) == [
        s["jobArn"] for s in summaries if s["status"] == "Completed" and word in s["jobName"]]
    with pytest.raises(client.exceptions.ValidationException, match="statusEquals"):
        client.list_model_customization_jobs(statusEquals="Done")
    with pytest.raises(client.exceptions.ValidationException, match="sortBy"):
        client.list_model_customization_jobs(sortBy="Name")


@pytest.mark.parametrize("spec", [s for s in ALL_OPS if s.sortable], ids=lambda s: s.operation)
def test_bedrock_sort_order(fake_jobs, spec):
    summaries, _ = _seeded(fake_jobs, spec, 12)
    client = client_for(fake_jobs, spec.service)
    newest_first = [s[spec.key] for s in sorted(summaries, key=lambda s: s[spec.created], reverse=True)]
    assert keys(spec, list_all(client, spec)[0]) == newest_first
    by_time = spec.model.input_shape.members["sortBy"].enum[0]  # CreationTime; SubmissionTime (bedrock-runtime)
    assert by_time in ("CreationTime", "SubmissionTime")
    assert keys(spec, list_all(client, spec, sortOrder="Descending", sortBy=by_time)[0]) == newest_first
    items, pages = list_all(client, spec, sortOrder="Ascending", **{spec.limit_member: 5})
    assert keys(spec, items) == newest_first[::-1] and len(pages) == 3


@pytest.mark.parametrize("spec", [s for s in ALL_OPS if not s.sortable], ids=lambda s: f"{s.service}.{s.operation}")
def test_newest_first(fake_jobs, spec):
    """Data Exchange documents CreatedAt descending; Forecast and Personalize list newest first too."""
    summaries, parents = generate_entries(spec.service, spec.operation, 15, seed=9)
    shuffled = summaries[::2] + summaries[1::2]
    fake_jobs.add_jobs(spec.service, spec.operation, shuffled)
    got, _ = list_all(client_for(fake_jobs, spec.service), spec, **{spec.limit_member: 4})
    created = [j[spec.created] for j in got]
    assert created == sorted(created, reverse=True) and len(got) == 15


def test_jobs_added_between_listings_are_seen(fake_jobs):
    spec = next(s for s in ALL_OPS if s.service == "dataexchange")
    summaries, _ = _seeded(fake_jobs, spec, 5)
    client = client_for(fake_jobs, "dataexchange")
    data_set = _dx_details(summaries[0])["DataSetId"]
    before = len(client.list_jobs(DataSetId=data_set)["Jobs"])
    newer = dict(summaries[0], Id="f" * 32, Arn=summaries[0]["Arn"][:-32] + "f" * 32,
                 CreatedAt=dt.datetime(2030, 1, 1, tzinfo=UTC), UpdatedAt=dt.datetime(2030, 1, 1, tzinfo=UTC))
    fake_jobs.add_jobs("dataexchange", "ListJobs", [newer])
    jobs = client.list_jobs(DataSetId=data_set)["Jobs"]
    assert len(jobs) == before + 1 and jobs[0]["Id"] == "f" * 32
