"""`jobinventory serve`: a sync every interval, and the store over HTTP (metrics, page, health)."""
from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import shutil
import signal
import sys
import threading
from typing import Any, Callable, Dict, Iterator, Optional

from ..notifying import notifier_for
from ..options import add_collection_options, add_notify_options, collect_kwargs, relative_times, at_time
from ..status import EXIT_OK, UsageError, one_line
from .sync import add_db_option

HELP = "sync the store every interval and serve it: Prometheus metrics, a live page, a health check"
SUMMARY = "a sync every interval; /metrics for Prometheus, / the live report, /healthz"

#: Seconds a sync in progress gets to finish once asked to stop.
STOP_GRACE = 2.0

EPILOG = """\
examples:
  jobinventory serve --demo --interval 20 --port 0        # the built-in fake, its jobs moving on
  jobinventory serve --db postgresql+psycopg://inventory@db/jobs --region all --port 9184
  jobinventory serve --org-role OrganizationAccountAccessRole --interval 600 --bind 0.0.0.0

The store: --db as `sync` takes it; with --demo and no --db, a temporary store
removed on exit (the demo's jobs stay out of yours). --notify and its options
as for `sync`, delivered at every sync; a failing target is logged and its
changes go with the next sync. A relative --since/--until (24h) is counted
back from each sync's time.

routes: /metrics (Prometheus text exposition), / (the store's report, live),
/healthz (200 while the last sync finished within two intervals, else 503).
The first line on stderr is `serving on http://ADDR:PORT`; then one line per sync.
A failing sync is logged and retried at the next interval. SIGTERM or Ctrl-C
stops it within seconds, the store intact (exit status 0).
"""


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535; 0 takes a free port)")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ...serve.service import DEFAULT_INTERVAL, DEFAULT_PORT

    group = parser.add_argument_group("serving")
    group.add_argument("--interval", type=_seconds, default=DEFAULT_INTERVAL, metavar="SECONDS",
                       help=f"seconds from one sync to the next (default: {DEFAULT_INTERVAL:g})")
    group.add_argument("--bind", default="127.0.0.1", metavar="ADDR",
                       help="address to listen on (default: 127.0.0.1; 0.0.0.0 or :: to open it)")
    group.add_argument("--port", type=_port, default=DEFAULT_PORT,
                       help=f"port to listen on (default: {DEFAULT_PORT}; 0 takes a free port)")
    add_db_option(parser)
    add_collection_options(parser)
    add_notify_options(parser)


def run(args: argparse.Namespace) -> int:
    from ...serve import Service, require_extra

    require_extra()
    kwargs = collect_kwargs(args)  # usage errors first
    if args.demo and args.processes:
        raise UsageError("serve --demo lists the built-in fake on threads: it takes no --processes")
    notifier = notifier_for(args)  # a bad target too
    from ...store import open_store

    with _store_url(args) as (db_url, scratch), open_store(db_url) as store:
        service = Service(store, interval=args.interval)
        try:
            url = service.start(args.bind, args.port)
        except OSError as exc:
            raise UsageError(f"cannot listen on {args.bind}:{args.port}: {exc.strerror or exc}") from None
        sys.stderr.write(f"serving on {url}\n")
        sys.stderr.flush()
        try:
            with _target(args, kwargs) as (full, before_sync):
                sync = syncer(store, full, relative_times(args), notifier)
                return _serve(service, args, sync, before_sync, scratch)
        finally:
            service.stop(0)


@contextlib.contextmanager
def _store_url(args: argparse.Namespace) -> Iterator[Optional[str]]:
    """--db; with --demo and no --db, a temporary store (the demo's jobs stay out of your own)."""
    if args.db or not args.demo:
        yield args.db, None
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jobinventory-demo-") as tmp:
        yield f"sqlite:///{tmp}/demo.db", tmp


def syncer(store: Any, full: Dict[str, Any], relative: Dict[str, Any], notifier: Any = None,
           clock: Optional[Callable[[], Any]] = None) -> Callable[[], Any]:
    """The loop's sync: collect with `full` and sync into `store`, delivering to `notifier`.

    A relative --since/--until (`relative`, from `relative_times`) is
    evaluated at each sync, from `clock()` (now by default); a target that
    fails is named in the log and its changes go with the next sync.
    """
    def sync() -> Any:
        result = store.collect_and_sync(notify=notifier, **at_time(full, relative, clock() if clock else None))
        _log_notifications(result)
        return result

    return sync


def _log_notifications(result: Any) -> None:
    log = logging.getLogger("jobinventory.serve")
    for report in getattr(result, "notifications", None) or ():
        if not report.ok:
            log.error("notify %s; %d change(s) kept for the next sync", one_line(report), report.failed)


@contextlib.contextmanager
def _target(args: argparse.Namespace, kwargs: Dict[str, Any]) -> Iterator[Any]:
    """(collect's keyword arguments, the demo's move_on or None) for the options."""
    if args.demo:
        from ... import demo

        with demo.running() as target:
            yield dict(kwargs, session=target.session, endpoint_url=target.endpoint_url), target.move_on
        return
    from ..context import collection

    with collection(args) as full:
        yield full, None


def _serve(service: Any, args: argparse.Namespace, sync: Callable[[], Any],
           before_sync: Optional[Callable[[int], Any]], scratch: Optional[str] = None) -> int:
    stop = threading.Event()
    with _logging(getattr(args, "quiet", False)), _signals(stop):
        service.run_syncs(sync, before_sync)
        while not stop.wait(0.5):
            pass
        logging.getLogger("jobinventory.serve").info("stopping")
        finished = service.stop(STOP_GRACE)
    if not finished:
        # The sync in progress has not committed: the store keeps the last finished
        # sync. Its calls in flight would hold the interpreter's exit; leave now.
        sys.stderr.write("jobinventory: stopped; the sync in progress was abandoned (not written)\n")
        sys.stderr.flush()
        # os._exit skips the with-blocks and atexit: remove the demo's temporary store
        # and files (its empty AWS config) here.
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        atexit._run_exitfuncs()
        os._exit(EXIT_OK)
    return EXIT_OK


@contextlib.contextmanager
def _signals(stop: threading.Event) -> Iterator[None]:
    handler = lambda signum, frame: stop.set()  # noqa: E731
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def _logging(quiet: bool) -> Iterator[None]:
    """One line per sync on stderr (only failures with --quiet)."""
    logger = logging.getLogger("jobinventory.serve")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    saved = logger.level, logger.propagate
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
