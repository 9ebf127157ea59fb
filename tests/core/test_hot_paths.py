"""The fast paths of normalization give exactly what the plain paths give.

`details.compile_details` (one walk) against `json_safe` followed by a
plain rewrite of the timestamp paths (`_two_pass` below, two walks),
`make_job` against `Job(...)`,
and the timestamp fast paths against `to_utc`, on generated summaries of
every operation and on the odd inputs a saved JSON file or a plug-in hook
can bring (naive and offset times, strings, epochs, tuples, read-only
mappings, secrets, bad nested times).
"""
from __future__ import annotations

import collections
import copy
import datetime as dt
import types

import attrs
import pytest

from jobinventory.details import compile_details, compile_paths, json_safe, timestamp_paths
from jobinventory.errors import NormalizationError
from jobinventory.model import Job, JobStatus, job_from_fields, make_job
from jobinventory.registry import all_specs, get_adapter
from jobinventory.testing import generate
from jobinventory.timestamps import isoformat_z, to_utc

UTC = dt.timezone.utc
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
OPS = sorted(all_specs())


def _walk(value, f):
    if isinstance(value, dict):
        return {k: _walk(v, f) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, f) for v in value]
    return f(value)


def _set(summary, path, value):
    node = summary
    for part in path[:-1]:
        if part == "*" or not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    if not isinstance(node, dict) or path[-1] not in node:
        return False
    node[path[-1]] = value
    return True


def _variants(summary, paths):
    yield summary
    yield _walk(summary, lambda v: isoformat_z(v) if isinstance(v, dt.datetime) else v)
    yield _walk(summary, lambda v: v.timestamp() if isinstance(v, dt.datetime) else v)
    yield _walk(summary, lambda v: v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v)
    yield _walk(summary, lambda v: v.astimezone(IST) if isinstance(v, dt.datetime) else v)
    odd = copy.deepcopy(summary)
    odd.update(SignedUrl="https://b.s3.amazonaws.com/k?X-Amz-Signature=abc", password="p",
               extra={"nested": ("a", 1, 2.5, None), 5: "int key", "when": dt.datetime(2020, 1, 1),
                      "blob": b"\x00", "Credentials": {"x": "y"}, "sessionToken": "t"})
    yield odd
    for path in paths:
        for bad in ("not a time", "", None, 1700000000, "1700000000123", dt.datetime(2021, 5, 5, tzinfo=IST), [1]):
            changed = copy.deepcopy(summary)
            if _set(changed, path, bad):
                yield changed
        head = summary.get(path[0])
        if isinstance(head, dict):
            for other in (collections.OrderedDict(head), types.MappingProxyType(dict(head)),
                          {**head, "password": "x", "SignedUrl": "y"}, "not a structure"):
                changed = copy.deepcopy(summary)
                changed[path[0]] = other
                yield changed


def _rewrite(node, path, where):
    """Rewrite the timestamps at `path` of JSON-safe `node` in place: the plain reference."""
    head, rest = path[0], path[1:]
    if head == "*":
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in list(children):
            if rest:
                _rewrite(child, rest, where)
            else:
                node[key] = _as_z(child, where)
    elif isinstance(node, dict) and head in node:
        if rest:
            _rewrite(node[head], rest, where)
        else:
            node[head] = _as_z(node[head], where)


class _BadTime(ValueError):
    def __init__(self, where, reason):
        super().__init__(reason)
        self.where = where


def _as_z(value, where):
    if value is None:
        return None
    try:
        return isoformat_z(to_utc(value))
    except (TypeError, ValueError, OverflowError) as exc:
        raise _BadTime(where, str(exc)) from None


def _two_pass(paths):
    def details_of(details):
        safe = json_safe(details)
        for path in paths:
            if path[0] in safe:
                _rewrite(safe, path, ".".join(path))
        return safe

    return details_of


def _outcome(fn, *args):
    try:
        return "ok", repr(fn(*args))
    except Exception as exc:  # noqa: BLE001 - the exact error is what is compared
        return "error", type(exc).__name__, str(exc), getattr(exc, "where", None)


@pytest.mark.parametrize("service, operation", OPS)
def test_one_walk_details_equal_json_safe_then_the_rewrite(service, operation):
    spec = all_specs()[(service, operation)]
    consumed = frozenset(spec.consumed_keys())
    one_walk = compile_details(service, operation, spec.list_key, consumed)
    paths = [p for p in timestamp_paths(service, operation, spec.list_key) if p[0] not in consumed]
    two_pass = _two_pass(paths)
    checked = 0
    for summary in generate(service, operation, 25, seed=9):
        for variant in _variants(summary, paths):
            details = {k: v for k, v in variant.items() if k not in consumed}
            before = repr(details)
            assert _outcome(one_walk, details) == _outcome(two_pass, details)
            assert repr(details) == before  # the caller's summary is never changed
            checked += 1
    assert checked >= 25 * 6


@pytest.mark.parametrize("service, operation", OPS)
def test_adapters_give_what_the_validating_constructor_gives(service, operation):
    adapter = get_adapter(service, operation)
    for summary in generate(service, operation, 10, seed=2):
        job = adapter(summary, "eu-west-1", "123456789012")
        fields = {a.name: getattr(job, a.name) for a in Job.__attrs_attrs__}
        assert Job(**fields) == job
        assert repr(Job(**fields)) == repr(job)
        assert job.created_at.tzinfo is UTC


def test_make_job_sets_every_field_in_order():
    now = dt.datetime(2024, 5, 1, tzinfo=UTC)
    values = dict(service="s", operation="o", job_type="t", job_id="i", arn=None, name="n",
                  status=JobStatus.FAILED, raw_status="FAILED", created_at=now, updated_at=now, ended_at=None,
                  region="r", account_id="123456789012", message="m", source="a", destination="b", details={"k": 1})
    job = make_job(*values.values())
    assert job == Job(**values) == job_from_fields(values)
    assert {name: getattr(job, name) for name in values} == values


def test_a_hook_that_sets_something_odd_still_meets_the_validators():
    adapter = get_adapter("dataexchange", "ListJobs")
    [summary] = generate("dataexchange", "ListJobs", 1, seed=3)
    spec = adapter.spec

    def odd_hook(summary, fields):
        fields["job_type"] = 5

    from jobinventory.adapt import compile_spec

    with pytest.raises(NormalizationError, match="job_type"):
        compile_spec(attrs.evolve(spec, hook=odd_hook))(summary)


@pytest.mark.parametrize("value", [
    dt.datetime(2024, 5, 1, 12, tzinfo=UTC),
    dt.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC),
    dt.datetime(999, 1, 2, tzinfo=UTC),
    dt.datetime(2024, 5, 1, 12),
    dt.datetime(2024, 5, 1, 17, 30, tzinfo=IST),
])
def test_isoformat_z_fast_path_round_trips(value):
    text = isoformat_z(value)
    assert text.endswith("Z")
    assert isoformat_z(to_utc(text)) == text
    assert to_utc(text) == to_utc(value)


def test_one_walk_handles_lists_and_maps_of_timestamps():
    """No covered operation has a timestamp inside a list or map yet; a plug-in's may."""
    paths = [("l", "*", "at"), ("m", "*"), ("s", "deep", "*", "at")]
    walk = compile_paths(paths)
    two_pass = _two_pass(paths)

    when = dt.datetime(2024, 5, 1, 12, tzinfo=UTC)
    cases = [
        {"l": [{"at": when}, {"at": "2024-05-01T14:00:00+02:00"}, {"x": 1}], "m": {"a": when, "b": 1714564800}},
        {"l": ({"at": when},), "m": collections.OrderedDict(a=when)},
        {"m": {"password": "2024-05-01T12:00:00Z", 3: when}, "s": {"deep": {"k": {"at": when}}}},
        {"m": {"SignedUrl": when}, "s": {"deep": [{"at": None}]}, "l": "text"},
        {"l": [{"at": "nope"}]},
        {"m": {"a": "nope"}},
    ]
    for details in cases:
        assert _outcome(walk, details) == _outcome(two_pass, details)


def test_epoch_fast_path_rounds_as_the_timedelta_sum():
    """fromtimestamp (the fast path) and EPOCH + timedelta give the same microsecond for any float."""
    import random

    from jobinventory.timestamps import _from_epoch, parse_wire_timestamp

    epoch = dt.datetime(1970, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    values = [rng.randint(0, 4 * 10**12) / 1000.0 for _ in range(5000)]  # milliseconds, as AWS sends them
    values += [rng.uniform(0, 4e9) for _ in range(5000)]
    values += [rng.randint(0, 4 * 10**15) / 1e6 for _ in range(5000)]
    values += [0, 0.0, 1e11 - 1e-3, 1714564800, 1714564800.5, 1714564800.0000005, 1714564800.0000015]
    for value in values:
        expected = epoch + dt.timedelta(seconds=value)
        assert _from_epoch(value) == expected == parse_wire_timestamp(value)
        assert _from_epoch(value).tzinfo is UTC
    for ms in (1714564800123, 1e11, 1e11 + 1):
        assert _from_epoch(ms) == epoch + dt.timedelta(seconds=ms / 1000.0)
    assert _from_epoch(-86400.5) == epoch - dt.timedelta(seconds=86400.5)
    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError):
            _from_epoch(bad)
