"""Every covered operation with the regions boto3 knows for its service.

The library side of `jobinventory operations`: one row per (service,
operation) in the registry, built-ins and plug-ins alike. Regions come from
the endpoint data shipped with botocore, per service (botocore knows no
per-operation availability), so a new operation may answer in fewer regions
than its service. Where the data lists no region for a service
(bedrock-runtime, bedrock-agent), its spec's `regions_from` names the service
whose regions it takes (Bedrock's), and the row says so.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import attrs

from . import botodata
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
    #: The service whose regions these are, where botocore lists none for
    #: this one (bedrock-runtime and bedrock-agent take Bedrock's); else None.
    regions_from: Optional[str] = None


def _regions_of(session: Any, service: str, partition: Optional[str]) -> Tuple[str, ...]:
    if session is None:  # botocore's endpoint data, loaded once per process
        get_partitions, get_regions = botodata.available_partitions, botodata.available_regions
    else:
        get_partitions = session.get_available_partitions

        def get_regions(service: str, name: str) -> Any:
            return session.get_available_regions(service, partition_name=name)

    found: List[str] = []
    for name in [partition] if partition else list(get_partitions()):
        try:
            found.extend(get_regions(service, name))
        except Exception:  # an unknown partition, or a service botocore has no data for
            continue
    return tuple(sorted(set(found)))


def covered_operations(session: Any = None, *, partition: Optional[str] = "aws") -> List[OperationRow]:
    """Rows (service, operation, job_type, regions, ...), sorted by service then operation.

    `session`: a boto3 or botocore Session whose endpoint data to read (None:
    the process's own, `botodata`; no credentials are needed or read).
    `partition`: "aws" by default; None for every partition boto3 knows
    (aws-cn, aws-us-gov, ...).
    """
    from .specs import BUILTIN_SPECS

    builtin = {spec.key for spec in BUILTIN_SPECS}
    cache: Dict[str, Tuple[str, ...]] = {}
    rows: List[OperationRow] = []
    for (service, operation), spec in all_specs().items():
        where = spec.region_service
        if where not in cache:
            cache[where] = _regions_of(session, where, partition)
        description = spec.description
        if spec.regions_from:
            description += f" (regions: {spec.regions_from}'s; botocore's endpoint data lists none for {service})"
        rows.append(
            OperationRow(
                service=service,
                operation=operation,
                job_type=spec.job_type,
                regions=cache[where],
                description=description,
                plugin=(service, operation) not in builtin,
                regions_from=spec.regions_from,
            )
        )
    return rows
