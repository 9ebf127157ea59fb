"""Bedrock ListModelCustomizationJobs end to end through moto's implementation.

A customization job is created with moto's mock_aws, listed by a real boto3
client (paginator, with the spec's pushdown parameters), and normalized.
"""
from __future__ import annotations

import datetime as dt

import boto3
import pytest
from botocore import xform_name

from jobinventory import JobStatus, normalize
from jobinventory.registry import get_spec
from jobinventory.timestamps import to_utc

moto = pytest.importorskip("moto")

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
BASE_MODEL = "amazon.titan-text-express-v1"


@pytest.fixture
def bedrock():
    with moto.mock_aws():
        yield boto3.client("bedrock", region_name=REGION)


def _create(client, name: str, model_name: str) -> str:
    return client.create_model_customization_job(
        jobName=name,
        customModelName=model_name,
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/BedrockCustomization",
        baseModelIdentifier=BASE_MODEL,
        customizationType="FINE_TUNING",
        trainingDataConfig={"s3Uri": "s3://acme-bedrock-ft/train/support.jsonl"},
        outputDataConfig={"s3Uri": "s3://acme-bedrock-ft/output/"},
        hyperParameters={"epochCount": "2", "batchSize": "1", "learningRate": "0.00001"},
    )["jobArn"]


def _list(client, **params):
    spec = get_spec("bedrock", "ListModelCustomizationJobs")
    pages = client.get_paginator(xform_name(spec.operation)).paginate(**params)
    return [summary for page in pages for summary in page[spec.list_key]]


def test_customization_job_through_moto(bedrock, botocore_valid):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(days=1)
    arn = _create(bedrock, "support-bot-ft", "support-bot-titan")
    spec = get_spec("bedrock", "ListModelCustomizationJobs")
    push = spec.pushdown
    summaries = _list(
        bedrock,
        **push.newest_first_params,
        **{push.status_param: "InProgress", push.name_contains_param: "support", push.created_after_param: before},
    )
    assert len(summaries) == 1
    (summary,) = summaries
    botocore_valid("bedrock", "ListModelCustomizationJobs", {spec.list_key: summaries})

    job = normalize("bedrock", "ListModelCustomizationJobs", summary)
    assert job.arn == job.job_id == arn
    assert (job.service, job.operation, job.job_type) == ("bedrock", "ListModelCustomizationJobs", "model_customization")
    assert job.name == "support-bot-ft"
    assert (job.status, job.raw_status) == (JobStatus.RUNNING, "InProgress")
    assert (job.region, job.account_id) == (REGION, ACCOUNT)
    assert job.source == f"arn:aws:bedrock:{REGION}::foundation-model/{BASE_MODEL}"
    assert job.destination == summary["customModelArn"] and ":custom-model/" in job.destination
    assert job.created_at == to_utc(summary["creationTime"]) and job.created_at.utcoffset() == dt.timedelta(0)
    assert job.updated_at == to_utc(summary["lastModifiedTime"])
    assert job.details["customModelName"] == summary["customModelName"]
    assert job.details["customizationType"] == "FINE_TUNING"
    # Nothing of the summary is lost.
    consumed = set(spec.consumed_keys())
    assert set(summary) - consumed == set(job.details)


def test_pushed_down_filters_select_on_the_server(bedrock):
    _create(bedrock, "support-bot-ft", "support-bot-titan")
    _create(bedrock, "legal-summaries-ft", "legal-titan")
    push = get_spec("bedrock", "ListModelCustomizationJobs").pushdown
    names = [s["jobName"] for s in _list(bedrock, **{push.name_contains_param: "legal"})]
    assert names == ["legal-summaries-ft"]
    assert _list(bedrock, **{push.status_param: "Completed"}) == []
    jobs = [normalize("bedrock", "ListModelCustomizationJobs", s) for s in _list(bedrock, **push.newest_first_params)]
    assert {j.name for j in jobs} == {"support-bot-ft", "legal-summaries-ft"}
