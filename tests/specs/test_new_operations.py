"""The twelve operations of issue 6 on realistic summaries: exact Job fields.

Every fixture is first checked against botocore's output shape (types,
required members, enums, and the patterns and lengths ParamValidator leaves
alone), so a summary AWS could not send fails the test.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import jsonschema
import pytest

from jobinventory import JobStatus, from_dict, normalize, to_dict
from jobinventory.normalize import normalize_response

from . import shapes
from .fixtures import CASES

IDS = [f"{s}:{o}" for s, o in CASES]
SCHEMA = json.loads((Path(__file__).parents[2] / "schemas" / "job.schema.json").read_text())


@pytest.mark.parametrize("key", list(CASES), ids=IDS)
def test_fixture_is_something_aws_could_send(key, botocore_valid):
    service, operation = key
    summary, _ = CASES[key]
    spec_key = shapes.model_list_key(service, operation)
    botocore_valid(service, operation, {spec_key: [summary]})
    problems = shapes.strict_problems(
        shapes.operation_model(service, operation).output_shape,
        {spec_key: [summary]},
        # Forecast's model reuses its Arn shape, whose pattern is for Forecast
        # ARNs, for the IAM role of S3Config: real roles do not match it. Its
        # ForecastSummary reuses a Name shape for PredictorArn and DatasetGroupArn.
        ignore=("S3Config.RoleArn", "Forecasts[0].PredictorArn", "Forecasts[0].DatasetGroupArn"),
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", list(CASES), ids=IDS)
def test_normalizes_to_the_exact_job(key):
    summary, expected = CASES[key]
    job = normalize(*key, summary)
    assert job == expected
    assert job.details == expected.details  # (equal already; named for a clearer diff)


def _wire(value, protocol):
    """A timestamp as it is on the wire: epoch seconds (JSON 1.1), ISO 8601 (REST-JSON)."""
    if isinstance(value, dt.datetime):
        return value.timestamp() if protocol == "json" else value.isoformat()
    if isinstance(value, dict):
        return {k: _wire(v, protocol) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v, protocol) for v in value]
    return value


@pytest.mark.parametrize("key", list(CASES), ids=IDS)
def test_saved_json_response_gives_the_same_job(key):
    # `jobinventory normalize FILE`: a saved response, timestamps as the wire
    # sends them (epoch numbers or ISO strings) or as the AWS CLI prints them.
    service, operation = key
    summary, expected = CASES[key]
    protocol = shapes.service_model(service).protocol
    for form in (protocol, "rest-json"):
        wire = _wire(summary, form)
        response = json.loads(json.dumps({shapes.model_list_key(service, operation): [wire]}))
        (job,) = normalize_response(service, operation, response)
        # The very same Job, details included: a timestamp nested in details
        # is ISO 8601 Z whatever form it came in (the model says which
        # members are timestamps).
        assert attrs.evolve(job, details={}) == attrs.evolve(expected, details={}), form
        assert job.details == expected.details, form


@pytest.mark.parametrize("key", list(CASES), ids=IDS)
def test_round_trips_and_validates_against_the_schema(key):
    job = normalize(*key, CASES[key][0])
    data = to_dict(job)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert from_dict(json.loads(json.dumps(data))) == job


def test_region_and_account_given_override_nothing_they_fill_in():
    summary, expected = CASES[("bedrock", "ListModelCopyJobs")]
    job = normalize("bedrock", "ListModelCopyJobs", summary, region="us-west-2", account_id="123456789012")
    assert job == expected


@pytest.mark.parametrize(
    "key,raw,unified",
    [
        (("personalize", "ListBatchInferenceJobs"), "PENDING", JobStatus.PENDING),
        (("personalize", "ListBatchInferenceJobs"), "IN PROGRESS", JobStatus.RUNNING),
        (("personalize", "ListBatchSegmentJobs"), "CREATE IN_PROGRESS", JobStatus.RUNNING),
        (("personalize", "ListDataDeletionJobs"), "IN_PROGRESS", JobStatus.RUNNING),
        (("personalize", "ListDataDeletionJobs"), "FAILED", JobStatus.FAILED),
        (("bedrock", "ListModelInvocationJobs"), "Scheduled", JobStatus.PENDING),
        (("bedrock", "ListModelInvocationJobs"), "Expired", JobStatus.FAILED),
        (("bedrock", "ListEvaluationJobs"), "Deleting", JobStatus.DELETING),
        (("bedrock", "ListAdvancedPromptOptimizationJobs"), "PartiallyCompleted", JobStatus.FAILED),
        (("forecast", "ListWhatIfForecastExports"), "CREATE_STOPPED", JobStatus.STOPPED),
    ],
)
def test_status_words_of_the_new_operations(key, raw, unified):
    summary, _ = CASES[key]
    status_member = {"ListAdvancedPromptOptimizationJobs": "jobStatus"}.get(key[1]) or (
        "Status" if key[0] == "forecast" else "status"
    )
    job = normalize(*key, {**summary, status_member: raw})
    assert job.status is unified
    assert job.raw_status == raw


def test_personalize_ended_at_is_known_only_in_a_terminal_state():
    summary, _ = CASES[("personalize", "ListDataDeletionJobs")]
    running = normalize("personalize", "ListDataDeletionJobs", {**summary, "status": "IN_PROGRESS"})
    assert running.ended_at is None and running.duration is None
    done = normalize("personalize", "ListDataDeletionJobs", summary)
    assert done.duration == dt.timedelta(hours=3, minutes=12, seconds=44)


def test_model_invocation_without_optional_members():
    # Submitted: no end time, no message, no record counts yet.
    summary = {
        k: v for k, v in CASES[("bedrock", "ListModelInvocationJobs")][0].items()
        if k in ("jobArn", "jobName", "modelId", "roleArn", "submitTime", "inputDataConfig", "outputDataConfig")
    }
    summary["status"] = "Submitted"
    job = normalize("bedrock", "ListModelInvocationJobs", summary)
    assert (job.status, job.ended_at, job.message, job.updated_at) == (JobStatus.PENDING, None, None, None)
    assert job.source.startswith("s3://") and job.destination == "s3://acme-bedrock-batch/output/"
    assert set(job.details) == {"modelId", "roleArn", "inputDataConfig", "outputDataConfig"}


def test_model_copy_name_is_the_target_model_name():
    summary, _ = CASES[("bedrock", "ListModelCopyJobs")]
    job = normalize("bedrock", "ListModelCopyJobs", summary)
    assert job.name == summary["targetModelName"] != summary["sourceModelName"]
