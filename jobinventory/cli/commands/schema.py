"""`jobinventory schema`: the JSON Schema every exported record follows."""
from __future__ import annotations

import argparse
import sys

from ..status import EXIT_OK

HELP = "print the JSON Schema of a job record"
SUMMARY = "the JSON Schema of the records list and normalize write (JSON Schema 2020-12)"

EPILOG = """\
examples:
  jobinventory schema > job.schema.json
  jobinventory list --demo --format jsonl | check-jsonschema --schemafile job.schema.json -

Every record of the json and jsonl formats (one jobinventory.to_dict each)
validates against it.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace) -> int:
    from ...schema import job_schema_text

    sys.stdout.write(job_schema_text())
    return EXIT_OK
