"""Secrets: which keys and values must not be kept in a job's details.

Keys whose values are credentials or presigned URLs, compared lower-cased
with separators dropped, and any string that is a presigned URL. Role and
KMS key ARNs are not secrets and stay. `details.json_safe` applies these.
"""
from __future__ import annotations

import functools

__all__ = ["REDACTED", "is_secret_key", "is_signed_url", "secret_value"]

REDACTED = "***REDACTED***"

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


def is_signed_url(text: str) -> bool:
    """A presigned URL: its signature is in the query string."""
    # Cheap test first: nearly every string has no "=" at all.
    if "=" not in text:
        return False
    low = text.lower()
    return any(marker in low for marker in _SIGNATURE_MARKERS)


def secret_value(key: str, value: str) -> bool:
    """A string under `key` that must not be kept: a secret key's value or a presigned URL."""
    secret = _secret_keys.get(key)
    if secret is None:
        secret = is_secret_key(key)
        if len(_secret_keys) < 4096:
            _secret_keys[key] = secret
    return secret or ("=" in value and is_signed_url(value))


#: is_secret_key, memoised in a plain dict (a hot path: every string of every summary).
_secret_keys: dict = {}
