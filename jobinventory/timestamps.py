"""Every accepted time form -> timezone-aware UTC datetime.

Accepted: a datetime (naive means UTC, aware is converted), epoch seconds or
epoch milliseconds (int, float or a numeric string; a magnitude of 1e11 or
more is read as milliseconds, which puts the switch in 1973 for
milliseconds and in the year 5138 for seconds), or an ISO 8601 string in any
offset. Nothing here prints or guesses a local time zone.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from dateutil import parser as _dateutil_parser

__all__ = ["to_utc", "isoformat_z", "parse_wire_timestamp", "UTC"]

UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
_MS_THRESHOLD = 1e11
_fromisoformat = _dt.datetime.fromisoformat
_datetime = _dt.datetime
_fromtimestamp = _dt.datetime.fromtimestamp


def _from_epoch(value: float) -> _dt.datetime:
    if 0 <= value < _MS_THRESHOLD:  # seconds since 1970 (NaN fails this test): the common case, fast
        # Equal to the timedelta sum below for every such value (checked on millions of
        # random floats: same microsecond rounding); about twice as fast.
        return _fromtimestamp(value, UTC)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite epoch time: {value!r}")
    if abs(value) >= _MS_THRESHOLD:
        value = value / 1000.0
        if 0 <= value < _MS_THRESHOLD:
            return _fromtimestamp(value, UTC)
    # Before 1970 (or past year 5138): timedelta arithmetic works on every
    # platform, where fromtimestamp may not.
    return _EPOCH + _dt.timedelta(seconds=value)


def _from_string(text: str) -> _dt.datetime:
    s = text.strip()
    if not s:
        raise ValueError("empty time string")
    first = s[0]
    if first.isdigit() or first in "+-.":
        try:
            number = float(s)
        except ValueError:
            pass
        else:
            return _from_epoch(number)
    try:
        parsed = _fromisoformat(s)
    except ValueError:
        try:
            parsed = _dateutil_parser.isoparse(s)
        except (ValueError, OverflowError) as exc:
            raise ValueError(f"not an ISO 8601 time or epoch number: {text!r}") from exc
    return _from_datetime(parsed)


def _from_datetime(value: _dt.datetime) -> _dt.datetime:
    tz = value.tzinfo
    if tz is None:
        return value.replace(tzinfo=UTC)
    if tz is UTC:
        return value
    return value.astimezone(UTC)


def to_utc(value: Any) -> _dt.datetime:
    """Return `value` as an aware UTC datetime; raise ValueError/TypeError if it is none of the accepted forms."""
    if type(value) is _datetime and value.tzinfo is UTC:  # what the collector's parser gives
        return value
    if isinstance(value, _dt.datetime):
        return _from_datetime(value)
    if isinstance(value, str):
        return _from_string(value)
    if isinstance(value, bool):
        raise TypeError("a boolean is not a time")
    if isinstance(value, (int, float)):
        try:
            return _from_epoch(float(value))
        except OverflowError as exc:
            raise ValueError(f"epoch time out of range: {value!r}") from exc
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise TypeError(f"not a time: {type(value).__name__} {value!r}")


def isoformat_z(value: _dt.datetime) -> str:
    """ISO 8601 in UTC with a `Z` suffix, e.g. 2024-05-01T12:00:00.250000Z."""
    if value.tzinfo is UTC and type(value) is _datetime:  # the common case: ends with +00:00
        return value.isoformat()[:-6] + "Z"
    text = _from_datetime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_wire_timestamp(value: Any) -> _dt.datetime:
    """botocore's response timestamp parser, fast and straight to aware UTC.

    Set on the collector's private botocore session (its response parser
    factory), so every timestamp in a response is parsed once: epoch numbers
    (JSON protocols) and ISO 8601 strings (REST-JSON, query) take a short path,
    anything else goes through `to_utc`, then RFC 822 (HTTP date headers).
    The result equals `to_utc` of the same wire value.
    """
    if type(value) is str:
        if value[4:5] != "-":  # not extended ISO 8601 (an epoch number, RFC 822...)
            return _wire_fallback(value)
        try:
            parsed = _fromisoformat(value)
        except ValueError:
            if value.endswith("Z"):  # Python < 3.11 reads no "Z"
                try:
                    parsed = _fromisoformat(value[:-1] + "+00:00")
                except ValueError:
                    return _wire_fallback(value)
            else:
                return _wire_fallback(value)
        tz = parsed.tzinfo
        if tz is UTC:
            return parsed
        return _from_datetime(parsed)
    if type(value) is float or type(value) is int:
        return _from_epoch(value)
    return _wire_fallback(value)


def _wire_fallback(value: Any) -> _dt.datetime:
    try:
        return to_utc(value)
    except (TypeError, ValueError, OverflowError):
        if not isinstance(value, str):
            raise
    from email.utils import parsedate_to_datetime

    try:
        return _from_datetime(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"not a timestamp: {value!r}") from exc
