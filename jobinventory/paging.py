"""Paging through one List operation at the largest page size its model allows.

Where botocore has a paginator for the operation, its paginator does the
paging. Where it has none (Personalize ListDataDeletionJobs takes a
nextToken but botocore ships no paginator for it), one generic token loop
does, with the token and page-size member names read from the operation's
model: no per-operation code. Either way the page size is the `max` the
model gives the limit member, so a stream of n jobs costs ceil(n / max)
calls (one when empty).

A service that keeps sending page tokens is stopped: a token seen before in
the stream (botocore's paginator only notices one sent twice in a row) or
more than MAX_PAGES pages end the stream with a ResponseError.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Iterator, Optional, Set

import attrs
from botocore import xform_name

from .botodata import operation_model, paginator_config
from .errors import ResponseError

__all__ = ["PagePlan", "page_plan", "iter_pages", "operation_model", "MAX_PAGES"]

#: Most pages one stream reads: a million jobs at the smallest page size
#: among covered operations (100), far more than any real stream.
MAX_PAGES = 10_000


@attrs.frozen
class PagePlan:
    """How one operation pages: botocore's paginator or the generic token loop."""

    service: str
    operation: str
    paginated: bool
    input_token: Optional[str]
    output_token: Optional[str]
    limit_key: Optional[str]
    page_size: Optional[int]


def _member(shape: Any, *names: str) -> Optional[str]:
    """The member of `shape` whose name is one of `names`, ignoring case."""
    if shape is None:
        return None
    wanted = {n.lower() for n in names}
    for member in shape.members:
        if member.lower() in wanted:
            return member
    return None


@functools.lru_cache(maxsize=None)
def page_plan(service: str, operation: str) -> PagePlan:
    """The paging of one operation, read from botocore's paginator and service models."""
    op = operation_model(service, operation)
    config = paginator_config(service, operation)
    if config is not None and isinstance(config.get("input_token"), str):
        input_token, output_token = config["input_token"], config["output_token"]
        limit_key = config.get("limit_key")
        paginated = True
    else:
        input_token = _member(op.input_shape, "NextToken")
        output_token = _member(op.output_shape, "NextToken") if input_token else None
        limit_key = _member(op.input_shape, "MaxResults")
        paginated = False
    size = None
    if limit_key and op.input_shape is not None and limit_key in op.input_shape.members:
        size = op.input_shape.members[limit_key].metadata.get("max")
    return PagePlan(service, operation, paginated, input_token, output_token, limit_key, size)


def iter_pages(
    client: Any, plan: PagePlan, params: Optional[Dict[str, Any]] = None, max_pages: Optional[int] = None,
) -> Iterator[Dict[str, Any]]:
    """Every response page of the operation, as botocore parses it; errors propagate mid-way.

    Raises ResponseError when the service repeats a page token or sends more
    than `max_pages` pages.
    """
    max_pages = max_pages or MAX_PAGES
    seen: Set[str] = set()
    where = f"{plan.service} {plan.operation}"
    for count, page in enumerate(_pages(client, plan, params), 1):
        yield page
        token = page.get(plan.output_token) if plan.output_token and isinstance(page, dict) else None
        if not token:
            return
        if not isinstance(token, str):
            token = repr(token)
        if token in seen:
            raise ResponseError(f"{where}: the service sent a page token again after {count} pages; "
                                "its paging would never end")
        if count >= max_pages:
            raise ResponseError(f"{where}: more than {max_pages} pages, the service keeps sending page tokens")
        seen.add(token)


def _pages(client: Any, plan: PagePlan, params: Optional[Dict[str, Any]]) -> Iterator[Dict[str, Any]]:
    params = dict(params or {})
    if plan.paginated:
        paginator = client.get_paginator(xform_name(plan.operation))
        config = {"PageSize": plan.page_size} if plan.page_size else {}
        yield from paginator.paginate(**params, PaginationConfig=config)
        return
    method = getattr(client, xform_name(plan.operation))
    if plan.page_size and plan.limit_key:
        params[plan.limit_key] = plan.page_size
    while True:
        page = method(**params)
        yield page
        token = page.get(plan.output_token) if plan.output_token else None
        if not token:
            return
        params[plan.input_token] = token  # type: ignore[index]
