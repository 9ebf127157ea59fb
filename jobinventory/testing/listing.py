"""One List call, protocol-free: validate, filter, order, page, encode.

:func:`list_jobs` takes the request's parameters (already decoded from the
JSON body or the query string) and returns the output as it goes on the wire,
or raises :class:`ServiceError` with the code the operation documents.
"""
from __future__ import annotations

import datetime as _dt
import functools
from typing import Any, Callable, Mapping

from .operations import DERIVED, FakeOperation
from .store import Entry, JobStore, Predicate
from .tokens import Cursor, TokenSigner, query_hash
from .validation import format_input_error, input_problems
from .wire import encoder_for


class ServiceError(Exception):
    """An error the fake answers with: an AWS error code and its message."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


@functools.lru_cache(maxsize=None)
def summary_encoder(spec: FakeOperation) -> Callable[[Any], Any]:
    return encoder_for(spec.summary_shape, spec.protocol)


def page_number(spec: FakeOperation, signer: TokenSigner, params: Mapping[str, Any]) -> int:
    """Which page a request asks for (1 without a token, 1 too for a bad token)."""
    token = params.get(spec.token_member)
    cursor = signer.read(token, None) if isinstance(token, str) and token else None
    return cursor.page if cursor else 1


def list_jobs(
    spec: FakeOperation,
    store: JobStore,
    signer: TokenSigner,
    *,
    region: str,
    account_id: str,
    params: Mapping[str, Any],
    parse_problems: list[str] = (),
) -> tuple[dict[str, Any], int, int]:
    """(wire-form output, number of jobs returned, page number)."""
    problems = list(parse_problems) + input_problems(spec.model.input_shape, dict(params))
    if problems:
        raise ServiceError(spec.invalid_input_error, format_input_error(problems))
    conditions = _conditions(spec, params)
    ascending = spec.sortable and params.get("sortOrder") == "Ascending"
    sort_by = params.get("sortBy")
    if spec.sort_attribute and isinstance(sort_by, Mapping):
        if sort_by.get("attribute") != spec.sort_attribute:
            raise ServiceError(spec.invalid_input_error,
                               f"The fake sorts by {spec.sort_attribute} only, not {sort_by.get('attribute')!r}.")
        ascending = sort_by.get("order") == "ASCENDING"
    identity = {
        "s": spec.service, "o": spec.operation, "r": region, "a": account_id, "asc": ascending,
        "f": sorted([c[0], c[1], _canon(c[2]), c[3]] for c in conditions),
    }
    qhash = query_hash(identity)
    token = params.get(spec.token_member)
    if token:
        cursor = signer.read(token, qhash)
        if cursor is None:
            raise ServiceError(spec.invalid_token_error, f"The {spec.token_member} is not valid for this request.")
    else:
        cursor = Cursor(0, 1)
    limit = params.get(spec.limit_member) or spec.page_size
    entries, total = store.page(
        (spec.service, spec.operation, region, account_id),
        view=qhash,
        predicate=_predicate(spec, conditions),
        ascending=ascending,
        offset=cursor.offset,
        limit=limit,
    )
    encode = summary_encoder(spec)
    output: dict[str, Any] = {spec.result_key: [encode(e.summary) for e in entries]}
    end = cursor.offset + len(entries)
    if end < total:
        output[spec.output_token_member] = signer.issue(qhash, Cursor(end, cursor.page + 1))
    return output, len(entries), cursor.page


def _canon(value: Any) -> Any:
    return value.timestamp() if isinstance(value, _dt.datetime) else value


def _conditions(spec: FakeOperation, params: Mapping[str, Any]) -> list[tuple[str, str, Any, bool]]:
    """(field, kind, value, negate) for every filter the request sets."""
    out = []
    if spec.filter_style == "forecast":
        for item in params.get("Filters") or ():
            flt = spec.filter_by_param.get(item["Key"])
            if flt is None:
                keys = " and ".join(spec.filter_by_param)
                raise ServiceError(spec.invalid_input_error,
                                   f"The filter key '{item['Key']}' is not valid. Valid keys are {keys}.")
            out.append((flt.field, flt.kind, item["Value"], item["Condition"] == "IS_NOT"))
    else:
        for flt in spec.filters:
            if params.get(flt.param) is not None:
                out.append((flt.field, flt.kind, params[flt.param], False))
    for item in (params.get("filters") or ()) if spec.attribute_filters else ():
        field = dict(spec.attribute_filters).get(item.get("attribute"))
        if field is None or item.get("operator") != "EQ":
            raise ServiceError(spec.invalid_input_error, f"The filter {item!r} is not valid.")
        out.append((field, "in", tuple(item.get("values") or ()), False))
    return out


def _predicate(spec: FakeOperation, conditions: list[tuple[str, str, Any, bool]]) -> Predicate | None:
    if not conditions:
        return None
    tests = [_test(spec, *c) for c in conditions]
    return lambda entry: all(t(entry) for t in tests)


def _test(spec: FakeOperation, field: str, kind: str, value: Any, negate: bool) -> Predicate:
    if field.startswith("@"):
        derive = DERIVED[field]
        get: Callable[[Entry], Any] = lambda e: derive(e.summary, e.parent)
    else:
        get = lambda e: e.summary.get(field)
    if kind in ("after", "before"):
        bound = value.timestamp()
        if field == spec.created:
            stamp: Callable[[Entry], Any] = lambda e: e.created
        else:
            stamp = lambda e: get(e).timestamp() if get(e) is not None else None
        if kind == "after":
            test = lambda e: (s := stamp(e)) is not None and s > bound
        else:
            test = lambda e: (s := stamp(e)) is not None and s < bound
    elif kind == "contains":
        test = lambda e: (v := get(e)) is not None and value in v
    elif kind == "has":
        test = lambda e: value in (get(e) or ())
    elif kind == "in":
        test = lambda e: get(e) in value
    else:
        test = lambda e: get(e) == value
    return (lambda e: not test(e)) if negate else test
