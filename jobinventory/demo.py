"""The demo: the real collection against the built-in local fake of the job APIs.

`running()` starts `jobinventory.testing.FakeJobServer` on 127.0.0.1, seeds
it with `seed_demo` (four services in three regions, a few hundred jobs,
mixed statuses, opt-in regions left disabled), and gives a boto3 session
with dummy credentials plus the fake's URL; the caller runs the very same
`collect`/`iter_jobs` with them, and the fake stops when the block ends.
`DemoTarget.move_on(step)` moves the demo's jobs on between two collections
(running jobs end, some fail, new ones start), as `serve --demo` does.

The demo is sealed off from the user's AWS configuration: while it runs,
the process's AWS_* environment variables are set aside (no profile, config
or credentials file, configured endpoint URL or CA bundle is read) and
restored afterwards, and its session carries dummy keys. So it works on a
machine with no AWS setup at all, and with a broken one, and never reaches
AWS. Create any client meant for real AWS (an S3 upload) before entering
`running()` or after leaving it.
"""
from __future__ import annotations

import atexit
import contextlib
import datetime as _dt
import functools
import os
import tempfile
from typing import Any, Iterator, Optional, Sequence

import attrs

__all__ = ["DemoTarget", "running", "sealed_environment", "demo_session", "collect", "empty_config_file", "DEMO_REGION"]

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
    #: The running fake (a ``jobinventory.testing.FakeJobServer``) and its seed.
    fake: Any = attrs.field(default=None, repr=False, eq=False)
    seed: int = 2024

    def move_on(self, step: int, now: Optional[_dt.datetime] = None) -> Any:
        """The demo's jobs move on by one step: some running jobs end (a few
        fail), new ones start. Deterministic given the seed, ``step`` (a sync
        counter) and ``now``; see ``jobinventory.testing.evolve``."""
        from .testing.evolve import move_on

        self.fake.reset_log()  # the demo keeps no request log: it would grow with every sync
        return move_on(self.fake, step=step, seed=self.seed, now=now)


@functools.lru_cache(maxsize=None)
def empty_config_file() -> str:
    """An empty file of this process's own, removed at exit: the AWS config and
    credentials file of the demo (an empty file is one on every platform, as
    os.devnull is not, and nothing else writes to it)."""
    handle, path = tempfile.mkstemp(prefix="jobinventory-empty-aws-", suffix=".ini")
    os.close(handle)
    atexit.register(_remove, path)
    return path


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


def demo_session() -> Any:
    """A boto3 Session with dummy credentials that reads no AWS configuration."""
    import boto3
    import botocore.session

    sealed = botocore.session.Session(
        session_vars={
            # (config-file key, environment variables, default, converter)
            "profile": (None, None, None, None),
            "config_file": (None, None, empty_config_file(), None),
            "credentials_file": (None, None, empty_config_file(), None),
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


_LOCAL = "127.0.0.1,localhost"


@contextlib.contextmanager
def sealed_environment() -> Iterator[None]:
    """Set the process's AWS_* variables aside (and keep proxies off 127.0.0.1) for the block.

    botocore sessions, including those a collection builds for itself, read
    the environment: this is what keeps a user's profile, config file or
    endpoint settings out of the demo.
    """
    saved = {k: v for k, v in os.environ.items() if k.startswith("AWS_") or k.lower() == "no_proxy"}
    for name in saved:
        del os.environ[name]
    os.environ.update({
        "AWS_CONFIG_FILE": empty_config_file(),
        "AWS_SHARED_CREDENTIALS_FILE": empty_config_file(),
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    for name in ("NO_PROXY", "no_proxy"):
        previous = saved.get(name)
        os.environ[name] = f"{previous},{_LOCAL}" if previous else _LOCAL
    try:
        yield
    finally:
        for name in [k for k in os.environ if k.startswith("AWS_") or k.lower() == "no_proxy"]:
            del os.environ[name]
        os.environ.update(saved)


@contextlib.contextmanager
def running(*, seed: int = 2024, now: Optional[_dt.datetime] = None) -> Iterator[DemoTarget]:
    """Start and seed the fake; yield the session and URL to collect from; stop it.

    The jobs are dated back from `now` (the clock by default), so the demo
    has jobs running now and failures in the last 24 hours.
    """
    from .testing import FakeJobServer, seed_demo

    with sealed_environment(), FakeJobServer() as fake:
        jobs = seed_demo(fake, seed=seed, now=now or _dt.datetime.now(_dt.timezone.utc))
        regions = sorted({region for _, _, region, _ in fake.streams()})
        yield DemoTarget(session=demo_session(), endpoint_url=fake.url, regions=tuple(regions), jobs=jobs,
                         fake=fake, seed=seed)


def collect(**kwargs: Any) -> Any:
    """`jobinventory.collect(**kwargs)` against a freshly seeded fake (an Inventory)."""
    from .collector import collect as _collect

    with running() as target:
        return _collect(session=target.session, endpoint_url=target.endpoint_url, **kwargs)
