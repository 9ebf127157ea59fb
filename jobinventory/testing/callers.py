"""Who is calling, which regions they have, and the two calls that tell it.

Accounts come from the caller's access key: first the explicit map
(``FakeJobServer.set_account``), then the optional ``account_resolver``
callable, then the default account. STS ``GetCallerIdentity`` (query
protocol) and EC2 ``DescribeRegions`` (ec2 protocol) answer from here, just
enough for botocore to parse; they exist so the built-in demo can discover
the account and its enabled regions.
"""
from __future__ import annotations

import functools
import hashlib
import threading
from typing import Callable, Mapping, Sequence
from urllib.parse import parse_qs

from .operations import _session
from .wire import xml_text

DEFAULT_ACCOUNT_ID = "123456789012"

#: Regions AWS enables in every account (launched before opt-in existed).
ALWAYS_ENABLED = frozenset({
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
    "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2",
})
OPT_IN_STATUSES = ("opt-in-not-required", "opted-in", "not-opted-in")

AccountResolver = Callable[[str], "str | None"]


@functools.lru_cache(maxsize=1)
def ec2_regions() -> tuple[str, ...]:
    """Every region botocore's endpoint data lists for EC2 in the aws partition."""
    return tuple(_session().get_available_regions("ec2", "aws"))


class AccountDirectory:
    def __init__(self, resolver: AccountResolver | None = None, default_account_id: str = DEFAULT_ACCOUNT_ID) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, str] = {}
        self._opt_in: dict[tuple[str | None, str], str] = {}
        self.resolver = resolver
        self.default_account_id = default_account_id

    def set_account(self, access_key_id: str, account_id: str) -> None:
        _check_account(account_id)
        with self._lock:
            self._keys[access_key_id] = account_id

    def account_for(self, access_key_id: str | None) -> str:
        if access_key_id:
            with self._lock:
                found = self._keys.get(access_key_id)
            if found:
                return found
            if self.resolver is not None:
                found = self.resolver(access_key_id)
                if found:
                    return found
        return self.default_account_id

    def set_region_status(self, region: str, status: str, account_id: str | None = None) -> None:
        """Set a region's ``OptInStatus`` for one account (None: every account)."""
        if status not in OPT_IN_STATUSES:
            raise ValueError(f"OptInStatus must be one of {OPT_IN_STATUSES}")
        with self._lock:
            self._opt_in[(account_id, region)] = status

    def region_status(self, region: str, account_id: str) -> str:
        with self._lock:
            status = self._opt_in.get((account_id, region)) or self._opt_in.get((None, region))
        if status:
            return status
        return "opt-in-not-required" if region in ALWAYS_ENABLED else "opted-in"

    def regions(self, account_id: str) -> list[tuple[str, str]]:
        return [(r, self.region_status(r, account_id)) for r in ec2_regions()]


def _check_account(account_id: str) -> None:
    if not (isinstance(account_id, str) and len(account_id) == 12 and account_id.isdigit()):
        raise ValueError(f"an AWS account id is 12 digits, got {account_id!r}")


def form_params(body: bytes) -> dict[str, list[str]]:
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def get_caller_identity(account_id: str, access_key_id: str | None, request_id: str) -> bytes:
    user_id = "AIDA" + hashlib.sha1((access_key_id or "").encode()).hexdigest()[:17].upper()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
        f"<Arn>arn:aws:iam::{account_id}:user/jobinventory-fake</Arn><UserId>{user_id}</UserId>"
        f"<Account>{account_id}</Account></GetCallerIdentityResult>"
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    ).encode("utf-8")


def _indexed(params: Mapping[str, Sequence[str]], prefix: str) -> list[str]:
    found = sorted(
        (int(k[len(prefix):]), v[0]) for k, v in params.items()
        if k.startswith(prefix) and k[len(prefix):].isdigit()
    )
    return [v for _, v in found]


def describe_regions(directory: AccountDirectory, account_id: str, params: Mapping[str, Sequence[str]],
                     request_id: str) -> tuple[bytes, int]:
    """DescribeRegions: AllRegions, RegionName.N and the region-name / opt-in-status filters.

    The XML answer, and how many regions it lists (the request log's `items`).
    """
    all_regions = (params.get("AllRegions") or ["false"])[0].lower() == "true"
    names = set(_indexed(params, "RegionName."))
    filters: dict[str, set[str]] = {}
    n = 1
    while f"Filter.{n}.Name" in params:
        filters[params[f"Filter.{n}.Name"][0]] = set(_indexed(params, f"Filter.{n}.Value."))
        n += 1
    items = []
    for region, status in directory.regions(account_id):
        if not all_regions and not names and status == "not-opted-in":
            continue
        if names and region not in names:
            continue
        if "region-name" in filters and region not in filters["region-name"]:
            continue
        if "opt-in-status" in filters and status not in filters["opt-in-status"]:
            continue
        items.append(
            f"<item><regionName>{xml_text(region)}</regionName>"
            f"<regionEndpoint>ec2.{xml_text(region)}.amazonaws.com</regionEndpoint>"
            f"<optInStatus>{status}</optInStatus></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        f"<requestId>{request_id}</requestId><regionInfo>{''.join(items)}</regionInfo></DescribeRegionsResponse>"
    ).encode("utf-8"), len(items)


def moto_account_resolver(access_key_id: str) -> str | None:
    """Account of a key moto issued (IAM user keys, STS AssumeRole keys), else None.

    Pass as ``FakeJobServer(account_resolver=moto_account_resolver)`` when the
    credentials come from moto's STS: the fake then files requests under the
    account moto assumed into. Requires moto in the same process (``mock_aws``
    or ``ThreadedMotoServer``).
    """
    from moto.iam.models import iam_backends  # imported lazily: moto is a test extra

    for account_id, by_partition in list(iam_backends.items()):
        for backend in list(by_partition.values()):
            if access_key_id in backend.access_keys:
                return account_id
    return None
