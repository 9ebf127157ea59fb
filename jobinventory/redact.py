"""Make service extras JSON-safe and keep secrets out of them."""
from __future__ import annotations

import base64
import datetime as _dt
import decimal
import functools
from typing import Any, Mapping

from .timestamps import isoformat_z

__all__ = ["REDACTED", "is_secret_key", "json_safe"]

REDACTED = "***REDACTED***"

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
        return {
            # A secret is a value: a key like ExportAssetToSignedUrl that holds a
            # structure is walked, and its SignedUrl member is what goes.
            k if type(k) is str else str(k): (
                REDACTED if type(v) is str and is_secret_key(str(k)) else json_safe(v)
            )
            for k, v in value.items()
        }
    if value is None or kind is int or kind is bool:
        return value
    if kind is list:
        return [json_safe(v) for v in value]
    return _json_safe_other(value)


def _json_safe_other(value: Any) -> Any:
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
    if isinstance(value, _dt.datetime):
        return isoformat_z(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)
