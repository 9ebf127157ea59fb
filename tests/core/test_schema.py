"""The job schema ships in the package, equal to the repository's schemas/ copy."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema

from jobinventory import Job, JobStatus, cli, to_dict
from jobinventory.schema import job_schema, job_schema_text

REPO_COPY = Path(__file__).resolve().parents[2] / "schemas" / "job.schema.json"
PACKAGE_COPY = Path(__file__).resolve().parents[2] / "jobinventory" / "schemas" / "job.schema.json"


def test_the_two_copies_are_identical():
    assert PACKAGE_COPY.read_bytes() == REPO_COPY.read_bytes()
    assert job_schema_text() == REPO_COPY.read_text(encoding="utf-8")


def test_the_shipped_schema_validates_a_record():
    schema = job_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    job = Job(service="bedrock", operation="ListModelImportJobs", job_type="model_import", job_id="j-1",
              arn=None, name="n", status=JobStatus.FAILED, raw_status="Failed",
              created_at=dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc), details={"k": [1]})
    jsonschema.validate(to_dict(job), schema)
    record = dict(to_dict(job), status="EXPLODED")
    assert not jsonschema.Draft202012Validator(schema).is_valid(record)


def test_schema_command_prints_the_file(capsys):
    assert cli.main(["schema"]) == 0
    out, err = capsys.readouterr()
    assert out == REPO_COPY.read_text(encoding="utf-8") and err == ""
    assert json.loads(out)["title"] == job_schema()["title"]


def test_setup_ships_the_schema_as_package_data():
    setup = (Path(__file__).resolve().parents[2] / "setup.cfg").read_text()
    assert "jobinventory = py.typed, schemas/*.json" in setup
