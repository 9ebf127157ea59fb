"""Deterministic, realistic job summaries for every operation the fake serves.

``generate(service, operation, n, region=..., account_id=..., seed=...)``
returns ``n`` summaries exactly as boto3 would return them (aware datetimes),
newest first, each valid against the botocore output shape (a test proves it
for every operation): plausible names, ARNs with the right region, account
and resource path, S3 locations, the operation's documented status words
(mostly successes, some failures with messages, a few running, stopped or
deleting), times spread over six months with creation before last
modification and end times on terminal jobs.

The same (seed, service, operation, region, account, now) gives the same
jobs in any process. ``now`` defaults to the fixed :data:`ANCHOR` so output
never depends on the clock; pass ``now=datetime.now(timezone.utc)`` for a
demo that looks current.
"""
from __future__ import annotations

import datetime as _dt
import random
from typing import Any, Iterable, Sequence

from .callers import ALWAYS_ENABLED, DEFAULT_ACCOUNT_ID, ec2_regions
from . import gen_bedrock as _b, gen_bedrock_agent as _ba, gen_dataexchange as _dx, gen_forecast as _f
from . import gen_personalize as _p
from .operations import FakeOperation, all_operations, get_operation, operations_of

UTC = _dt.timezone.utc
ANCHOR = _dt.datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
_DAY_MS = 86_400_000

#: How likely each kind of status is among generated jobs.
_CLASS_WEIGHTS = {"succeeded": 62, "failed": 16, "active": 12, "stopped": 6, "deleting": 4}

DEMO_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")

#: Operation -> ``make(ctx, i) -> (summary, parent ARN or None)``.
GENERATORS = {
    ("forecast", "ListDatasetImportJobs"): _f.forecast_dataset_import,
    ("forecast", "ListForecastExportJobs"): _f.forecast_export,
    ("forecast", "ListPredictorBacktestExportJobs"): _f.forecast_backtest_export,
    ("forecast", "ListExplainabilityExports"): _f.forecast_explainability_export,
    ("forecast", "ListWhatIfForecastExports"): _f.forecast_what_if_export,
    ("personalize", "ListDatasetImportJobs"): _p.personalize_dataset_import,
    ("personalize", "ListDatasetExportJobs"): _p.personalize_dataset_export,
    ("personalize", "ListBatchInferenceJobs"): _p.personalize_batch_inference,
    ("personalize", "ListBatchSegmentJobs"): _p.personalize_batch_segment,
    ("personalize", "ListDataDeletionJobs"): _p.personalize_data_deletion,
    ("dataexchange", "ListJobs"): _dx.dataexchange_job,
    ("bedrock", "ListModelImportJobs"): _b.bedrock_import,
    ("bedrock", "ListModelCustomizationJobs"): _b.bedrock_customization,
    ("bedrock", "ListModelInvocationJobs"): _b.bedrock_invocation,
    ("bedrock", "ListEvaluationJobs"): _b.bedrock_evaluation,
    ("bedrock", "ListModelCopyJobs"): _b.bedrock_copy,
    ("bedrock", "ListAdvancedPromptOptimizationJobs"): _b.bedrock_prompt_optimization,
    ("personalize", "ListSolutionVersions"): _p.personalize_solution_version,
    ("forecast", "ListPredictors"): _f.forecast_predictor,
    ("forecast", "ListForecasts"): _f.forecast_forecast,
    ("forecast", "ListExplainabilities"): _f.forecast_explainability,
    ("forecast", "ListWhatIfForecasts"): _f.forecast_what_if_forecast,
    ("bedrock-runtime", "ListAsyncInvokes"): _b.bedrock_runtime_async_invoke,
    ("bedrock-agent", "ListIngestionJobs"): _ba.bedrock_agent_ingestion,
}


def status_class(status: str) -> str:
    """``succeeded``, ``failed``, ``stopped``, ``deleting``, ``active`` (not terminal) or
    ``unknown`` (Forecast's DELETE_FAILED: ended, how is not known; never generated)."""
    s = status.upper().replace(" ", "_")
    if s == "DELETE_FAILED":
        return "unknown"
    if "FAIL" in s or s in ("ERROR", "TIMED_OUT", "EXPIRED"):
        return "failed"
    if s in ("ACTIVE", "COMPLETED", "COMPLETE", "PARTIALLYCOMPLETED"):
        return "succeeded"
    if "STOPPED" in s or s == "CANCELLED":
        return "stopped"
    if s.startswith("DELET"):
        return "deleting"
    return "active"


class Context:
    """Per-stream generation state: RNG, region, account, clock and helpers."""

    def __init__(self, spec: FakeOperation, region: str, account_id: str, seed: int, now: _dt.datetime) -> None:
        self.spec = spec
        self.region = region
        self.account = account_id
        self.rng = random.Random(f"{seed}:{spec.service}:{spec.operation}:{region}:{account_id}")
        self.random = self.rng.random
        self.now_ms = int((now.astimezone(UTC) - _EPOCH).total_seconds() * 1000)
        by_class: dict[str, list[str]] = {}
        for status in spec.statuses:
            by_class.setdefault(status_class(status), []).append(status)
        self._classes = [(k, by_class[k]) for k in _CLASS_WEIGHTS if k in by_class]
        self._weights = [_CLASS_WEIGHTS[k] for k, _ in self._classes]
        self._cum = [sum(self._weights[: i + 1]) for i in range(len(self._weights))]
        self.pools: dict[str, Any] = {}

    # -- random helpers --------------------------------------------------------
    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]

    def chance(self, p: float) -> bool:
        return self.random() < p

    def hex(self, n: int) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def base36(self, n: int) -> str:
        value, out = self.rng.getrandbits(6 * n), []
        for _ in range(n):
            value, r = divmod(value, 36)
            out.append("0123456789abcdefghijklmnopqrstuvwxyz"[r])
        return "".join(out)

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def pool(self, name: str, size: int, make) -> Any:
        """One of ``size`` values made once per stream: jobs share parents."""
        values = self.pools.get(name)
        if values is None:
            values = self.pools[name] = [make(i) for i in range(size)]
        return self.pick(values)

    # -- statuses and times ----------------------------------------------------
    def status(self) -> tuple[str, str]:
        """(status word, its class) drawn with realistic weights."""
        x = self.random() * self._cum[-1]
        for (klass, words), bound in zip(self._classes, self._cum):
            if x < bound:
                return self.pick(words), klass
        return self.pick(self._classes[-1][1]), self._classes[-1][0]

    def times(self, klass: str) -> tuple[_dt.datetime, _dt.datetime, _dt.datetime | None]:
        """(created, last modified, ended or None): active jobs are recent."""
        r = self.random
        if klass == "active" or klass == "deleting":
            created = self.now_ms - int(r() * 2 * _DAY_MS)
            modified = created + int(r() * (self.now_ms - created))
            return _at(created), _at(modified), None
        created = self.now_ms - int(r() * 180 * _DAY_MS)
        duration = int(60_000 * 10 ** (0.5 + 2.2 * r()))  # ~3 minutes to ~8 hours
        ended = min(created + duration, self.now_ms)
        return _at(created), _at(ended), _at(ended)

    def at(self, ms: int) -> _dt.datetime:
        return _at(ms)


def _at(ms: int) -> _dt.datetime:
    return _EPOCH + _dt.timedelta(milliseconds=ms)


def generate_entries(
    service: str, operation: str, count: int, *, region: str = "us-east-1",
    account_id: str = DEFAULT_ACCOUNT_ID, seed: int = 0, now: _dt.datetime | None = None,
) -> tuple[list[dict], list[str | None]]:
    """(summaries newest first, the ``@parent`` ARN of each or None)."""
    spec = get_operation(service, operation)
    ctx = Context(spec, region, account_id, seed, now or ANCHOR)
    make = GENERATORS[(service, operation)]
    pairs = [make(ctx, i) for i in range(count)]
    pairs.sort(key=lambda p: (p[0][spec.created], p[0][spec.key]), reverse=True)
    return [p[0] for p in pairs], [p[1] for p in pairs]


def generate(
    service: str, operation: str, count: int, *, region: str = "us-east-1",
    account_id: str = DEFAULT_ACCOUNT_ID, seed: int = 0, now: _dt.datetime | None = None,
) -> list[dict]:
    """``count`` realistic summaries of ``operation``, newest first."""
    return generate_entries(service, operation, count, region=region, account_id=account_id, seed=seed, now=now)[0]


def resolve_operations(operations: Iterable[str | tuple[str, str]] | None) -> list[FakeOperation]:
    """Specs for None (all), service names and (service, operation) pairs."""
    if operations is None:
        return list(all_operations())
    out: list[FakeOperation] = []
    for item in operations:
        if isinstance(item, str):
            found = operations_of(item)
            if not found:
                raise KeyError(f"the fake serves no operation of {item!r}")
            out.extend(found)
        else:
            out.append(get_operation(*item))
    return list(dict.fromkeys(out))


def seed_demo(fake, *, seed: int = 2024, now: _dt.datetime | None = None) -> int:
    """A realistic demo inventory on ``fake``'s default account; returns the job count.

    Four services in us-east-1, us-west-2 and eu-west-1, a few hundred jobs
    with mixed statuses and failure messages. Regions that need opting in
    are left not opted in (as in a new account), except ap-southeast-3.
    """
    rng = random.Random(f"demo:{seed}")
    added = 0
    for spec in all_operations():
        for region in DEMO_REGIONS:
            n = rng.choice((0, 2, 4, 5, 6, 8, 9, 12))
            if n:
                added += fake.seed([(spec.service, spec.operation)], regions=[region], jobs_per_stream=n,
                                   seed=seed, now=now)
    for region in ec2_regions():
        if region not in ALWAYS_ENABLED and region != "ap-southeast-3":
            fake.set_region_status(region, "not-opted-in")
    return added
