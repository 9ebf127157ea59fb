"""Raw List summaries (or whole saved responses) -> canonical Jobs."""
from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional, Sequence

from .errors import ConfigurationError, NormalizationError
from .model import Job
from .registry import get_adapter, get_spec

__all__ = ["normalize", "summaries_of", "normalize_response"]


def normalize(
    service: str,
    operation: str,
    summary: Mapping[str, Any],
    *,
    region: Optional[str] = None,
    account_id: Optional[str] = None,
) -> Job:
    """One raw summary, as boto3 returns it or as read from JSON, as a Job.

    Region and account come from the ARN when not given. Raises
    NormalizationError naming the service, operation and field.
    """
    try:
        adapter = get_adapter(service, operation)
    except ConfigurationError as exc:
        raise NormalizationError(service, operation, None, str(exc)) from None
    return adapter(summary, region, account_id)


def summaries_of(service: str, operation: str, data: Any) -> Sequence[Any]:
    """The summaries in a saved List response: a whole response with its list
    key (boto3 or AWS CLI JSON), or a bare list of summaries."""
    if isinstance(data, list):
        return data
    try:
        spec = get_spec(service, operation)
    except ConfigurationError as exc:
        raise NormalizationError(service, operation, None, str(exc)) from None
    if not isinstance(data, Mapping):
        raise NormalizationError(
            service, operation, None,
            f"expected a {operation} response (an object with {spec.list_key!r}) or a list of summaries, "
            f"got {type(data).__name__}",
        )
    if spec.list_key not in data:
        lists = [k for k, v in data.items() if isinstance(v, list)]
        found = f"; it has {', '.join(map(repr, lists))}" if lists else ""
        raise NormalizationError(
            service, operation, spec.list_key, f"the response has no list key {spec.list_key!r}{found}"
        )
    items = data[spec.list_key]
    if not isinstance(items, list):
        raise NormalizationError(service, operation, spec.list_key, "is not a list")
    return items


def normalize_response(service: str, operation: str, data: Any) -> Iterator[Job]:
    """Every summary of a saved response as a Job; the error names the item index."""
    for index, summary in enumerate(summaries_of(service, operation, data)):
        try:
            yield normalize(service, operation, summary)
        except NormalizationError as exc:
            raise NormalizationError(
                service, operation, exc.field, f"item {index}: {exc.reason}"
            ) from None
