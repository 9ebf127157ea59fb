"""Which regions a collection visits: botocore's endpoint data, less what an account has not enabled.

Nothing here is a hard-coded list: the regions where a service is offered
come from the endpoint data botocore ships (`endpoints.json`), the regions
that exist from that and `partitions.json`, and the regions an account has
enabled from EC2 DescribeRegions.
"""
from __future__ import annotations

import functools
import logging
import re
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

from .botodata import available_regions, load_data
from .errors import ConfigurationError

__all__ = [
    "known_regions",
    "partition_of",
    "service_regions",
    "offered_in",
    "check_regions",
    "not_enabled_regions",
    "region_statuses",
    "REASON_NOT_ENABLED",
    "REASON_NOT_OFFERED",
]

log = logging.getLogger("jobinventory")

REASON_NOT_ENABLED = "region not enabled for the account"
REASON_NOT_OFFERED = "service not offered in region"


@functools.lru_cache(maxsize=1)
def _endpoint_data() -> Tuple[Dict[str, FrozenSet[str]], Dict[str, "re.Pattern[str]"]]:
    regions: Dict[str, set] = {}
    patterns: Dict[str, "re.Pattern[str]"] = {}
    for partition in load_data("endpoints")["partitions"]:
        regions.setdefault(partition["partition"], set()).update(partition.get("regions", {}))
        if partition.get("regionRegex"):
            patterns[partition["partition"]] = re.compile(partition["regionRegex"])
    try:
        for partition in load_data("partitions")["partitions"]:
            regions.setdefault(partition["id"], set()).update(partition.get("regions", {}))
    except Exception:  # older botocore without partitions.json: endpoints.json is enough
        pass
    return {p: frozenset(r) for p, r in regions.items()}, patterns


def known_regions() -> FrozenSet[str]:
    """Every region of every partition botocore knows."""
    return frozenset().union(*_endpoint_data()[0].values())


def partition_of(region: Optional[str]) -> str:
    """The partition (aws, aws-cn, aws-us-gov...) of a region; `aws` when unknown or None."""
    if region:
        by_partition, patterns = _endpoint_data()
        for partition, regions in by_partition.items():
            if region in regions:
                return partition
        for partition, pattern in patterns.items():
            if pattern.match(region):
                return partition
    return "aws"


def service_regions(service: str, partition: str = "aws") -> Tuple[str, ...]:
    """The regions botocore's endpoint data lists for `service` in `partition`, sorted."""
    return available_regions(service, partition)


def offered_in(service: str, region: str) -> bool:
    return region in service_regions(service, partition_of(region))


def check_regions(regions: Iterable[str]) -> List[str]:
    """The regions as given (deduplicated, order kept); ConfigurationError for a name no partition has."""
    if isinstance(regions, str):
        regions = [regions]
    known = known_regions()
    out: List[str] = []
    for region in regions:
        if not isinstance(region, str) or region not in known:
            raise ConfigurationError(
                f"unknown region {region!r}: botocore's endpoint data has no such region"
            )
        if region not in out:
            out.append(region)
    return out


def region_statuses(ec2_client, names: Optional[Iterable[str]] = None) -> Optional[Dict[str, str]]:  # type: ignore[no-untyped-def]
    """Each region's OptInStatus for the client's account (EC2 DescribeRegions AllRegions=True).

    `opt-in-not-required` marks the regions AWS enables in every account;
    `not-opted-in` the opt-in regions this account has not enabled. With
    `names`, only those regions are asked about (a `region-name` filter,
    which ignores names EC2 does not know): the answer to parse is a few
    regions, not every one. None when the call fails (denied,
    unreachable): the caller then visits every region and says so in a
    warning.
    """
    params: Dict[str, object] = {"AllRegions": True}
    if names is not None:
        params["Filters"] = [{"Name": "region-name", "Values": sorted(names)}]
    try:
        response = ec2_client.describe_regions(**params)
    except Exception as exc:
        log.warning(
            "jobinventory: EC2 DescribeRegions failed (%s); listing every region, "
            "including opt-in regions the account may not have enabled",
            exc,
        )
        return None
    return {r["RegionName"]: r.get("OptInStatus", "") for r in response.get("Regions", []) if "RegionName" in r}


def not_enabled_regions(ec2_client) -> Optional[FrozenSet[str]]:  # type: ignore[no-untyped-def]
    """The opt-in regions the account has not enabled (None: unknown, see `region_statuses`)."""
    statuses = region_statuses(ec2_client)
    if statuses is None:
        return None
    return frozenset(region for region, status in statuses.items() if status == "not-opted-in")
