"""The `jobinventory` command line: parse, call the library, write; errors become exit codes.

Only this module prints or exits. Commands: `list`, `summary`,
`normalize`, `operations`, and any registered by other modules (see
`EXTRA_COMMANDS`). Exit status, as the contract says:

    0  every stream answered
    1  nothing could be listed (every planned stream failed, no credentials)
    2  bad usage or input: one line `jobinventory: error: ...`, no traceback
    3  the output is written, but some streams failed (each named on stderr)

For another command that collects (`jobinventory report`), reuse
`add_collection_options(parser)` and, in the command, `run_collection(args)`
(or `collection(args)` / `collect_kwargs(args)` for finer control), so the
flags and exit codes stay the same everywhere.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import importlib
import json
import logging
import os
import re
import signal
import sys
import time
from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import __version__
from .errors import ConfigurationError, JobInventoryError, NormalizationError
from .model import JobStatus
from .timestamps import to_utc

__all__ = [
    "main",
    "build_parser",
    "add_collection_options",
    "add_output_option",
    "collect_kwargs",
    "collection",
    "run_collection",
    "exit_status",
    "report_stream_errors",
    "parse_time",
    "UsageError",
    "EXTRA_COMMANDS",
    "EXIT_OK",
    "EXIT_NOTHING",
    "EXIT_USAGE",
    "EXIT_PARTIAL",
]

PROG = "jobinventory"
EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
#: Concurrent list calls of `list --no-sort` when --max-workers is not given.
STREAMING_WORKERS = 8
EXIT_INTERRUPTED = 130

#: Modules that add commands: each has `add_parser(subparsers, add_collection_options)`
#: which adds a sub-parser and sets `func=callable(args) -> exit status` on it.
#: A module that is not installed is skipped.
EXTRA_COMMANDS: List[str] = ["jobinventory.report.cli"]


class UsageError(JobInventoryError):
    """Bad usage or input found after argument parsing: exit 2 with one line."""


class NothingListed(JobInventoryError):
    """Nothing could be listed (no credentials, every stream failed): exit 1."""


# --------------------------------------------------------------------------
# Option values
# --------------------------------------------------------------------------
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_RELATIVE = re.compile(r"^(?:\d+(?:\.\d+)?[smhdw])+$")
_RELATIVE_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")


def parse_time(text: str, *, now: Optional[_dt.datetime] = None) -> _dt.datetime:
    """A --since/--until value as aware UTC.

    `now`; a relative age back from now: a number and a unit, s m h d w,
    combined as `1d12h`, (`90m`, `24h`, `7d`, `2w`); an ISO 8601 date or
    time (`2024-05-01`, `2024-05-01T12:00:00+02:00`; no offset means UTC);
    or epoch seconds or milliseconds (`1714560000`).
    """
    value = text.strip()
    current = now or _dt.datetime.now(_dt.timezone.utc)
    compact = value.lower().replace(" ", "")
    if compact == "now":
        return current
    if compact.endswith("ago"):
        compact = compact[:-3]
    if _RELATIVE.match(compact):
        seconds = sum(float(n) * _UNITS[u] for n, u in _RELATIVE_PART.findall(compact))
        return current - _dt.timedelta(seconds=seconds)
    try:
        return to_utc(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(
            f"{text!r} is not a time: give ISO 8601 (2024-05-01, 2024-05-01T12:00:00Z), "
            "epoch seconds, or an age like 30m, 24h, 7d, 2w"
        ) from None


def _time_arg(text: str) -> _dt.datetime:
    try:
        return parse_time(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _split(text: str) -> List[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _status_arg(text: str) -> List[JobStatus]:
    statuses = []
    for word in _split(text):
        try:
            statuses.append(JobStatus(word.upper()))
        except ValueError:
            names = ", ".join(s.value.lower() for s in JobStatus)
            raise argparse.ArgumentTypeError(f"unknown status {word!r}; one of: {names}") from None
    return statuses


def _service_arg(text: str) -> List[str]:
    from .registry import services

    known = services()
    found = _split(text)
    for name in found:
        if name not in known:
            raise argparse.ArgumentTypeError(f"unknown service {name!r}; one of: {', '.join(known)}")
    return found


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _account_arg(text: str) -> List[str]:
    found = _split(text)
    for account in found:
        if not (len(account) == 12 and account.isdigit()):
            raise argparse.ArgumentTypeError(f"{account!r} is not a 12-digit AWS account id")
    return found


# --------------------------------------------------------------------------
# Shared options
# --------------------------------------------------------------------------
def add_collection_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that collects (list, summary, report): same flags everywhere."""
    what = parser.add_argument_group("what to list")
    what.add_argument("--service", dest="services", action="extend", type=_service_arg, metavar="NAME",
                      help="boto3 service name (forecast, personalize, dataexchange, bedrock); "
                           "repeatable or comma-separated; default: every covered service")
    what.add_argument("--operation", dest="operations", action="extend", type=_split, metavar="OP",
                      help="List operation (ListDatasetImportJobs, or service:Operation to pick one "
                           "service's); repeatable; default: every covered operation")
    what.add_argument("--region", dest="regions", action="extend", type=_split, metavar="REGION",
                      help="region; repeatable or comma-separated; `all` (the default) is every region "
                           "where the service is offered and the account has enabled")
    what.add_argument("--status", dest="statuses", action="extend", type=_status_arg, metavar="STATUS",
                      help="unified status, any case (pending, running, stopping, stopped, succeeded, "
                           "failed, deleting, unknown); repeatable or comma-separated")
    what.add_argument("--since", type=_time_arg, metavar="TIME",
                      help="jobs created at or after TIME: ISO 8601 (2024-05-01, 2024-05-01T12:00Z), "
                           "epoch seconds, or an age: 30m, 24h, 7d, 2w, 1d12h")
    what.add_argument("--until", type=_time_arg, metavar="TIME", help="jobs created before TIME (same forms)")
    what.add_argument("--name-contains", metavar="TEXT", help="jobs whose name contains TEXT")

    where = parser.add_argument_group("AWS accounts and access")
    where.add_argument("--profile", metavar="NAME", help="AWS profile to use (default: the usual boto3 chain)")
    where.add_argument("--role-arn", dest="role_arns", action="append", metavar="ARN",
                       help="also list the account of this role, assumed from the profile; repeatable")
    where.add_argument("--org-role", metavar="NAME",
                       help="list every active account of the AWS Organization through this role name "
                            "(e.g. OrganizationAccountAccessRole)")
    where.add_argument("--include-account", dest="include_accounts", action="extend", type=_account_arg,
                       metavar="ID", help="with --org-role: only these accounts; repeatable")
    where.add_argument("--exclude-account", dest="exclude_accounts", action="extend", type=_account_arg,
                       metavar="ID", help="with --org-role: skip these accounts; repeatable")
    where.add_argument("--endpoint-url", metavar="URL",
                       help="send the job-list calls to URL (a local fake or proxy) instead of AWS")
    where.add_argument("--demo", action="store_true",
                       help="list the built-in local fake of the job APIs, seeded with a realistic "
                            "inventory: no AWS account or credentials needed")

    how = parser.add_argument_group("how")
    how.add_argument("--max-workers", type=_positive_int, metavar="N",
                     help="concurrent list calls (with --processes: per process)")
    how.add_argument("--processes", type=_positive_int, metavar="N",
                     help="list on N local worker processes, each running threads, for many accounts "
                          "(default: threads in this process)")
    how.add_argument("--retry-mode", choices=("standard", "adaptive", "legacy"),
                     help="botocore retry mode (default: standard)")
    how.add_argument("--max-attempts", type=_positive_int, metavar="N",
                     help="attempts per call, first included (botocore)")
    how.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr (failed streams are still named)")


def add_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="write to PATH (replaced only once complete) or upload to s3://bucket/key; "
                             "default: stdout")


def collect_kwargs(args: argparse.Namespace) -> Dict[str, Any]:
    """Keyword arguments of collect()/iter_jobs() from the parsed options (no session, no accounts).

    Raises UsageError for combinations that cannot work.
    """
    regions = getattr(args, "regions", None)
    if regions:
        if "all" in regions:
            if len(regions) > 1:
                raise UsageError("--region all cannot be combined with other regions")
            regions = None
    since, until = args.since, args.until
    if since and until and since >= until:
        raise UsageError("--since must be before --until")
    if (args.include_accounts or args.exclude_accounts) and not args.org_role:
        raise UsageError("--include-account and --exclude-account go with --org-role")
    if args.demo and (args.profile or args.org_role or args.role_arns or getattr(args, "endpoint_url", None)):
        raise UsageError("--demo lists the built-in fake: it takes no --profile, --role-arn, --org-role "
                         "or --endpoint-url")
    statuses = sorted(set(args.statuses), key=list(JobStatus).index) if args.statuses else None
    kwargs: Dict[str, Any] = {
        "services": list(dict.fromkeys(args.services)) if args.services else None,
        "operations": list(dict.fromkeys(args.operations)) if args.operations else None,
        "regions": list(dict.fromkeys(regions)) if regions else None,
        "statuses": statuses,
        "since": since,
        "until": until,
        "name_contains": args.name_contains,
        "max_workers": args.max_workers,
    }
    for name in ("retry_mode", "max_attempts", "endpoint_url"):
        value = getattr(args, name, None)
        if value is not None:
            kwargs[name] = value
    return kwargs


# --------------------------------------------------------------------------
# Sessions, credentials, accounts
# --------------------------------------------------------------------------
def _session(profile: Optional[str]) -> Any:
    import boto3
    import botocore.exceptions

    try:
        return boto3.Session(profile_name=profile)
    except botocore.exceptions.ProfileNotFound as exc:
        raise UsageError(str(exc)) from None


def _require_credentials(session: Any) -> None:
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
        from .accounts import organization_accounts

        accounts.extend(
            organization_accounts(
                session, args.org_role, include=args.include_accounts, exclude=args.exclude_accounts
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
        from . import demo

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
    session = _session(args.profile)
    _require_credentials(session)
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
    from .executors import local_process_pool, stop_now

    pool = local_process_pool(processes)
    try:
        yield pool
    except BaseException:
        stop_now(pool)
        raise
    pool.shutdown(wait=True)


def _s3_client(args: argparse.Namespace, target: Any) -> Any:
    """The S3 client of an s3:// output, made now: before --demo sets the AWS environment aside."""
    if target.kind != "s3":
        return None
    return _session(getattr(args, "profile", None)).client("s3")


# --------------------------------------------------------------------------
# Progress, errors, exit status
# --------------------------------------------------------------------------
class Progress:
    """A `\\r`-updated progress line on stderr, fed `collector.Progress` snapshots (terminal only)."""

    def __init__(self, stream: IO[str], interval: float = 0.1) -> None:
        self.stream = stream
        self.interval = interval
        self._last = 0.0
        self._shown = False

    def __call__(self, snapshot: Any) -> None:
        now = time.monotonic()
        finished = snapshot.streams_done >= snapshot.streams_total
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        failed = f", {snapshot.errors} failed" if snapshot.errors else ""
        self.stream.write(
            f"\r\x1b[Kstreams {snapshot.streams_done}/{snapshot.streams_total}{failed}; jobs {snapshot.jobs}"
        )
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _progress_for(args: argparse.Namespace) -> Optional[Progress]:
    if getattr(args, "quiet", False) or not _isatty(sys.stderr):
        return None
    return Progress(sys.stderr)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def use_color(stream: Any) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (no-color.org) or TERM=dumb."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def report_stream_errors(errors: Iterable[Any], stream: Optional[IO[str]] = None) -> None:
    """Name each failed stream on stderr, one line each: account/region/service/operation: kind: message."""
    out = stream or sys.stderr
    for error in errors:
        out.write(_one_line(error) + "\n")
    out.flush()


def exit_status(errors: Sequence[Any], streams: Sequence[Any], jobs: int = 0) -> int:
    """0 every stream answered; 3 some failed but something was listed; 1 nothing could be listed."""
    if not errors:
        return EXIT_OK
    if jobs or any(getattr(s, "state", None) == "answered" for s in streams):
        return EXIT_PARTIAL
    return EXIT_NOTHING


def _finish(errors: Sequence[Any], streams: Sequence[Any], jobs: int) -> int:
    status = exit_status(errors, streams, jobs)
    report_stream_errors(errors)
    failed = len(errors)
    planned = len(streams) or failed
    if status == EXIT_PARTIAL:
        _say(f"warning: {failed} of {planned} streams failed; the output is incomplete")
    elif status == EXIT_NOTHING:
        _say(f"error: nothing could be listed: {failed} of {planned} streams failed")
    return status


def run_collection(args: argparse.Namespace) -> Tuple[Any, int]:
    """Collect with the parsed options (demo or AWS) and name failed streams on stderr.

    Returns (inventory, exit status). With status 1 (nothing listed) write
    nothing; with 3 write the output, the failures are already named.
    """
    progress = _progress_for(args)
    try:
        with collection(args, progress=progress) as kwargs:
            from .collector import collect

            inventory = collect(**kwargs)
    finally:
        if progress is not None:
            progress.clear()
    return inventory, _finish(inventory.errors, inventory.streams, len(inventory.jobs))


def _say(text: str) -> None:
    sys.stderr.write(f"{PROG}: {text}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------
def _check_output(fmt: Any, target: Any) -> None:
    if fmt.name == "parquet":
        from .export.parquet import require_pyarrow

        require_pyarrow()
        if target.kind == "stdout" and _isatty(sys.stdout):
            raise UsageError("parquet is binary: write it with --output FILE or redirect stdout")


def _write_options(fmt: Any, target: Any) -> Dict[str, Any]:
    if fmt.name == "table":
        return {"color": target.kind == "stdout" and use_color(sys.stdout)}
    return {}


def cmd_list(args: argparse.Namespace) -> int:
    from . import export
    from .export.output import Output, parse_target

    fmt = export.get_format(args.format)
    target = parse_target(args.output)
    _check_output(fmt, target)
    collect_kwargs(args)  # usage errors first, before anything is set up
    s3_client = _s3_client(args, target)
    options = _write_options(fmt, target)
    writer = fmt.writer()

    def output() -> Output:
        return Output(target, binary=fmt.binary, terminal=fmt.name == "table",
                      content_type=fmt.content_type, s3_client=s3_client)

    if not args.no_sort:
        inventory, status = run_collection(args)
        if status != EXIT_NOTHING:
            with output() as stream:
                writer.write(inventory.jobs, stream, **options)
        return status

    progress = _progress_for(args)
    try:
        with collection(args, progress=progress) as kwargs:
            from .collector import iter_jobs

            if kwargs.get("max_workers") is None and not kwargs.get("executor"):
                # Streaming is for inventories too big to hold: memory follows
                # the pages in the workers' hands (about 2 MB each), so fewer
                # of them; 8 keep one core busy parsing (benchmarks/RESULTS.md).
                kwargs["max_workers"] = STREAMING_WORKERS
            jobs = iter_jobs(**kwargs)
            out = output()
            with out as stream:
                count = writer.write(jobs, stream, **options)
                errors, streams = list(jobs.errors), list(jobs.streams)
                if exit_status(errors, streams, count) == EXIT_NOTHING:
                    out.discard()  # an empty export must not replace the previous one
    finally:
        if progress is not None:
            progress.clear()
    return _finish(errors, streams, count)


def cmd_summary(args: argparse.Namespace) -> int:
    from .export import summary as summaries
    from .export.output import Output, parse_target

    target = parse_target(args.output)
    collect_kwargs(args)
    s3_client = _s3_client(args, target)
    inventory, status = run_collection(args)
    if status == EXIT_NOTHING:
        return status
    result = summaries.summarize(inventory.jobs, streams=inventory.streams)
    color = args.format == "table" and target.kind == "stdout" and use_color(sys.stdout)
    content = {"json": "application/json", "csv": "text/csv; charset=utf-8"}.get(args.format, "text/plain")
    with Output(target, terminal=args.format == "table", content_type=content,
                s3_client=s3_client) as stream:
        summaries.write(result, args.format, stream, color=color)
    return status


def _read_json(path: str) -> Any:
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{name}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def cmd_normalize(args: argparse.Namespace) -> int:
    from . import export
    from .export.output import Output, parse_target
    from .normalize import normalize, summaries_of

    fmt = export.get_format(args.format)
    target = parse_target(args.output)
    _check_output(fmt, target)
    name = "<stdin>" if args.file == "-" else args.file
    data = _read_json(args.file)
    s3_client = _s3_client(args, target)
    try:
        summaries = summaries_of(args.service, args.operation, data)
    except NormalizationError as exc:
        raise UsageError(f"{name}: {exc}") from None
    jobs = []
    for index, summary in enumerate(summaries):
        try:
            jobs.append(normalize(args.service, args.operation, summary,
                                  region=args.region_hint, account_id=args.account_hint))
        except NormalizationError as exc:
            field = f" field {exc.field!r}" if exc.field else ""
            raise UsageError(
                f"{name}: item {index}{field}: {exc.reason} ({args.service} {args.operation})"
            ) from None
    with Output(target, binary=fmt.binary, terminal=fmt.name == "table", content_type=fmt.content_type,
                s3_client=s3_client) as stream:
        fmt.writer().write(jobs, stream, **_write_options(fmt, target))
    return EXIT_OK


_OPERATION_COLUMNS = ("service", "operation", "job_type", "regions", "description")


def cmd_operations(args: argparse.Namespace) -> int:
    from .export import table
    from .export.csv import cell

    rows = _operation_rows()
    if args.services:
        rows = [row for row in rows if row["service"] in args.services]
    out = sys.stdout
    if args.format == "json":
        json.dump(rows, out, indent=2)
        out.write("\n")
    elif args.format == "csv":
        import csv

        writer = csv.writer(out)
        writer.writerow(_OPERATION_COLUMNS)
        for row in rows:
            writer.writerow([cell(" ".join(row[k]) if k == "regions" else row[k]) for k in _OPERATION_COLUMNS])
    else:
        table.render(
            ("SERVICE", "OPERATION", "JOB TYPE", "REGIONS", "DESCRIPTION"),
            [(r["service"], r["operation"], r["job_type"] or "(per job)", str(len(r["regions"])),
              table.clean(r["description"] or "", 60)) for r in rows],
            out, right=(3,),
        )
    return EXIT_OK


def _operation_rows() -> List[Dict[str, Any]]:
    try:
        from .operations import covered_operations
    except ImportError:
        covered_operations = None
    if covered_operations is not None:
        return [
            {"service": r.service, "operation": r.operation, "job_type": r.job_type,
             "regions": list(r.regions), "description": r.description}
            for r in covered_operations()
        ]
    import boto3

    from .registry import all_specs

    session = boto3.Session()
    return [
        {"service": s.service, "operation": s.operation, "job_type": s.job_type,
         "regions": sorted(session.get_available_regions(s.service)), "description": s.description}
        for s in all_specs().values()
    ]


# --------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------
_MAIN_EPILOG = """\
commands:
  list         every job, as a table, JSON, JSON Lines, CSV or Parquet
  summary      counts by service, region and status; recent failures
  normalize    a saved List response (boto3 or AWS CLI JSON) as canonical records
  operations   the covered services and operations, with their regions

examples:
  jobinventory list --demo
  jobinventory list --region us-east-1 --status failed --since 7d
  jobinventory list --format parquet --output s3://my-bucket/jobs/latest.parquet
  jobinventory summary --region all --format json
  aws forecast list-dataset-import-jobs > saved.json
  jobinventory normalize saved.json --service forecast --operation ListDatasetImportJobs

exit status:
  0 every stream answered      1 nothing could be listed
  2 bad usage or input         3 output written, some streams failed (named on stderr)
"""

_LIST_EPILOG = """\
examples:
  jobinventory list --demo
  jobinventory list --region us-east-1 --region eu-west-1 --status failed,stopped --since 24h
  jobinventory list --service bedrock --name-contains nightly --format jsonl
  jobinventory list --profile prod --role-arn arn:aws:iam::111122223333:role/Inventory
  jobinventory list --org-role OrganizationAccountAccessRole --exclude-account 444455556666
  jobinventory list --format csv --output jobs.csv
  jobinventory list --format parquet --output s3://my-bucket/jobs/latest.parquet
  jobinventory list --no-sort --format jsonl --output jobs.jsonl    # streamed, little memory

formats:
  table    for people: local times, durations, status coloured on a terminal (not with NO_COLOR)
  json     one array of records, each exactly as jobinventory.to_dict gives it
  jsonl    one to_dict record per line
  csv      columns service, operation, job_type, job_id, arn, name, status, raw_status,
           created_at, updated_at, ended_at, region, account_id, message, source,
           destination, details (compact JSON); formula-like cells get a leading '
  parquet  real types: timestamp[us, UTC], dictionary-encoded status (pip install 'jobinventory[parquet]')

times (--since, --until): ISO 8601 (2024-05-01, 2024-05-01T12:00:00+02:00; no offset
means UTC), epoch seconds or milliseconds, or an age back from now: 30m, 24h, 7d, 2w, 1d12h.

exit status: 0 every stream answered; 1 nothing could be listed; 2 bad usage or input;
3 output written but some streams failed (each named on stderr as
account/region/service/operation: kind: message).
"""

_SUMMARY_EPILOG = """\
examples:
  jobinventory summary --demo
  jobinventory summary --region all --format json --output summary.json
  jobinventory summary --service forecast --since 30d --format csv

The summary counts jobs by service, region and status (and service x status),
and the failed jobs of the last 24 hours and 7 days (dated by when they ended,
else were last updated, else were created). csv is tidy: dimension,key,status,count.

exit status: as for `jobinventory list`.
"""

_NORMALIZE_EPILOG = """\
examples:
  aws forecast list-dataset-import-jobs > saved.json
  jobinventory normalize saved.json --service forecast --operation ListDatasetImportJobs
  aws bedrock list-model-import-jobs | jobinventory normalize - --service bedrock \\
      --operation ListModelImportJobs --format table

FILE is a whole List response (with its list key, e.g. DatasetImportJobs) or a
bare list of summaries, as boto3 or the AWS CLI gives it; `-` reads stdin.
Malformed JSON, a wrong list key or a summary that cannot be read: exit 2 and one
line naming the file, the item index and the field.
"""

_OPERATIONS_EPILOG = """\
examples:
  jobinventory operations
  jobinventory operations --service personalize --format json
"""


def _subparser(subparsers: Any, name: str, help_text: str, epilog: str) -> argparse.ArgumentParser:
    return subparsers.add_parser(
        name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".", epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    from .export import FORMATS
    from .export.summary import FORMATS as SUMMARY_FORMATS

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="One inventory of AWS asynchronous jobs (Forecast, Personalize, Data Exchange, "
                    "Bedrock) across services, regions and accounts.",
        epilog=_MAIN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _subparser(subparsers, "list", "list every job", _LIST_EPILOG)
    p.add_argument("-f", "--format", choices=list(FORMATS), default="table", help="default: table")
    add_output_option(p)
    p.add_argument("--no-sort", action="store_true",
                   help="write jobs as they arrive instead of newest first (json, jsonl, csv and "
                        f"parquet then hold little in memory; {STREAMING_WORKERS} concurrent calls "
                        "unless --max-workers says otherwise)")
    add_collection_options(p)
    p.set_defaults(func=cmd_list)

    p = _subparser(subparsers, "summary", "count jobs by service, region and status", _SUMMARY_EPILOG)
    p.add_argument("-f", "--format", choices=list(SUMMARY_FORMATS), default="table", help="default: table")
    add_output_option(p)
    add_collection_options(p)
    p.set_defaults(func=cmd_summary)

    p = _subparser(subparsers, "normalize", "turn a saved List response into canonical records",
                   _NORMALIZE_EPILOG)
    p.add_argument("file", metavar="FILE", help="saved response (JSON); - for stdin")
    p.add_argument("--service", required=True, help="boto3 service name, e.g. forecast")
    p.add_argument("--operation", required=True, help="List operation, e.g. ListDatasetImportJobs")
    p.add_argument("-f", "--format", choices=list(FORMATS), default="jsonl", help="default: jsonl")
    p.add_argument("--region", dest="region_hint", metavar="REGION",
                   help="region of the jobs, where their ARNs do not say")
    p.add_argument("--account-id", dest="account_hint", type=lambda t: _account_arg(t)[0], metavar="ID",
                   help="account of the jobs, where their ARNs do not say")
    add_output_option(p)
    p.set_defaults(func=cmd_normalize, profile=None)

    p = _subparser(subparsers, "operations", "show the covered services and operations", _OPERATIONS_EPILOG)
    p.add_argument("--service", dest="services", action="extend", type=_service_arg, metavar="NAME",
                   help="only this service; repeatable")
    p.add_argument("-f", "--format", choices=("table", "json", "csv"), default="table", help="default: table")
    p.set_defaults(func=cmd_operations)

    _register_extra_commands(subparsers)
    return parser


def _register_extra_commands(subparsers: Any) -> None:
    for module_name in EXTRA_COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
                continue  # not installed (yet)
            raise
        module.add_parser(subparsers, add_collection_options)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------
def _on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through Output, which removes its temp file


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; return the exit status (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    previous = None
    with contextlib.suppress(ValueError):  # not in the main thread
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    # The library's warnings (a denied DescribeRegions, an unloadable plug-in)
    # go to stderr unless --quiet; failed streams are reported by the command.
    warnings = logging.StreamHandler(sys.stderr)
    warnings.setLevel(logging.WARNING)
    warnings.setFormatter(logging.Formatter("%(message)s"))
    library_log = logging.getLogger("jobinventory")
    if not getattr(args, "quiet", False):
        library_log.addHandler(warnings)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from
        # complaining when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_NOTHING
    except Exception as exc:  # noqa: BLE001 - every known failure becomes one line
        status = _exit_for(exc)
        if status is None:
            if os.environ.get("JOBINVENTORY_DEBUG"):
                raise
            # A bug of ours, not the user's input: still one line, no traceback.
            _say(
                f"error: unexpected {type(exc).__name__}: {_one_line(_message(exc))} "
                "(run with JOBINVENTORY_DEBUG=1 for the traceback)"
            )
            return EXIT_NOTHING
        _say(f"error: {_one_line(_message(exc))}")
        return status
    finally:
        library_log.removeHandler(warnings)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _message(exc: BaseException) -> str:
    text = str(exc)
    return text if text else type(exc).__name__


def _exit_for(exc: BaseException) -> Optional[int]:
    from .export import MissingDependencyError, InvalidTargetError, UploadError

    if isinstance(exc, (UsageError, ConfigurationError, NormalizationError, MissingDependencyError,
                        InvalidTargetError)):
        return EXIT_USAGE
    if isinstance(exc, (NothingListed, UploadError)):
        return EXIT_NOTHING
    try:
        import botocore.exceptions as bex
    except ImportError:  # pragma: no cover - boto3 is a dependency
        return None
    if isinstance(exc, (bex.ProfileNotFound, bex.InvalidConfigError, bex.ParamValidationError)):
        return EXIT_USAGE
    if isinstance(exc, (bex.NoCredentialsError, bex.PartialCredentialsError, bex.CredentialRetrievalError,
                        bex.NoRegionError, bex.BotoCoreError, bex.ClientError)):
        return EXIT_NOTHING
    if isinstance(exc, JobInventoryError):
        return EXIT_USAGE
    if isinstance(exc, OSError):  # the output could not be written (disk full, permissions...)
        return EXIT_NOTHING
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
