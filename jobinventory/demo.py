"""The demo: the real collection against the built-in local fake of the job APIs.

`running()` starts `jobinventory.testing.FakeJobServer` on 127.0.0.1, seeds
it with `seed_demo` (four services in three regions, a few hundred jobs,
mixed statuses, opt-in regions left disabled), and gives a boto3 session
with dummy credentials plus the fake's URL; the caller runs the very same
`collect`/`iter_jobs` with them, and the fake stops when the block ends.

The demo session is sealed off from the user's AWS configuration: no
profile, config or credentials file, and no configured endpoint URLs are
read, so it works on a machine with no AWS setup at all, and with a broken
one, and can never reach AWS.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import os
from typing import Any, Iterator, Optional, Sequence

import attrs

__all__ = ["DemoTarget", "running", "demo_session", "collect", "DEMO_REGION"]

DEMO_REGION = "us-east-1"
_DUMMY_KEY = "demo"


@attrs.frozen
class DemoTarget:
    """What the collection needs to list the running fake."""

    session: Any
    endpoint_url: str
    #: Regions the demo seeded jobs in.
    regions: Sequence[str]
    #: Jobs seeded.
    jobs: int


def demo_session() -> Any:
    """A boto3 Session with dummy credentials that reads no AWS configuration."""
    import boto3
    import botocore.session

    sealed = botocore.session.Session(
        session_vars={
            # (config-file key, environment variables, default, converter)
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
            "ignore_configured_endpoint_urls": (None, None, True, None),
            "region": (None, None, DEMO_REGION, None),
        }
    )
    return boto3.Session(
        botocore_session=sealed,
        aws_access_key_id=_DUMMY_KEY,
        aws_secret_access_key=_DUMMY_KEY,
        region_name=DEMO_REGION,
    )


@contextlib.contextmanager
def running(*, seed: int = 2024, now: Optional[_dt.datetime] = None) -> Iterator[DemoTarget]:
    """Start and seed the fake; yield the session and URL to collect from; stop it.

    The jobs are dated back from `now` (the clock by default), so the demo
    has jobs running now and failures in the last 24 hours.
    """
    from .testing import FakeJobServer, seed_demo

    with FakeJobServer() as fake:
        jobs = seed_demo(fake, seed=seed, now=now or _dt.datetime.now(_dt.timezone.utc))
        regions = sorted({region for _, _, region, _ in fake.streams()})
        yield DemoTarget(session=demo_session(), endpoint_url=fake.url, regions=tuple(regions), jobs=jobs)


def collect(**kwargs: Any) -> Any:
    """`jobinventory.collect(**kwargs)` against a freshly seeded fake (an Inventory)."""
    from .collector import collect as _collect

    with running() as target:
        return _collect(session=target.session, endpoint_url=target.endpoint_url, **kwargs)
