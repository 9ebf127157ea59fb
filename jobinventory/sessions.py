"""The collector's botocore sessions, one per (profile, region) for the whole process.

A `SharedSession` (jobinventory.botosession) carries no credentials: each of
its clients is given its own. What it holds is what every collection would
otherwise build again: some 1,350 event handlers registered at creation,
each service's model and client class (EC2's has ~700 methods), the model
loader and the response parser factory. So the same session serves every
collection of the process (a `serve` loop, a library user's repeated
collects), not only the accounts of one: measured, a warm collect of one
stream spent about half its fixed CPU building these again.

A session reads the AWS config and shared credentials files once, so the
files' paths, sizes and modification times are part of the key: an edited
file, or another file named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE,
gets a new session. Environment variables are read by botocore when each
client is made, as before. At most MAX_SESSIONS are kept (the oldest go).
"""
from __future__ import annotations

import collections
import os
import threading
from typing import Any, Optional, Tuple

from .botodata import shared_loader
from .botosession import SharedSession
from .parsing import ParserFactory
from .timestamps import parse_wire_timestamp

__all__ = ["shared_session", "MAX_SESSIONS", "clear"]

#: Sessions kept for the process (a process uses one or two profiles and regions).
MAX_SESSIONS = 16

_lock = threading.Lock()
_sessions: "collections.OrderedDict[Tuple[Any, ...], SharedSession]" = collections.OrderedDict()
_parsers = ParserFactory()
# botocore's parsers give every timestamp of a response through this: once, straight to aware UTC.
_parsers.set_parser_defaults(timestamp_parser=parse_wire_timestamp)


def _file_state(variable: str, default: str) -> Tuple[str, Optional[int], Optional[int]]:
    path = os.path.expanduser(os.environ.get(variable) or default)
    try:
        stat = os.stat(path)
    except OSError:
        return (path, None, None)
    return (path, stat.st_mtime_ns, stat.st_size)


def shared_session(profile: Optional[str], region: Optional[str]) -> SharedSession:
    """The process's session for `profile` (None: the default chain's) and `region`."""
    key = (
        profile,
        region,
        _file_state("AWS_CONFIG_FILE", "~/.aws/config"),
        _file_state("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    )
    with _lock:
        session = _sessions.get(key)
        if session is None:
            session = _new(profile, region)
            _sessions[key] = session
            while len(_sessions) > MAX_SESSIONS:
                _sessions.popitem(last=False)
        return session


def _new(profile: Optional[str], region: Optional[str]) -> SharedSession:
    session = SharedSession(profile=profile)
    if region:
        session.set_config_variable("region", region)
    # One model loader for the process: each model is read from disk once.
    session.register_component("data_loader", shared_loader())
    session.register_component("response_parser_factory", _parsers)
    return session


def clear() -> None:
    """Forget every session (the next collection builds its own)."""
    with _lock:
        _sessions.clear()
