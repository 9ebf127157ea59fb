"""Third-party adapters through the entry-point group `jobinventory.adapters`.

The sample package (sample_plugin/, one SageMaker ListTrainingJobs spec) is
installed for the test (conftest.py) and must be taken up like a built-in:
in the registry, by normalize, by `jobinventory operations`, and linted
against botocore by the same checks as the built-in specs.
"""
from __future__ import annotations

import datetime as dt
import logging
from importlib import metadata
from pathlib import Path

import boto3
from botocore import xform_name
import pytest

from jobinventory import Job, JobStatus, normalize
from jobinventory.errors import NormalizationError
from jobinventory.covered import covered_operations
from jobinventory.registry import ENTRY_POINT_GROUP, all_specs, get_spec, services
from jobinventory.specs import BUILTIN_SPECS

from specs import shapes  # tests/specs/shapes.py (tests/ is on sys.path: rootdir-relative packages)
from .conftest import on_sys_path

UTC = dt.timezone.utc
ACCOUNT = "123456789012"
KEY = ("sagemaker", "ListTrainingJobs")
TRAINING_ARN = f"arn:aws:sagemaker:eu-central-1:{ACCOUNT}:training-job/xgb-churn-2024-06-15-10-00-00"
TRAINING_JOB = {
    "TrainingJobName": "xgb-churn-2024-06-15-10-00-00",
    "TrainingJobArn": TRAINING_ARN,
    "CreationTime": dt.datetime(2024, 6, 15, 10, 0, 2, tzinfo=UTC),
    "TrainingEndTime": dt.datetime(2024, 6, 15, 10, 41, 9, tzinfo=UTC),
    "LastModifiedTime": dt.datetime(2024, 6, 15, 10, 41, 30, tzinfo=UTC),
    "TrainingJobStatus": "Completed",
    "SecondaryStatus": "Completed",
}


def test_the_entry_point_is_found_through_importlib_metadata(installed_plugin):
    eps = metadata.entry_points()
    found = eps.select(group=ENTRY_POINT_GROUP) if hasattr(eps, "select") else eps.get(ENTRY_POINT_GROUP, ())
    (ep,) = [ep for ep in found if ep.value == "jobinventory_sagemaker:SPECS"]
    assert ep.name == "sagemaker"
    assert metadata.version("jobinventory-sagemaker-sample") == "0.1.0"


def test_the_plugin_spec_is_in_the_registry(installed_plugin):
    assert KEY in all_specs()
    assert "sagemaker" in services()
    spec = get_spec(*KEY)
    assert spec.job_type == "training"
    # The built-ins are all still there.
    assert len(all_specs()) == len(BUILTIN_SPECS) + 1 == 25


def test_normalize_works_on_the_plugin_operation(installed_plugin, botocore_valid):
    botocore_valid("sagemaker", "ListTrainingJobs", {"TrainingJobSummaries": [TRAINING_JOB]})
    job = normalize("sagemaker", "ListTrainingJobs", TRAINING_JOB)
    assert job == Job(
        service="sagemaker",
        operation="ListTrainingJobs",
        job_type="training",
        job_id=TRAINING_ARN,
        arn=TRAINING_ARN,
        name="xgb-churn-2024-06-15-10-00-00",
        status=JobStatus.SUCCEEDED,
        raw_status="Completed",
        created_at=TRAINING_JOB["CreationTime"],
        updated_at=TRAINING_JOB["LastModifiedTime"],
        ended_at=TRAINING_JOB["TrainingEndTime"],
        region="eu-central-1",
        account_id=ACCOUNT,
        details={"SecondaryStatus": "Completed"},
    )
    assert job.duration == dt.timedelta(minutes=41, seconds=7)


def test_the_plugin_spec_passes_the_same_lint_as_the_builtins(installed_plugin):
    spec = get_spec(*KEY)
    assert shapes.lint_spec(spec) == []
    assert shapes.unread_members(spec) == []
    assert shapes.misread_fields(spec) == []


def test_operations_lists_the_plugin(installed_plugin):
    session = boto3.session.Session(region_name="us-east-1")
    rows = {(r.service, r.operation): r for r in covered_operations(session)}
    row = rows[KEY]
    assert (row.job_type, row.plugin, row.description) == ("training", True, "SageMaker training jobs")
    assert row.regions == tuple(sorted(session.get_available_regions("sagemaker")))
    assert not rows[("bedrock", "ListModelCopyJobs")].plugin


def test_end_to_end_through_boto3_and_moto(installed_plugin):
    # A real boto3 client parses a real ListTrainingJobs response (moto),
    # through the plug-in's pushdown parameters.
    moto = pytest.importorskip("moto")
    spec = get_spec(*KEY)
    with moto.mock_aws():
        client = boto3.client("sagemaker", region_name="eu-central-1")
        client.create_training_job(
            TrainingJobName="xgb-churn-nightly",
            AlgorithmSpecification={
                "TrainingImage": "492215442770.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-xgboost:1.7-1",
                "TrainingInputMode": "File",
            },
            RoleArn=f"arn:aws:iam::{ACCOUNT}:role/SageMakerTraining",
            OutputDataConfig={"S3OutputPath": "s3://acme-ml/churn/models/"},
            ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
            StoppingCondition={"MaxRuntimeInSeconds": 3600},
        )
        pages = client.get_paginator(xform_name(spec.operation)).paginate(
            **spec.pushdown.newest_first_params, **{spec.pushdown.status_param: "Completed"}
        )
        summaries = [s for page in pages for s in page[spec.list_key]]
    (summary,) = summaries
    job = normalize("sagemaker", "ListTrainingJobs", summary)
    assert (job.name, job.job_type, job.status, job.raw_status) == (
        "xgb-churn-nightly", "training", JobStatus.SUCCEEDED, "Completed"
    )
    assert job.arn == summary["TrainingJobArn"] and job.region == "eu-central-1" and job.account_id == ACCOUNT
    assert job.created_at.tzinfo is not None and job.created_at.utcoffset() == dt.timedelta(0)


def test_uninstalled_the_plugin_is_gone(sample_plugin_dir):
    with on_sys_path(sample_plugin_dir):
        assert KEY in all_specs()
    assert KEY not in all_specs()
    with pytest.raises(NormalizationError, match="sagemaker"):
        normalize("sagemaker", "ListTrainingJobs", TRAINING_JOB)


SHADOW_MODULE = '''
import attrs
from jobinventory.specs import BUILTIN_SPECS

SHADOW = attrs.evolve(
    next(s for s in BUILTIN_SPECS if s.key == ("forecast", "ListDatasetImportJobs")),
    job_type="hijacked",
)
NOT_A_SPEC = [42]
'''


def test_broken_plugins_warn_and_never_break_the_builtins(tmp_path: Path, installed_plugin, caplog):
    (tmp_path / "jobinventory_shadow.py").write_text(SHADOW_MODULE)
    info = tmp_path / "broken_adapters-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-adapters\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[jobinventory.adapters]\n"
        "missing = no_such_module_for_jobinventory:SPECS\n"
        "notaspec = jobinventory_shadow:NOT_A_SPEC\n"
        "shadow = jobinventory_shadow:SHADOW\n"
    )
    caplog.set_level(logging.WARNING, logger="jobinventory")
    with on_sys_path(tmp_path):
        specs = all_specs()
        # The good plug-in is still taken up; a plug-in cannot replace a built-in.
        assert KEY in specs
        assert specs[("forecast", "ListDatasetImportJobs")].job_type == "dataset_import"
        assert len(specs) == len(BUILTIN_SPECS) + 1 == 25
    text = caplog.text
    assert "missing" in text and "could not be loaded" in text
    assert "notaspec" in text and "not an OperationSpec" in text
