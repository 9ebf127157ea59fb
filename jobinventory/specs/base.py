"""`OperationSpec`: what one List operation's summaries look like, as data.

A spec names where each Job field comes from in a summary (a top-level key,
or a path of keys into nested structures), the operation's job type and any
status words of its own, and how the collector may push filters down to the
API. Code goes only into `hook`, for what a spec cannot say.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, MutableMapping, Optional, Tuple, Union

import attrs

from ..model import JobStatus

__all__ = ["OperationSpec", "ParentList", "Pushdown", "Path", "Hook"]

#: A top-level key, or a tuple of keys into nested structures.
Path = Union[str, Tuple[str, ...]]

#: hook(summary, fields) -> None: fills or corrects `fields` (the Job's
#: keyword arguments, already read by the spec) for irregular operations.
Hook = Callable[[Mapping[str, Any], MutableMapping[str, Any]], None]


def _path(value: Optional[Path]) -> Optional[Tuple[str, ...]]:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen
class Pushdown:
    """Request parameters an API offers for the collector's filters.

    Each is the API's parameter name, or None where the API has no such
    filter (the collector then filters on the client).
    """

    #: Parameter taking one provider status word (Bedrock `statusEquals`).
    status_param: Optional[str] = None
    #: Forecast-style `Filters=[{Key: "Status", Value, Condition: "IS"}]`.
    status_filter_key: Optional[str] = None
    name_contains_param: Optional[str] = None
    created_after_param: Optional[str] = None
    created_before_param: Optional[str] = None
    #: Fixed parameters that make the API answer newest first.
    newest_first_params: Mapping[str, Any] = attrs.field(factory=dict)
    #: The API answers newest first (by creation) with `newest_first_params`,
    #: so paging may stop at the first job older than `since`.
    newest_first: bool = False


@attrs.frozen
class ParentList:
    """One level of a parent walk: a List operation whose summaries give the ids the levels below need.

    `params`: request parameter of every level below -> the member of this
    level's summaries that gives its value.
    """

    operation: str
    list_key: str
    params: Mapping[str, str]


@attrs.frozen
class OperationSpec:
    """Declarative adapter of one List operation."""

    service: str
    operation: str
    #: The response key holding the list of summaries.
    list_key: str
    #: snake_case noun (dataset_import); None when `hook` sets it per job.
    job_type: Optional[str]
    #: Where the job's ARN is; the job_id is the ARN when present.
    arn: Optional[str]
    #: Where the service's own id is, used as job_id when there is no ARN.
    id: Optional[str]
    status: str
    created: str
    name: Optional[str] = None
    updated: Optional[str] = None
    ended: Optional[str] = None
    #: The API documents that the last modification of a job in a terminal
    #: state is when it ended (Forecast, Personalize).
    ended_from_updated_when_terminal: bool = False
    #: Status word -> the member that gives ended_at when `ended` is absent in
    #: that status (Bedrock `Expired`: jobExpirationTime). Words match as statuses do.
    ended_fallbacks: Mapping[str, str] = attrs.field(factory=dict)
    message: Optional[Path] = attrs.field(default=None, converter=_path)
    source: Optional[Path] = attrs.field(default=None, converter=_path)
    destination: Optional[Path] = attrs.field(default=None, converter=_path)
    #: The status words AWS documents for this operation where the botocore
    #: model gives no enum (Forecast, Personalize): used by the drift test
    #: and to push status filters down.
    documented_statuses: Tuple[str, ...] = ()
    #: Status words of this operation beyond the shared table.
    statuses: Mapping[str, JobStatus] = attrs.field(factory=dict)
    pushdown: Pushdown = attrs.field(factory=Pushdown)
    hook: Optional[Hook] = None
    #: Top-level keys the hook reads into Job fields (kept out of details).
    hook_consumes: Tuple[str, ...] = ()
    #: One line for docs and `jobinventory operations`.
    description: str = ""
    #: Members naming the parents an `id` is unique within: the job_id is
    #: their values and the id joined by "/" (bedrock-agent ingestion jobs).
    id_within: Tuple[str, ...] = ()
    #: The walk that finds the ids this operation requires, outermost first
    #: (`jobinventory.walk`); empty for an account-wide list.
    parents: Tuple[ParentList, ...] = ()
    #: The service whose regions (botocore's endpoint data) this one takes,
    #: where the data lists none for it (bedrock-runtime, bedrock-agent: Bedrock's).
    regions_from: Optional[str] = None

    @property
    def region_service(self) -> str:
        """The service whose endpoint data says where this operation is offered."""
        return self.regions_from or self.service

    @property
    def key(self) -> Tuple[str, str]:
        return (self.service, self.operation)

    def consumed_keys(self) -> Tuple[str, ...]:
        """Top-level summary keys that become Job fields rather than details."""
        # `id` stays in details: job_id is the ARN where there is one, and the
        # service's short id is still worth having.
        keys = [self.arn, self.name, self.status, self.created, self.updated, self.ended]
        # A one-key path reads a plain value that becomes the field; a longer
        # path reads inside a structure, which stays whole in details.
        for path in (self.message, self.source, self.destination):
            if path is not None and len(path) == 1:
                keys.append(path[0])
        keys.extend(self.hook_consumes)
        return tuple(dict.fromkeys(k for k in keys if k))
