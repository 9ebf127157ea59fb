"""The JSON Schema of a job record (`to_dict` output), shipped in the package.

`schemas/job.schema.json` at the top of the repository is the same file
(tests/core/test_schema.py holds the two identical); this one is what an
installed jobinventory reads, through importlib.resources.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any, Dict

__all__ = ["job_schema", "job_schema_text"]


def job_schema_text() -> str:
    """The schema as its file says it (JSON Schema 2020-12)."""
    return resources.files("jobinventory").joinpath("schemas", "job.schema.json").read_text(encoding="utf-8")


def job_schema() -> Dict[str, Any]:
    """The schema as a dict, for a validator such as `jsonschema`."""
    return json.loads(job_schema_text())
