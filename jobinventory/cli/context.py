"""What a collecting command runs in: the session, the accounts, the demo, the process pool.

`collection(args)` opens all of it for the parsed options and yields the
keyword arguments of `collect()`/`iter_jobs()`; `run_collection(args)`
collects with them, names the failed streams and says the exit status.
"""
from __future__ import annotations

import argparse
import contextlib
import os
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from .options import collect_kwargs
from .progress import progress_for
from .status import NothingListed, UsageError, finish

__all__ = ["session_for", "require_credentials", "collection", "run_collection", "s3_client"]


def session_for(profile: Optional[str]) -> Any:
    """A boto3 Session of `profile` (None: the usual chain); an unknown profile is a usage error."""
    import boto3
    import botocore.exceptions

    try:
        return boto3.Session(profile_name=profile)
    except botocore.exceptions.ProfileNotFound as exc:
        raise UsageError(str(exc)) from None


def require_credentials(session: Any) -> None:
    """NothingListed (exit 1) when `session` has no credentials."""
    import botocore.exceptions

    try:
        credentials = session.get_credentials()
    except botocore.exceptions.BotoCoreError as exc:
        raise NothingListed(f"AWS credentials could not be loaded: {exc}") from None
    if credentials is None:
        raise NothingListed(
            "no AWS credentials found: configure a profile (aws configure, --profile) or "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or try `jobinventory list --demo`"
        )


def _accounts(session: Any, args: argparse.Namespace) -> Optional[List[Any]]:
    accounts: List[Any] = list(args.role_arns or [])
    if args.org_role:
        from ..accounts import organization_accounts

        accounts.extend(
            organization_accounts(
                session, args.org_role, include=args.include_accounts, exclude=args.exclude_accounts,
                timeout=getattr(args, "stream_timeout", None) or 60.0,
                endpoint_url=getattr(args, "endpoint_url", None),
            )
        )
        if not accounts:
            raise NothingListed("--org-role: no account of the organization is left to list")
    return accounts or None


@contextlib.contextmanager
def collection(args: argparse.Namespace, *, progress: Optional[Callable[..., None]] = None) -> Iterator[Dict[str, Any]]:
    """The full keyword arguments of collect()/iter_jobs() for the parsed options.

    Session and accounts included; with --demo, the built-in fake runs for as
    long as the context is open. `progress` is passed on when given.
    """
    kwargs = collect_kwargs(args)
    if progress is not None:
        kwargs["progress"] = progress
    if args.demo:
        from .. import demo

        with demo.running() as target:
            kwargs["session"] = target.session
            kwargs["endpoint_url"] = target.endpoint_url
            if getattr(args, "processes", None):
                # Workers read credentials where they run: the demo's dummy keys go
                # into the sealed environment they start in (restored afterwards).
                keys = target.session.get_credentials().get_frozen_credentials()
                os.environ.update(AWS_ACCESS_KEY_ID=keys.access_key, AWS_SECRET_ACCESS_KEY=keys.secret_key,
                                  AWS_DEFAULT_REGION=target.session.region_name)
                kwargs["session"] = None
            with _worker_pool(args) as executor:
                yield _with_executor(kwargs, executor)
        return
    session = session_for(args.profile)
    require_credentials(session)
    kwargs["session"] = session
    kwargs["accounts"] = _accounts(session, args)
    with _worker_pool(args) as executor:
        yield _with_executor(kwargs, executor)


def _with_executor(kwargs: Dict[str, Any], executor: Any) -> Dict[str, Any]:
    return kwargs if executor is None else dict(kwargs, executor=executor)


@contextlib.contextmanager
def _worker_pool(args: argparse.Namespace) -> Iterator[Any]:
    """--processes N: a local pool of N spawned worker processes (None without it).

    On the way out it waits for the workers; on an interrupt or error it stops them at once.
    """
    processes = getattr(args, "processes", None)
    if not processes:
        yield None
        return
    from ..executors import local_process_pool, stop_now

    pool = local_process_pool(processes)
    try:
        yield pool
    except BaseException:
        stop_now(pool)
        raise
    pool.shutdown(wait=True)


def s3_client(args: argparse.Namespace, target: Any) -> Any:
    """The S3 client of an s3:// output (sent to --endpoint-url when given), made now: before
    --demo sets the AWS environment aside.

    The bucket is checked now too (it exists, it answers): an hour of
    listing must not end on a bucket that was never there.
    """
    if target.kind != "s3":
        return None
    from ..export.output import check_s3_target

    session = session_for(getattr(args, "profile", None))
    client = session.client("s3", endpoint_url=getattr(args, "endpoint_url", None))
    check_s3_target(target, client)
    return client


def run_collection(args: argparse.Namespace) -> Tuple[Any, int]:
    """Collect with the parsed options (demo or AWS) and name failed streams on stderr.

    Returns (inventory, exit status). With status 1 (nothing listed) write
    nothing; with 3 write the output, the failures are already named.
    """
    progress = progress_for(args)
    try:
        with collection(args, progress=progress) as kwargs:
            from ..collector import collect

            inventory = collect(**kwargs)
    finally:
        if progress is not None:
            progress.clear()
    return inventory, finish(inventory.errors, inventory.streams, len(inventory.jobs))
