"""The drift check: jobinventory's specs against botocore's models of the four services.

CI installs the boto3/botocore pinned in constraints.txt. Raising the pin is
how the project takes in AWS changes, and this test then names what to map:
a new List operation (cover it, or exclude it in specs/coverage.py with a
reason), a new status word (statuses.py or the spec), a new summary member
that no Job field and no details would keep, a renamed field, a new filter.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from jobinventory import JobStatus, normalize
from jobinventory.registry import all_specs
from jobinventory.specs import BUILTIN_SPECS
from jobinventory.specs.coverage import EXCLUDED, SERVICES
from jobinventory.specs.statuses import is_deliberately_unknown

from . import shapes

COVERED = {key: spec for key, spec in all_specs().items() if key[0] in SERVICES}
SPEC_IDS = [f"{s}:{o}" for s, o in COVERED]
LIST_OPERATIONS = [
    (service, op)
    for service in SERVICES
    for op in shapes.service_model(service).operation_names
    if op.startswith("List")
]


def _lists_jobs(service: str, operation: str) -> bool:
    """The operation's name or its result names jobs or exports."""
    op = shapes.operation_model(service, operation)
    words = [operation] + shapes.list_members(op.output_shape)
    return any(w in name.lower() for name in words for w in ("job", "export"))


# -- coverage -----------------------------------------------------------------

@pytest.mark.parametrize("service,operation", LIST_OPERATIONS, ids=[f"{s}:{o}" for s, o in LIST_OPERATIONS])
def test_every_list_operation_is_covered_or_excluded(service, operation):
    key = (service, operation)
    covered, excluded = key in COVERED, key in EXCLUDED
    kind = "lists jobs or exports" if _lists_jobs(service, operation) else "is a List operation"
    assert covered or excluded, (
        f"{service} {operation} {kind} and is neither covered (a spec) nor excluded "
        "(jobinventory/specs/coverage.py, with the reason)"
    )
    assert not (covered and excluded), f"{service} {operation} is covered and also excluded in coverage.py"
    if excluded:
        assert len(EXCLUDED[key].strip()) >= 20, f"{service} {operation}: write the reason for the exclusion"


def test_job_and_export_lists_are_all_covered_or_excluded():
    # The rule of the issue, apart: every List operation whose name or result
    # names jobs or exports.
    missing = [
        f"{s} {o}" for s, o in LIST_OPERATIONS
        if _lists_jobs(s, o) and (s, o) not in COVERED and (s, o) not in EXCLUDED
    ]
    assert not missing, f"job lists neither covered nor excluded: {missing}"


def test_exclusions_name_operations_that_exist():
    stale = [f"{s} {o}" for s, o in EXCLUDED if (s, o) not in LIST_OPERATIONS]
    assert not stale, f"coverage.py excludes operations botocore no longer has: {stale}"


def test_every_builtin_spec_is_of_the_examined_services():
    assert {spec.key for spec in BUILTIN_SPECS} <= set(COVERED)
    assert len(COVERED) == len(BUILTIN_SPECS) == 24


# -- each covered operation -----------------------------------------------------

@pytest.mark.parametrize("key", list(COVERED), ids=SPEC_IDS)
def test_spec_agrees_with_the_model(key):
    problems = shapes.lint_spec(COVERED[key])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", list(COVERED), ids=SPEC_IDS)
def test_every_status_in_the_model_maps_to_a_unified_status(key):
    spec = COVERED[key]
    values, origin = shapes.status_values(spec)
    assert values
    template = shapes.maximal(shapes.summary_shape(spec.service, spec.operation, spec.list_key))
    for value in values:
        job = normalize(spec.service, spec.operation, {**template, spec.status: value})
        if is_deliberately_unknown(value, spec.statuses):  # documented, and UNKNOWN on purpose (statuses.py)
            assert job.status is JobStatus.UNKNOWN and job.ended_at is None
        else:
            assert job.status is not JobStatus.UNKNOWN, f"{spec.service} {spec.operation}: {value!r} ({origin}) is UNKNOWN"
        assert job.raw_status == value


@pytest.mark.parametrize("key", list(COVERED), ids=SPEC_IDS)
def test_no_summary_member_is_dropped(key):
    lost = shapes.unread_members(COVERED[key])
    assert not lost, (
        f"{key[0]} {key[1]}: summary members neither read into a Job field nor kept in details: {lost}"
    )


@pytest.mark.parametrize("key", list(COVERED), ids=SPEC_IDS)
def test_named_fields_land_in_their_job_fields(key):
    wrong = shapes.misread_fields(COVERED[key])
    assert not wrong, f"{key[0]} {key[1]}: " + "; ".join(wrong)


@pytest.mark.parametrize("key", list(COVERED), ids=SPEC_IDS)
def test_job_type_follows_the_contract(key):
    spec = COVERED[key]
    if spec.job_type is None:
        # Data Exchange: the job's own Type, lower-cased.
        shape = shapes.summary_shape(spec.service, spec.operation, spec.list_key)
        for value in shape.members["Type"].enum:
            summary = shapes.maximal(shape)
            summary["Type"] = value
            assert normalize(spec.service, spec.operation, summary).job_type == value.lower()
    else:
        assert spec.job_type == shapes.expected_job_type(spec.operation)


# -- the checker itself catches what it should -----------------------------------

@pytest.mark.parametrize(
    "operation,job_type",
    [
        ("ListDatasetImportJobs", "dataset_import"),
        ("ListExplainabilityExports", "explainability_export"),
        ("ListWhatIfForecastExports", "what_if_forecast_export"),
        ("ListAdvancedPromptOptimizationJobs", "advanced_prompt_optimization"),
        ("ListTrainingJobs", "training"),
        ("ListJobRuns", "job_run"),
        ("ListWhatIfAnalyses", "what_if_analysis"),
    ],
)
def test_expected_job_type(operation, job_type):
    assert shapes.expected_job_type(operation) == job_type


def test_documented_status_words():
    doc = "<ul> <li> <p>CREATE PENDING &gt; CREATE IN_PROGRESS &gt; ACTIVE -or- CREATE FAILED</p> </li> </ul>"
    assert shapes.documented_status_words(doc) == ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE", "CREATE FAILED"]
    doc = "<p>States include:</p> <ul> <li> <p> <code>ACTIVE</code> </p> </li> <li> <p> <code>CREATE_PENDING</code>, <code>CREATE_FAILED</code> </p></li></ul>"
    assert shapes.documented_status_words(doc) == ["ACTIVE", "CREATE_PENDING", "CREATE_FAILED"]


def test_lint_names_what_drifted():
    import attrs

    spec = COVERED[("bedrock", "ListModelInvocationJobs")]
    broken = attrs.evolve(
        spec,
        created="creationTime",
        source=("inputDataConfig", "s3Input", "s3Uri"),
        statuses={"Completed": JobStatus.UNKNOWN},
        pushdown=attrs.evolve(spec.pushdown, newest_first_params={"sortBy": "SubmissionTime"}, name_contains_param=None),
    )
    text = "\n".join(shapes.lint_spec(broken))
    assert "'creationTime'" in text
    assert "inputDataConfig.s3Input" in text
    assert "'Completed'" in text and "UNKNOWN" in text
    assert "SubmissionTime" in text
    assert "'nameContains'" in text
    forecast = COVERED[("forecast", "ListExplainabilityExports")]
    text = "\n".join(shapes.lint_spec(attrs.evolve(forecast, documented_statuses=forecast.documented_statuses[1:])))
    assert "'ACTIVE'" in text


def test_unread_members_names_a_dropped_member():
    import attrs

    spec = COVERED[("bedrock", "ListModelInvocationJobs")]

    def drop(summary, fields):  # a hook that takes a member and puts it nowhere
        fields["details"].pop("totalRecordCount", None)

    assert shapes.unread_members(attrs.evolve(spec, hook=drop)) == ["totalRecordCount"]


# -- new members are named, even though details would keep them -----------------

REVIEWED_FILE = Path(__file__).with_name("reviewed_members.json")
UPDATE_ENV = "JOBINVENTORY_UPDATE_REVIEWED"


def _current_members():
    return {
        f"{s}:{o}": sorted(shapes.summary_shape(s, o, spec.list_key).members)
        for (s, o), spec in sorted(COVERED.items())
    }


def test_every_summary_member_has_been_reviewed():
    """A member AWS adds is kept in details (never dropped), but it may be one a
    Job field should take (an end time, a message): the test names it once, and
    recording it in reviewed_members.json says someone decided."""
    current = _current_members()
    if os.environ.get(UPDATE_ENV):
        REVIEWED_FILE.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    reviewed = json.loads(REVIEWED_FILE.read_text())
    problems = []
    for key, members in current.items():
        known = set(reviewed.get(key, ()))
        new = [m for m in members if m not in known]
        gone = sorted(known - set(members))
        if new:
            problems.append(f"{key}: new summary member(s) {new}: read into a Job field in the spec, or leave in details")
        if gone:
            problems.append(f"{key}: member(s) {gone} are gone from the model: check the spec does not name them")
    for key in sorted(set(reviewed) - set(current)):
        problems.append(f"{key}: reviewed but no longer covered")
    assert not problems, "\n".join(problems) + f"\nThen record the review: {UPDATE_ENV}=1 pytest {__file__}"
