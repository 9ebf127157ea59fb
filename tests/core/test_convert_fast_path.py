"""to_dict and the exporters build records straight from the Job: the converter's output, exactly."""
import datetime as dt
import decimal
import json

import attrs
import pytest

from jobinventory import normalize, to_dict
from jobinventory.convert import converter
from jobinventory.export import csv as csv_export
from jobinventory.export.json import dumps_record
from jobinventory.registry import all_specs
from jobinventory.testing.seeds import generate_entries

from .test_convert import VALIDATOR

NOW = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)


def _jobs(service, operation):
    summaries, _parents = generate_entries(service, operation, 40, region="eu-west-1",
                                           account_id="123456789012", seed=3, now=NOW)
    return [normalize(service, operation, s, region="eu-west-1", account_id="123456789012") for s in summaries]


def _compact(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("service,operation", sorted(all_specs()), ids=lambda v: str(v))
def test_every_operation_gives_the_converters_record(service, operation):
    jobs = _jobs(service, operation)
    assert len(jobs) == 40
    for job in jobs:
        slow = converter.unstructure(job)
        fast = to_dict(job)
        assert fast == slow
        assert _compact(fast) == _compact(slow)  # same types and key order, not only equal values
        VALIDATOR.validate(fast)
        assert dumps_record(job) == _compact(slow)
        assert csv_export.row(job) == [csv_export.cell(slow[name]) for name in csv_export.COLUMNS]


def test_to_dict_details_is_a_deep_copy():
    job = normalize("forecast", "ListDatasetImportJobs", {
        "DatasetImportJobArn": "arn:aws:forecast:eu-west-1:123456789012:dataset-import-job/s/i",
        "Status": "ACTIVE", "CreationTime": NOW,
        "DataSource": {"S3Config": {"Path": "s3://b/k"}}, "Sizes": [{"n": 1}],
    })
    data = to_dict(job)
    data["details"]["DataSource"]["S3Config"]["Path"] = "changed"
    data["details"]["Sizes"][0]["n"] = 2
    assert job.details["DataSource"]["S3Config"]["Path"] == "s3://b/k"
    assert job.details["Sizes"] == [{"n": 1}]


WHEN = dt.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("details", [
    {"when": WHEN},
    {"nested": {"list": [1, {"when": WHEN}]}},
    {"amount": decimal.Decimal("1.5")},
    {"pair": (1, "a")},
    {1: "int key"},
    {"ratio": 0.25, "none": None, "flag": True},
], ids=["datetime", "nested-datetime", "decimal", "tuple", "int-key", "plain-leaves"])
def test_details_beyond_json_types_go_through_the_converter(details):
    job = attrs.evolve(_jobs("bedrock", "ListModelCopyJobs")[0], details=details)
    slow = converter.unstructure(job)
    assert to_dict(job) == slow
    try:
        expected = _compact(slow)
    except TypeError:
        with pytest.raises(TypeError):
            dumps_record(job)
        return
    assert dumps_record(job) == expected
    assert csv_export.row(job) == [csv_export.cell(slow[name]) for name in csv_export.COLUMNS]


def test_a_set_in_details_fails_as_before():
    job = attrs.evolve(_jobs("bedrock", "ListModelCopyJobs")[0], details={"tags": {"a"}})
    with pytest.raises(TypeError):
        _compact(converter.unstructure(job))
    with pytest.raises(TypeError):
        dumps_record(job)
