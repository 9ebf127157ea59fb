"""Options shared by commands, so a flag means the same everywhere.

Each `add_*_options(container)` adds one group of flags to a parser or an
argument group; `add_collection_options(parser)` is all of them, as `list`,
`summary` and `report` take them. A command that needs only some (the
selection of services, operations and regions, say) adds just those groups,
and `collect_kwargs(args)` reads whichever were added.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import re
from typing import Any, Dict, List, Optional

from ..model import JobStatus
from ..timestamps import to_utc
from .status import UsageError

__all__ = [
    "parse_time",
    "add_selection_options",
    "add_filter_options",
    "add_account_options",
    "add_concurrency_options",
    "add_quiet_option",
    "add_collection_options",
    "add_output_option",
    "add_notify_options",
    "collect_kwargs",
    "split_list",
    "names_list",
    "check_kwargs",
    "service_list",
    "account_list",
    "positive_int",
    "positive_seconds",
    "relative_times",
    "at_time",
]

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
        try:
            return current - _dt.timedelta(seconds=seconds)
        except (OverflowError, ValueError):
            raise ValueError(f"{text!r} is further back than any date (year 1)") from None
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


class _TimeOption(argparse.Action):
    """--since/--until: the time as of parsing, and the text as given in `<dest>_text` (a
    relative one is evaluated again by a command that runs on: see `relative_times`)."""

    def __call__(self, parser: Any, namespace: argparse.Namespace, values: Any, option_string: Any = None) -> None:
        try:
            setattr(namespace, self.dest, parse_time(values))
        except ValueError as exc:
            raise argparse.ArgumentError(self, str(exc)) from None
        setattr(namespace, f"{self.dest}_text", values)


def split_list(text: str) -> List[str]:
    """`a, b,c` -> [a, b, c]."""
    return [part.strip() for part in text.split(",") if part.strip()]


def names_list(text: str) -> List[str]:
    """split_list, refusing an empty value (`--region "$REGION"` with REGION unset must not mean all)."""
    found = split_list(text)
    if not found:
        raise argparse.ArgumentTypeError("an empty value; leave the option out to mean every one")
    return found


def _status_arg(text: str) -> List[JobStatus]:
    statuses = []
    for word in names_list(text):
        try:
            statuses.append(JobStatus(word.upper()))
        except ValueError:
            names = ", ".join(s.value.lower() for s in JobStatus)
            raise argparse.ArgumentTypeError(f"unknown status {word!r}; one of: {names}") from None
    return statuses


def service_list(text: str) -> List[str]:
    """Covered boto3 service names, comma-separated."""
    from ..registry import services

    known = services()
    found = names_list(text)
    for name in found:
        if name not in known:
            raise argparse.ArgumentTypeError(f"unknown service {name!r}; one of: {', '.join(known)}")
    return found


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < 10**7:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def account_list(text: str) -> List[str]:
    """12-digit AWS account ids, comma-separated."""
    found = split_list(text)
    for account in found:
        if not (len(account) == 12 and account.isdigit()):
            raise argparse.ArgumentTypeError(f"{account!r} is not a 12-digit AWS account id")
    return found


# --------------------------------------------------------------------------
# Option groups
# --------------------------------------------------------------------------
def add_selection_options(group: Any) -> None:
    """--service, --operation, --region: which streams to list."""
    group.add_argument("--service", dest="services", action="extend", type=service_list, metavar="NAME",
                       help="boto3 service name (forecast, personalize, dataexchange, bedrock); "
                            "repeatable or comma-separated; default: every covered service")
    group.add_argument("--operation", dest="operations", action="extend", type=names_list, metavar="OP",
                       help="List operation (ListDatasetImportJobs, or service:Operation to pick one "
                            "service's); repeatable; default: every covered operation")
    group.add_argument("--region", dest="regions", action="extend", type=names_list, metavar="REGION",
                       help="region; repeatable or comma-separated; `all` (the default) is every region "
                            "where the service is offered and the account has enabled")


def add_filter_options(group: Any) -> None:
    """--status, --since, --until, --name-contains: which jobs to keep."""
    group.add_argument("--status", dest="statuses", action="extend", type=_status_arg, metavar="STATUS",
                       help="unified status, any case (pending, running, stopping, stopped, succeeded, "
                            "failed, deleting, unknown); repeatable or comma-separated")
    group.add_argument("--since", action=_TimeOption, metavar="TIME",
                       help="jobs created at or after TIME: ISO 8601 (2024-05-01, 2024-05-01T12:00Z), "
                            "epoch seconds, or an age: 30m, 24h, 7d, 2w, 1d12h")
    group.add_argument("--until", action=_TimeOption, metavar="TIME", help="jobs created before TIME (same forms)")
    group.add_argument("--name-contains", metavar="TEXT", help="jobs whose name contains TEXT")


def add_account_options(group: Any) -> None:
    """--profile, --role-arn, --org-role, --include/--exclude-account, --endpoint-url, --demo."""
    group.add_argument("--profile", metavar="NAME", help="AWS profile to use (default: the usual boto3 chain)")
    group.add_argument("--role-arn", dest="role_arns", action="append", metavar="ARN",
                       help="also list the account of this role, assumed from the profile; repeatable")
    group.add_argument("--org-role", metavar="NAME",
                       help="list every active account of the AWS Organization through this role name "
                            "(e.g. OrganizationAccountAccessRole)")
    group.add_argument("--include-account", dest="include_accounts", action="extend", type=account_list,
                       metavar="ID", help="with --org-role: only these accounts; repeatable")
    group.add_argument("--exclude-account", dest="exclude_accounts", action="extend", type=account_list,
                       metavar="ID", help="with --org-role: skip these accounts; repeatable")
    group.add_argument("--endpoint-url", metavar="URL",
                       help="send the job-list calls to URL (a local fake or proxy) instead of AWS")
    group.add_argument("--demo", action="store_true",
                       help="list the built-in local fake of the job APIs, seeded with a realistic "
                            "inventory: no AWS account or credentials needed")


def add_concurrency_options(group: Any) -> None:
    """--max-workers, --processes, --retry-mode, --max-attempts, --stream-timeout: how the calls are made."""
    group.add_argument("--max-workers", type=positive_int, metavar="N",
                       help="concurrent list calls (default: 64, 8 with --no-sort; with --processes: per process)")
    group.add_argument("--processes", type=positive_int, metavar="N",
                       help="list on N local worker processes, each running threads, for many accounts "
                            "(default: threads in this process)")
    group.add_argument("--retry-mode", choices=("standard", "adaptive", "legacy"),
                       help="botocore retry mode (default: standard)")
    group.add_argument("--max-attempts", type=positive_int, metavar="N",
                       help="attempts per call, first included (botocore)")
    group.add_argument("--stream-timeout", type=positive_seconds, metavar="SECONDS",
                       help="a stream (account, region, service, operation) that gets no page for SECONDS "
                            "fails, keeping what it read, and so does an account look-up (default: 60)")


def add_quiet_option(group: Any) -> None:
    group.add_argument("-q", "--quiet", action="store_true",
                       help="no progress on stderr (failed streams are still named)")


def add_collection_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that collects (list, summary, report): same flags everywhere."""
    what = parser.add_argument_group("what to list")
    add_selection_options(what)
    add_filter_options(what)
    add_account_options(parser.add_argument_group("AWS accounts and access"))
    how = parser.add_argument_group("how")
    add_concurrency_options(how)
    add_quiet_option(how)


def add_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="write to PATH (replaced only once complete) or upload to s3://bucket/key; "
                             "default: stdout")


def _kind_arg(text: str) -> List[str]:
    kinds = [word.lower() for word in split_list(text)]
    for kind in kinds:
        if kind not in ("new", "status", "gone"):
            raise argparse.ArgumentTypeError(f"unknown change kind {kind!r}; one of: new, status, gone")
    return kinds


def _seconds_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


def add_notify_options(parser: argparse.ArgumentParser) -> None:
    """--notify TARGET (repeatable), --notify-status, --notify-kind, --notify-timeout: send each change once."""
    group = parser.add_argument_group("notifications (each change sent once; see README, Notifications)")
    group.add_argument("--notify", dest="notify", action="append", metavar="TARGET",
                       help="send every change to TARGET: eventbridge:BUS (name or ARN), sns:TOPIC_ARN, "
                            "webhook:URL (Slack, Teams...), jsonl:- (stdout); repeatable")
    group.add_argument("--notify-status", dest="notify_statuses", action="extend", type=_status_arg,
                       metavar="STATUS", help="send only changes into these unified statuses (e.g. failed, "
                                              "stopped); repeatable or comma-separated")
    group.add_argument("--notify-kind", dest="notify_kinds", action="extend", type=_kind_arg, metavar="KIND",
                       help="send only changes of these kinds: new, status, gone; repeatable or comma-separated")
    group.add_argument("--notify-timeout", type=_seconds_arg, metavar="SECONDS",
                       help="seconds one call to a target may take (default: 10); a target spends at most "
                            "60 s per sync")


# --------------------------------------------------------------------------
# From options to the library's arguments
# --------------------------------------------------------------------------
_PROBE = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)


def relative_times(args: argparse.Namespace) -> Dict[str, _dt.timedelta]:
    """{"since"/"until": age} of the options given as an age back from now (`24h`, `now`):
    what a long-running command (serve) evaluates again at each sync; absolute times are left out."""
    ages: Dict[str, _dt.timedelta] = {}
    for name in ("since", "until"):
        text = getattr(args, f"{name}_text", None)
        if text is None:
            continue
        first = parse_time(text, now=_PROBE)
        if parse_time(text, now=_PROBE + _dt.timedelta(days=1)) != first:  # it moves with the clock
            ages[name] = _PROBE - first
    return ages


def at_time(kwargs: Dict[str, Any], ages: Dict[str, _dt.timedelta],
            now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
    """`kwargs` with each relative time of `ages` evaluated back from `now` (the clock by default)."""
    if not ages:
        return dict(kwargs)
    current = now or _dt.datetime.now(_dt.timezone.utc)
    return dict(kwargs, **{name: current - age for name, age in ages.items()})


def _check_combinations(args: argparse.Namespace) -> None:
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since and until and since >= until:
        raise UsageError("--since must be before --until")
    if (getattr(args, "include_accounts", None) or getattr(args, "exclude_accounts", None)) \
            and not getattr(args, "org_role", None):
        raise UsageError("--include-account and --exclude-account go with --org-role")
    if getattr(args, "demo", False) and (args.profile or args.org_role or args.role_arns
                                         or getattr(args, "endpoint_url", None)):
        raise UsageError("--demo lists the built-in fake: it takes no --profile, --role-arn, --org-role "
                         "or --endpoint-url")


def _unique(values: Optional[List[Any]]) -> Optional[List[Any]]:
    return list(dict.fromkeys(values)) if values else None


def collect_kwargs(args: argparse.Namespace) -> Dict[str, Any]:
    """Keyword arguments of collect()/iter_jobs() from the parsed options (no session, no accounts).

    Reads the option groups the command added (a missing one means its
    defaults). Raises UsageError for combinations that cannot work.
    """
    regions = getattr(args, "regions", None)
    if regions and "all" in regions:
        if len(regions) > 1:
            raise UsageError("--region all cannot be combined with other regions")
        regions = None
    _check_combinations(args)
    statuses = getattr(args, "statuses", None)
    kwargs: Dict[str, Any] = {
        "services": _unique(getattr(args, "services", None)),
        "operations": _unique(getattr(args, "operations", None)),
        "regions": _unique(regions),
        "statuses": sorted(set(statuses), key=list(JobStatus).index) if statuses else None,
        "since": getattr(args, "since", None),
        "until": getattr(args, "until", None),
        "name_contains": getattr(args, "name_contains", None),
        "max_workers": getattr(args, "max_workers", None),
    }
    for name in ("retry_mode", "max_attempts", "endpoint_url", "stream_timeout"):
        value = getattr(args, name, None)
        if value is not None:
            kwargs[name] = value
    if not getattr(args, "demo", False):  # the demo checks them once its own AWS setup is in place
        check_kwargs(kwargs)
    return kwargs


def check_kwargs(kwargs: Dict[str, Any]) -> None:
    """The library's own checks of collect() arguments, run before any session or call:
    an unknown region, operation or a bad endpoint URL is bad usage (exit 2), credentials or not."""
    from ..collector import check_arguments

    check_arguments(**kwargs)
