"""What AWS documents about each job-list operation the fake serves.

One :class:`FakeOperation` per operation: a few declarative lines saying
which output member holds the jobs, which summary member is the creation time,
the status member and its documented words, the server-side filters and the
documented error codes. Everything the botocore model already says (protocol,
HTTP method and path, JSON target, token and page-size members, the page-size
bounds, the output shapes) is read from the model, never repeated here.

Filters are declared as :class:`Filter` rows: ``param`` is the request
parameter (for Forecast, the ``Key`` of a ``Filters`` entry), ``kind`` one of
``equals``, ``contains``, ``after``, ``before``, ``has`` (the job attribute is
a collection holding the value), and ``field`` the summary member it reads, or
one of the derived attributes below (names starting with ``@``):

``@parent``
    The ARN of the resource the job belongs to when the summary does not say
    it: for Forecast it is derived from the job ARN
    (``dataset-import-job/<dataset>/<job>`` gives ``dataset/<dataset>``); for
    Personalize dataset import and export jobs it is what ``add_jobs(...,
    parent_arn=...)`` was given.
``@data_set_id`` / ``@revision_ids``
    Data Exchange: the data set and revisions named in the job's ``Details``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import botocore.session

FILTER_KINDS = ("equals", "contains", "after", "before", "has", "in")


@dataclass(frozen=True)
class Filter:
    """One server-side filter: request ``param`` compared (``kind``) to ``field``."""

    param: str
    kind: str
    field: str

    def __post_init__(self) -> None:
        if self.kind not in FILTER_KINDS:
            raise ValueError(f"unknown filter kind {self.kind!r}")


@dataclass(frozen=True)
class FakeOperation:
    """A job-list operation as the fake serves it.

    ``parent``: for Forecast, ``(job_resource_type, parent_resource_type)`` to
    derive ``@parent`` from the job ARN. ``filter_style`` is ``"params"``
    (each filter is its own request member) or ``"forecast"`` (a ``Filters``
    list of ``{Key, Value, Condition: IS | IS_NOT}``). ``sortable``: the
    operation takes ``sortBy``/``sortOrder`` (Bedrock; default descending by
    creation time). ``default_page_size``: None means the model's maximum.
    """

    service: str
    operation: str
    result_key: str
    created: str
    status: str
    name: str | None
    key: str
    statuses: tuple[str, ...]
    filters: tuple[Filter, ...] = ()
    filter_style: str = "params"
    parent: tuple[str, str] | None = None
    sortable: bool = False
    invalid_token_error: str = "InvalidNextTokenException"
    invalid_input_error: str = "InvalidInputException"
    default_page_size: int | None = None
    #: The lists a client walks first to find this one's required ids
    #: (bedrock-agent: ListKnowledgeBases, ListDataSources); seeding adds them.
    walk: tuple[str, ...] = ()
    #: ``filters=[{attribute, operator: EQ, values}]`` (bedrock-agent): (attribute, summary member) pairs.
    attribute_filters: tuple[tuple[str, str], ...] = ()
    #: ``sortBy={attribute, order}`` (bedrock-agent): the attribute that sorts by creation.
    sort_attribute: str | None = None

    # -- what the botocore model says ------------------------------------
    @functools.cached_property
    def service_model(self):
        return service_model(self.service)

    @functools.cached_property
    def model(self):
        return self.service_model.operation_model(self.operation)

    @property
    def protocol(self) -> str:
        return self.service_model.protocol

    @functools.cached_property
    def output_list_shape(self):
        return self.model.output_shape.members[self.result_key]

    @functools.cached_property
    def summary_shape(self):
        return self.output_list_shape.member

    @functools.cached_property
    def token_member(self) -> str:
        return _member_named(self.model.input_shape, "nexttoken")

    @functools.cached_property
    def output_token_member(self) -> str:
        return _member_named(self.model.output_shape, "nexttoken")

    @functools.cached_property
    def limit_member(self) -> str:
        return _member_named(self.model.input_shape, "maxresults")

    @functools.cached_property
    def page_bounds(self) -> tuple[int, int]:
        meta = self.model.input_shape.members[self.limit_member].metadata
        return int(meta.get("min", 1)), int(meta["max"])

    @property
    def page_size(self) -> int:
        return self.default_page_size or self.page_bounds[1]

    @functools.cached_property
    def path_regex(self) -> re.Pattern[str]:
        """The model's requestUri as a regex (labels match one path segment)."""
        uri = self.model.http["requestUri"].split("?", 1)[0]
        parts = re.split(r"(\{[^}]+\})", uri)
        rx = "".join(
            "[^/]+" if p.startswith("{") else re.escape(p) for p in parts if p
        )
        return re.compile(f"^{rx}/?$")

    @functools.cached_property
    def filter_by_param(self) -> Mapping[str, Filter]:
        return {f.param: f for f in self.filters}

    def parent_of(self, summary: Mapping[str, Any]) -> str | None:
        """``@parent`` derived from the job ARN (Forecast), else None."""
        if self.parent is None:
            return None
        job_type, parent_type = self.parent
        arn = summary.get(self.key) or ""
        prefix, _, resource = arn.partition(f":{job_type}/")
        if not resource or "/" not in resource:
            return None
        return f"{prefix}:{parent_type}/{resource.rsplit('/', 1)[0]}"


def _member_named(shape, lowered: str) -> str:
    for name in shape.members:
        if name.lower() == lowered:
            return name
    raise LookupError(f"{shape.name} has no {lowered} member")


@functools.lru_cache(maxsize=None)
def service_model(service: str):
    return _session().get_service_model(service)


@functools.lru_cache(maxsize=1)
def _session():
    return botocore.session.get_session()


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------
_FORECAST_STATUSES = (
    "ACTIVE", "CREATE_PENDING", "CREATE_IN_PROGRESS", "CREATE_FAILED",
    "CREATE_STOPPING", "CREATE_STOPPED",
    "DELETE_PENDING", "DELETE_IN_PROGRESS", "DELETE_FAILED",
)
_PERSONALIZE_CREATE = ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE", "CREATE FAILED")
_PERSONALIZE_BATCH = ("PENDING", "IN PROGRESS", "ACTIVE", "CREATE FAILED")


def _forecast(op: str, noun: str, filter_key: str, parent: tuple[str, str] | None, *, field_for_key: str = "@parent",
              more_keys: tuple[str, ...] = (), result_key: str | None = None) -> FakeOperation:
    """``more_keys``: further Filters keys, each matching the summary member of its name."""
    return FakeOperation(
        "forecast", op, result_key=result_key or f"{noun}s", created="CreationTime", status="Status",
        name=f"{noun}Name", key=f"{noun}Arn", statuses=_FORECAST_STATUSES,
        filter_style="forecast", parent=parent,
        filters=(Filter("Status", "equals", "Status"), Filter(filter_key, "equals", field_for_key))
        + tuple(Filter(k, "equals", k) for k in more_keys),
    )


def _personalize(op: str, result_key: str, arn: str, statuses: tuple[str, ...], flt: Filter,
                 name: str | None = "jobName") -> FakeOperation:
    return FakeOperation(
        "personalize", op, result_key=result_key, created="creationDateTime", status="status",
        name=name, key=arn, statuses=statuses, filters=(flt,),
    )


def _bedrock(op: str, result_key: str, *, created: str = "creationTime", status: str = "status",
             name: str | None = "jobName", filters: tuple[Filter, ...] = (), time_param: str = "creationTime",
             service: str = "bedrock", key: str = "jobArn") -> FakeOperation:
    model = service_model(service).operation_model(op)
    status_shape = model.output_shape.members[result_key].member.members[status]
    time_filters = tuple(
        Filter(f"{time_param}{suffix}", suffix.lower(), created)
        for suffix in ("After", "Before")
        if f"{time_param}{suffix}" in model.input_shape.members
    )
    return FakeOperation(
        service, op, result_key=result_key, created=created, status=status, name=name,
        key=key, statuses=tuple(status_shape.enum), sortable=True,
        filters=time_filters + filters,
        invalid_token_error="ValidationException", invalid_input_error="ValidationException",
    )


def _build_table() -> tuple[FakeOperation, ...]:
    dx_state = service_model("dataexchange").shape_for("State").enum
    return (
        _forecast("ListDatasetImportJobs", "DatasetImportJob", "DatasetArn", ("dataset-import-job", "dataset")),
        _forecast("ListForecastExportJobs", "ForecastExportJob", "ForecastArn", ("forecast-export-job", "forecast")),
        _forecast("ListPredictorBacktestExportJobs", "PredictorBacktestExportJob", "PredictorArn",
                  ("predictor-backtest-export-job", "predictor")),
        # ResourceArn: the Explainability the export was made from.
        _forecast("ListExplainabilityExports", "ExplainabilityExport", "ResourceArn",
                  ("explainability-export", "explainability")),
        _forecast("ListWhatIfForecastExports", "WhatIfForecastExport", "WhatIfForecastExportArn", None,
                  field_for_key="WhatIfForecastExportArn"),
        _personalize("ListDatasetImportJobs", "datasetImportJobs", "datasetImportJobArn", _PERSONALIZE_CREATE,
                     Filter("datasetArn", "equals", "@parent")),
        _personalize("ListDatasetExportJobs", "datasetExportJobs", "datasetExportJobArn", _PERSONALIZE_CREATE,
                     Filter("datasetArn", "equals", "@parent")),
        _personalize("ListBatchInferenceJobs", "batchInferenceJobs", "batchInferenceJobArn", _PERSONALIZE_BATCH,
                     Filter("solutionVersionArn", "equals", "solutionVersionArn")),
        _personalize("ListBatchSegmentJobs", "batchSegmentJobs", "batchSegmentJobArn", _PERSONALIZE_BATCH,
                     Filter("solutionVersionArn", "equals", "solutionVersionArn")),
        _personalize("ListDataDeletionJobs", "dataDeletionJobs", "dataDeletionJobArn",
                     ("PENDING", "IN_PROGRESS", "COMPLETED", "FAILED"),
                     Filter("datasetGroupArn", "equals", "datasetGroupArn")),
        FakeOperation(
            "dataexchange", "ListJobs", result_key="Jobs", created="CreatedAt", status="State", name=None,
            key="Arn", statuses=tuple(dx_state),
            filters=(Filter("DataSetId", "equals", "@data_set_id"), Filter("RevisionId", "has", "@revision_ids")),
            invalid_token_error="ValidationException", invalid_input_error="ValidationException",
        ),
        _bedrock("ListModelImportJobs", "modelImportJobSummaries", filters=(
            Filter("statusEquals", "equals", "status"), Filter("nameContains", "contains", "jobName"))),
        _bedrock("ListModelCustomizationJobs", "modelCustomizationJobSummaries", filters=(
            Filter("statusEquals", "equals", "status"), Filter("nameContains", "contains", "jobName"))),
        _bedrock("ListModelInvocationJobs", "invocationJobSummaries", created="submitTime", time_param="submitTime",
                 filters=(Filter("statusEquals", "equals", "status"), Filter("nameContains", "contains", "jobName"))),
        _bedrock("ListEvaluationJobs", "jobSummaries", filters=(
            Filter("statusEquals", "equals", "status"), Filter("nameContains", "contains", "jobName"),
            Filter("applicationTypeEquals", "equals", "applicationType"))),
        _bedrock("ListModelCopyJobs", "modelCopyJobSummaries", name="targetModelName", filters=(
            Filter("statusEquals", "equals", "status"),
            Filter("sourceAccountEquals", "equals", "sourceAccountId"),
            Filter("sourceModelArnEquals", "equals", "sourceModelArn"),
            Filter("targetModelNameContains", "contains", "targetModelName"))),
        _bedrock("ListAdvancedPromptOptimizationJobs", "jobSummaries", status="jobStatus"),
    )


def _agent(op: str, result_key: str, created: str, key: str, name: str | None,
           filters: tuple[Filter, ...] = (), **more: Any) -> FakeOperation:
    model = service_model("bedrock-agent").operation_model(op)
    status_shape = model.output_shape.members[result_key].member.members["status"]
    return FakeOperation(
        "bedrock-agent", op, result_key=result_key, created=created, status="status", name=name, key=key,
        statuses=tuple(status_shape.enum), filters=filters,
        invalid_token_error="ValidationException", invalid_input_error="ValidationException", **more,
    )


def _build_parents() -> tuple[FakeOperation, ...]:
    """Lists the fake serves that hold no jobs: the parents a job list's walk reads first."""
    return (
        _agent("ListKnowledgeBases", "knowledgeBaseSummaries", "updatedAt", "knowledgeBaseId", "name"),
        _agent("ListDataSources", "dataSourceSummaries", "updatedAt", "dataSourceId", "name",
               filters=(Filter("knowledgeBaseId", "equals", "knowledgeBaseId"),)),
    )


def _build_runs() -> tuple[FakeOperation, ...]:
    """Issue 18: training and generation runs, async invocations, knowledge-base ingestion."""
    return (
        # The summary does not name its solution: the generator gives it as the parent.
        _personalize("ListSolutionVersions", "solutionVersions", "solutionVersionArn",
                     _PERSONALIZE_CREATE + ("CREATE STOPPING", "CREATE STOPPED"),
                     Filter("solutionArn", "equals", "@parent"), name=None),
        # Each Filters key as the operation's documentation lists it.
        _forecast("ListPredictors", "Predictor", "DatasetGroupArn", None, field_for_key="DatasetGroupArn"),
        _forecast("ListForecasts", "Forecast", "DatasetGroupArn", None, field_for_key="DatasetGroupArn",
                  more_keys=("PredictorArn",)),
        _forecast("ListExplainabilities", "Explainability", "ResourceArn", None, field_for_key="ResourceArn",
                  result_key="Explainabilities"),
        _forecast("ListWhatIfForecasts", "WhatIfForecast", "WhatIfForecastArn", None,
                  field_for_key="WhatIfForecastArn"),
        # Signed as "bedrock" too: told apart from Bedrock's by its path.
        _bedrock("ListAsyncInvokes", "asyncInvokeSummaries", service="bedrock-runtime", key="invocationArn",
                 created="submitTime", time_param="submitTime", name=None,
                 filters=(Filter("statusEquals", "equals", "status"),)),
        # Per data source of a knowledge base: both ids are in the path.
        _agent("ListIngestionJobs", "ingestionJobSummaries", "startedAt", "ingestionJobId", None,
               filters=(Filter("knowledgeBaseId", "equals", "knowledgeBaseId"),
                        Filter("dataSourceId", "equals", "dataSourceId")),
               walk=("ListKnowledgeBases", "ListDataSources"),
               attribute_filters=(("STATUS", "status"),), sort_attribute="STARTED_AT"),
    )


@functools.lru_cache(maxsize=1)
def _table() -> Mapping[tuple[str, str], FakeOperation]:
    return {(s.service, s.operation): s for s in _build_table() + _build_runs()}


@functools.lru_cache(maxsize=1)
def _served() -> Mapping[tuple[str, str], FakeOperation]:
    return {**_table(), **{(s.service, s.operation): s for s in _build_parents()}}


def all_operations() -> tuple[FakeOperation, ...]:
    """Every job-list operation the fake serves, in a stable order."""
    return tuple(_table().values())


def served_operations() -> tuple[FakeOperation, ...]:
    """Every operation the fake answers: the job lists and their parents' lists."""
    return tuple(_served().values())


def get_operation(service: str, operation: str) -> FakeOperation:
    try:
        return _served()[(service, operation)]
    except KeyError:
        raise KeyError(f"the fake does not serve {service}:{operation}") from None


def services() -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.service for s in all_operations()))


def operations_of(service: str) -> tuple[FakeOperation, ...]:
    return tuple(s for s in all_operations() if s.service == service)


Extractor = Callable[[Mapping[str, Any], Any], Any]


def _dx_details(summary: Mapping[str, Any]) -> Mapping[str, Any]:
    for value in (summary.get("Details") or {}).values():
        if isinstance(value, Mapping):
            return value
    return {}


def _dx_data_set_id(summary: Mapping[str, Any], parent: Any) -> Any:
    return _dx_details(summary).get("DataSetId")


def _dx_revision_ids(summary: Mapping[str, Any], parent: Any) -> frozenset[str]:
    details = _dx_details(summary)
    ids = {details["RevisionId"]} if details.get("RevisionId") else set()
    ids.update(d.get("RevisionId") for d in details.get("RevisionDestinations") or () if d.get("RevisionId"))
    return frozenset(ids)


#: Derived attributes a :class:`Filter` may name instead of a summary member.
DERIVED: Mapping[str, Extractor] = {
    "@parent": lambda summary, parent: parent,
    "@data_set_id": _dx_data_set_id,
    "@revision_ids": _dx_revision_ids,
}
