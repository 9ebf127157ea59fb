import pytest

from jobinventory import NormalizationError, normalize
from jobinventory.normalize import normalize_response, summaries_of

from .test_seed_adapters import BEDROCK_IMPORT, FORECAST_IMPORT, PERSONALIZE_IMPORT


def test_missing_creation_time_names_service_operation_field():
    summary = {k: v for k, v in FORECAST_IMPORT.items() if k != "CreationTime"}
    with pytest.raises(NormalizationError) as info:
        normalize("forecast", "ListDatasetImportJobs", summary)
    err = info.value
    assert (err.service, err.operation, err.field) == ("forecast", "ListDatasetImportJobs", "CreationTime")
    assert "forecast" in str(err) and "ListDatasetImportJobs" in str(err) and "CreationTime" in str(err)


@pytest.mark.parametrize("garbage", ["next tuesday", "2024-02-31T00:00:00Z", [], {"x": 1}, True])
def test_garbage_timestamp_names_the_field(garbage):
    with pytest.raises(NormalizationError) as info:
        normalize("personalize", "ListDatasetImportJobs", dict(PERSONALIZE_IMPORT, lastUpdatedDateTime=garbage))
    assert info.value.field == "lastUpdatedDateTime"


def test_missing_status_and_id_and_non_object():
    with pytest.raises(NormalizationError, match="status"):
        normalize("bedrock", "ListModelImportJobs", {k: v for k, v in BEDROCK_IMPORT.items() if k != "status"})
    with pytest.raises(NormalizationError, match="jobArn"):
        normalize("bedrock", "ListModelImportJobs", {k: v for k, v in BEDROCK_IMPORT.items() if k != "jobArn"})
    with pytest.raises(NormalizationError, match="JSON object"):
        normalize("bedrock", "ListModelImportJobs", ["not", "a", "summary"])
    with pytest.raises(NormalizationError, match="string"):
        normalize("bedrock", "ListModelImportJobs", dict(BEDROCK_IMPORT, jobName=["x"]))


def test_unknown_service_or_operation():
    with pytest.raises(NormalizationError, match="unknown service 'glue'"):
        normalize("glue", "ListJobRuns", {})
    with pytest.raises(NormalizationError, match="ListDatasetImportJobs"):
        normalize("forecast", "ListMonitors", {})


def test_whole_response_bare_list_and_wrong_key():
    whole = {"modelImportJobSummaries": [BEDROCK_IMPORT], "nextToken": "abc"}
    assert summaries_of("bedrock", "ListModelImportJobs", whole) == [BEDROCK_IMPORT]
    assert summaries_of("bedrock", "ListModelImportJobs", [BEDROCK_IMPORT]) == [BEDROCK_IMPORT]
    with pytest.raises(NormalizationError, match="modelImportJobSummaries") as info:
        summaries_of("bedrock", "ListModelImportJobs", {"jobs": []})
    assert "'jobs'" in str(info.value)


def test_response_errors_name_the_item_index():
    bad = {k: v for k, v in BEDROCK_IMPORT.items() if k != "creationTime"}
    with pytest.raises(NormalizationError, match="item 1") as info:
        list(normalize_response("bedrock", "ListModelImportJobs", [BEDROCK_IMPORT, bad]))
    assert info.value.field == "creationTime"


def test_given_region_and_account_are_checked():
    with pytest.raises(NormalizationError, match="12-digit"):
        normalize("bedrock", "ListModelImportJobs", BEDROCK_IMPORT, account_id="42")
    with pytest.raises(NormalizationError, match="region"):
        normalize("bedrock", "ListModelImportJobs", BEDROCK_IMPORT, region=7)


def test_garbage_nested_timestamp_names_its_path():
    summary = {
        "jobArn": "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghijkl",
        "jobName": "batch", "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
        "roleArn": "arn:aws:iam::123456789012:role/r", "status": "Completed",
        "submitTime": "2024-05-01T00:00:00Z", "jobExpirationTime": "whenever",
        "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://in/"}},
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://out/"}},
    }
    with pytest.raises(NormalizationError) as info:
        normalize("bedrock", "ListModelInvocationJobs", summary)
    assert info.value.field == "jobExpirationTime"
    summary["jobExpirationTime"] = 1714608000000  # epoch milliseconds, as a REST body may have it
    assert normalize("bedrock", "ListModelInvocationJobs", summary).details["jobExpirationTime"] == "2024-05-02T00:00:00Z"
