"""Secrets: what must not be kept in a job's details, and what no message may carry.

Keys whose values are credentials or presigned URLs, compared lower-cased
with separators dropped, and any string that is a presigned URL. Role and
KMS key ARNs are not secrets and stay. `details.json_safe` applies these:
such a value is replaced whole by REDACTED.

`redact_text` is the rule for free text (`Job.message`, `source`,
`destination`, every stream error, every record of the `jobinventory`
logger, every line the command line writes on stderr): the text keeps its
words, but a URL carrying a signature (SigV4 `X-Amz-Signature`/
`X-Amz-Credential`/`X-Amz-Security-Token`, SigV2 `Signature=`, plain or
URL-encoded) loses its query string, stray signature parameters lose their
values, and a URL's `user:password@` becomes `***@`.
"""
from __future__ import annotations

import functools
import logging
import re
from typing import Any
from urllib.parse import unquote

__all__ = ["REDACTED", "is_secret_key", "is_signed_url", "secret_value", "redact_text", "RedactingFilter"]

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


# -- free text ------------------------------------------------------------------

#: A URL, plain (up to whitespace, quotes or brackets) or URL-encoded whole.
_URL = re.compile(r"""(?i)\b(?:[a-z][a-z0-9+.-]*://|https?%3A%2F%2F)[^\s"'<>()\[\]{}]+""")
#: A URL's user-info: scheme://user[:password]@
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")
#: A signature parameter anywhere (outside a URL too): its value goes.
_PARAM = re.compile(
    r"(?i)\b(x-amz-signature|x-amz-credential|x-amz-security-token|signature|awsaccesskeyid)(=|%3D)[^&\s\"'<>]+"
)
_QUERY_MARKERS = ("x-amz-signature=", "x-amz-credential=", "x-amz-security-token=", "signature=")


def _signed_query(query: str) -> bool:
    low = unquote(unquote(query)).lower()
    return any(marker in low for marker in _QUERY_MARKERS)


def _redact_url(match: "re.Match[str]") -> str:
    found = match.group(0)
    url = found.rstrip(".,;:!")  # the sentence's punctuation, not the URL's
    return _redact_one(url) + found[len(url):]


def _redact_one(url: str) -> str:
    low = url.lower()
    at = low.find("%3f") if low.startswith(("http%3a", "https%3a")) else url.find("?")
    if at < 0:
        at = low.find("%3f")
    if at >= 0 and _signed_query(url[at:]):
        return url[:at] + "?" + REDACTED
    return url


def redact_text(text: Any) -> Any:
    """`text` with presigned URLs' query strings, signature values and URL credentials taken out.

    Anything but a str is returned as it is (None stays None).
    """
    if type(text) is not str or ("=" not in text and "%" not in text and "@" not in text):
        return text
    out = _USERINFO.sub(lambda m: m.group(1) + "***@", text) if "@" in text else text
    out = _URL.sub(_redact_url, out)
    return _PARAM.sub(lambda m: m.group(1) + m.group(2) + REDACTED, out)


class RedactingFilter(logging.Filter):
    """A logging filter that passes every record with its message redacted (`redact_text`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's to report
            return True
        clean = redact_text(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
        return True
