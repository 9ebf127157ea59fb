"""The pages of one stream: its List operation's, after a walk of its parents where the spec declares one.

Most job lists are account-wide: one paged listing. A few need the id of a
parent resource (bedrock-agent ListIngestionJobs: a knowledge base and a
data source). Their spec declares the walk as data (`OperationSpec.parents`,
outermost first): each level is listed (paged at its largest page size, like
any listing), and for every parent summary the levels below are listed with
the parent's ids as request parameters, down to the job list itself. The
parents' pages are yielded too, as `ParentPage`s, so their calls are
accounted; they hold no jobs. An error while listing any level (an answer
that is not that level's List response included) ends the stream, as any
listing error does. Nothing here names a service.
"""
from __future__ import annotations

from typing import Any, Dict, Iterator, Mapping, Optional, Sequence

from .errors import ResponseError
from .paging import PagePlan, iter_pages, page_plan
from .specs.base import OperationSpec, ParentList

__all__ = ["stream_pages", "ParentPage"]


class ParentPage(dict):
    """A page of a parent level of the walk: a call made, no jobs in it."""


def stream_pages(
    client: Any, spec: OperationSpec, plan: PagePlan, params: Optional[Dict[str, Any]] = None
) -> Iterator[Dict[str, Any]]:
    """Every response page of the stream: the job list's, and its parents' before them."""
    if not spec.parents:
        return iter_pages(client, plan, params)
    return _walk(client, spec.service, spec.parents, {}, plan, dict(params or {}))


def _walk(
    client: Any,
    service: str,
    levels: Sequence[ParentList],
    ids: Mapping[str, Any],
    plan: PagePlan,
    params: Dict[str, Any],
) -> Iterator[Dict[str, Any]]:
    if not levels:
        yield from iter_pages(client, plan, {**params, **ids})
        return
    level, below = levels[0], levels[1:]
    for page in iter_pages(client, page_plan(service, level.operation), dict(ids)):
        yield ParentPage(page)
        parents = page.get(level.list_key)
        if type(parents) is not list:
            raise ResponseError(
                f"{service} {level.operation}: the answer has no {level.list_key!r} list, so it is not a "
                f"{level.operation} response"
            )
        for parent in parents:
            found = {param: parent[member] for param, member in level.params.items()}
            yield from _walk(client, service, below, {**ids, **found}, plan, params)
