import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from jobinventory import from_dict, normalize, to_dict
from jobinventory.convert import FIELDS, InvalidRecordError

from .test_seed_adapters import CASES

SCHEMA = json.loads((Path(__file__).parents[2] / "schemas" / "job.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
JOBS = [normalize(service, operation, summary) for service, operation, _, summary in CASES]


def test_schema_is_valid_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert sorted(SCHEMA["required"]) == sorted(FIELDS)


@pytest.mark.parametrize("job", JOBS, ids=lambda j: f"{j.service}-{j.operation}")
def test_round_trip_and_schema(job):
    data = to_dict(job)
    assert list(data) == list(FIELDS)
    VALIDATOR.validate(data)
    assert from_dict(data) == job
    # through real JSON text too
    assert from_dict(json.loads(json.dumps(data))) == job


def test_timestamps_are_iso_z_and_status_is_its_value():
    data = to_dict(JOBS[0])
    assert data["created_at"] == "2024-05-01T09:00:00Z"
    assert data["updated_at"] == "2024-05-01T09:12:30Z"
    assert data["status"] == "FAILED"
    assert to_dict(JOBS[1])["ended_at"] is None


def test_schema_rejects_what_to_dict_never_gives():
    data = to_dict(JOBS[0])
    for bad in (
        dict(data, status="DONE"),
        dict(data, created_at="2024-05-01T09:00:00+02:00"),
        dict(data, created_at=None),
        dict(data, account_id="12345"),
        dict(data, extra=1),
        {k: v for k, v in data.items() if k != "raw_status"},
    ):
        assert not VALIDATOR.is_valid(bad), bad


def test_from_dict_refuses_bad_records_clearly():
    data = to_dict(JOBS[0])
    with pytest.raises(InvalidRecordError, match="created_at"):
        from_dict(dict(data, created_at="not a time"))
    with pytest.raises(InvalidRecordError):
        from_dict(dict(data, status="DONE"))
    with pytest.raises(InvalidRecordError):
        from_dict(dict(data, surprise=True))
    assert isinstance(InvalidRecordError("x"), ValueError)


def test_from_dict_accepts_other_time_forms():
    data = dict(to_dict(JOBS[0]), created_at="2024-05-01T11:00:00+02:00")
    assert from_dict(data).created_at == dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.timezone.utc)
