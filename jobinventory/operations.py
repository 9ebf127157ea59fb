"""Every covered operation with the regions boto3 knows for its service.

The library side of `jobinventory operations`: one row per (service,
operation) in the registry, built-ins and plug-ins alike. Regions come from
the endpoint data shipped with botocore, per service (botocore knows no
per-operation availability), so a new operation may answer in fewer regions
than its service.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import attrs

from .registry import all_specs

__all__ = ["OperationRow", "covered_operations"]


@attrs.frozen
class OperationRow:
    """One covered List operation."""

    service: str
    operation: str
    #: None where each job carries its own type (Data Exchange's `Type`).
    job_type: Optional[str]
    #: Regions boto3's endpoint data lists for the service, sorted.
    regions: Tuple[str, ...]
    description: str = ""
    #: True for a spec that came from an entry-point plug-in.
    plugin: bool = False


def _regions_of(session: Any, service: str, partition: Optional[str]) -> Tuple[str, ...]:
    partitions = [partition] if partition else list(session.get_available_partitions())
    found: List[str] = []
    for name in partitions:
        try:
            found.extend(session.get_available_regions(service, partition_name=name))
        except Exception:  # an unknown partition, or a service botocore has no data for
            continue
    return tuple(sorted(set(found)))


def covered_operations(session: Any = None, *, partition: Optional[str] = "aws") -> List[OperationRow]:
    """Rows (service, operation, job_type, regions, ...), sorted by service then operation.

    `session`: a boto3 or botocore Session whose endpoint data to read (a new
    botocore session when None; no credentials are needed or read).
    `partition`: "aws" by default; None for every partition boto3 knows
    (aws-cn, aws-us-gov, ...).
    """
    if session is None:
        import botocore.session

        session = botocore.session.get_session()
    from .specs import BUILTIN_SPECS

    builtin = {spec.key for spec in BUILTIN_SPECS}
    cache: Dict[str, Tuple[str, ...]] = {}
    rows: List[OperationRow] = []
    for (service, operation), spec in all_specs().items():
        if service not in cache:
            cache[service] = _regions_of(session, service, partition)
        rows.append(
            OperationRow(
                service=service,
                operation=operation,
                job_type=spec.job_type,
                regions=cache[service],
                description=spec.description,
                plugin=(service, operation) not in builtin,
            )
        )
    return rows
