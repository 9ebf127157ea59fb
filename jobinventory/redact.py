"""Make service extras JSON-safe and keep secrets out of them."""
from __future__ import annotations

import base64
import datetime as _dt
import decimal
import functools
from collections.abc import Mapping
from typing import Any

from .timestamps import UTC as _UTC, isoformat_z

__all__ = ["REDACTED", "is_secret_key", "json_safe"]

REDACTED = "***REDACTED***"
_datetime = _dt.datetime

# Keys whose values are credentials or presigned URLs, compared lower-cased
# with separators dropped. Role and KMS key ARNs are not secrets and stay.
_SECRET_KEYS = frozenset(
    {
        "signedurl",
        "apikey",
        "apispecificationuploadurl",
        "password",
        "secret",
        "secretkey",
        "secretaccesskey",
        "sessiontoken",
        "accesstoken",
        "authtoken",
        "credentials",
        "presignedurl",
        "uploadurl",
        "downloadurl",
    }
)
_SECRET_SUFFIXES = ("signedurl", "uploadurl", "password", "secret", "apikey", "sessiontoken", "accesstoken")
# A presigned URL (SigV4 or SigV2) carries its signature in the query string.
_SIGNATURE_MARKERS = ("x-amz-signature=", "x-amz-credential=", "x-amz-security-token=", "&signature=", "?signature=")


@functools.lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """A key whose string value is a credential or a presigned URL (cached: keys repeat)."""
    k = key.replace("_", "").replace("-", "").lower()
    return k in _SECRET_KEYS or k.endswith(_SECRET_SUFFIXES)


def _is_signed_url(text: str) -> bool:
    # Cheap test first: nearly every string has no "=" at all.
    if "=" not in text:
        return False
    low = text.lower()
    return any(marker in low for marker in _SIGNATURE_MARKERS)


def json_safe(value: Any) -> Any:
    """A copy of `value` with only JSON types, timestamps as ISO 8601 Z, secrets redacted."""
    kind = type(value)
    if kind is str:
        return REDACTED if _is_signed_url(value) else value
    if kind is dict:
        return _safe_dict(value)
    if value is None or kind is int or kind is bool:
        return value
    if kind is list:
        return [json_safe(v) for v in value]
    return _json_safe_other(value)


def secret_value(key: str, value: str) -> bool:
    """A string under `key` that must not be kept: a secret key's value or a presigned URL."""
    secret = _secret_keys.get(key)
    if secret is None:
        secret = is_secret_key(key)
        if len(_secret_keys) < 4096:
            _secret_keys[key] = secret
    return secret or ("=" in value and _is_signed_url(value))


#: is_secret_key, memoised in a plain dict (a hot path: every string of every summary).
_secret_keys: dict = {}


def _safe_dict(value: dict) -> dict:
    """json_safe of a dict: one loop with the common types inline (the hot path of every summary)."""
    out = {}
    for k, v in value.items():
        if type(k) is not str:
            k = str(k)
        kind = type(v)
        if kind is str:
            # A secret is a value: a key like ExportAssetToSignedUrl that holds a
            # structure is walked, and its SignedUrl member is what goes.
            out[k] = REDACTED if secret_value(k, v) else v
        elif v is None or kind is int or kind is bool:
            out[k] = v
        elif kind is dict:
            out[k] = _safe_dict(v)
        elif kind is list:
            out[k] = [json_safe(x) for x in v]
        elif kind is _datetime and v.tzinfo is _UTC:
            out[k] = v.isoformat()[:-6] + "Z"
        else:
            out[k] = _json_safe_other(v)
    return out


def _json_safe_other(value: Any) -> Any:
    if isinstance(value, _dt.datetime):  # before the ABC checks below, which are slow
        return isoformat_z(value)
    if isinstance(value, str):
        return json_safe(str(value))
    if isinstance(value, (bool, int)):
        return int(value) if not isinstance(value, bool) else bool(value)
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, Mapping):
        return json_safe(dict(value))
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)
