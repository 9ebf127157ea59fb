"""Opaque pagination tokens bound to the query that issued them.

A token is ``base64url(payload) + "." + base64url(hmac)``, the payload being
the JSON ``{"o": offset, "p": page, "q": query-hash}``. The HMAC key is
random per server, so a token is valid only on the server, and for the very
query (service, region, account, operation, filters, order) that issued it.
Page size may change between pages, as AWS allows.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cursor:
    offset: int
    page: int


def query_hash(query: Any) -> str:
    blob = json.dumps(query, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


class TokenSigner:
    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or os.urandom(32)

    def _mac(self, payload: bytes) -> str:
        digest = hmac.new(self._key, payload, hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def issue(self, qhash: str, cursor: Cursor) -> str:
        payload = json.dumps({"o": cursor.offset, "p": cursor.page, "q": qhash}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + self._mac(payload)

    def read(self, token: str, qhash: str | None) -> Cursor | None:
        """The cursor in ``token`` if it is genuine and (when given) for ``qhash``."""
        try:
            body, mac = token.split(".")
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            if not hmac.compare_digest(mac, self._mac(payload)):
                return None
            data = json.loads(payload)
            if qhash is not None and data["q"] != qhash:
                return None
            return Cursor(int(data["o"]), int(data["p"]))
        except (ValueError, KeyError, TypeError, UnicodeError):
            return None
