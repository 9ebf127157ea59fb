"""`webhook:URL`: one HTTP(S) POST per change of the event JSON plus a `text` line.

The `text` member makes Slack and Teams incoming webhooks show the change
as it is. A 2xx answer is delivery; anything else (a timeout, a refused
connection, a redirect, another status) is a failure. The URL carries a
secret (Slack's token is its path): only its host is ever shown, and the
outbox stores a digest of it, never the URL.
"""
from __future__ import annotations

import hashlib
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import List, Optional, Sequence

from ..errors import ConfigurationError
from .base import Deadline, Delivery, NotifySettings, Target, not_attempted
from .event import Event

__all__ = ["WebhookTarget", "safe_host"]

# Answers about one message (the next one may pass); any other failure stops the run.
_MESSAGE_STATUSES = frozenset({400, 413, 422})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a redirect is an answer like any other non-2xx: a failure


def safe_host(url: str) -> str:
    """host[:port] of a URL: all of it that may be shown."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "?"
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host or "?"


class WebhookTarget(Target):
    scheme = "webhook"

    def __init__(self, url: str, *, settings: Optional[NotifySettings] = None) -> None:
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - raises on a bad port
        except ValueError:
            raise ConfigurationError(f"notify target webhook:{safe_host(url)}: not a valid URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            shown = f"{parts.scheme}://{safe_host(url)}" if parts.scheme else "..."
            raise ConfigurationError(f"notify target webhook:{shown}: give an http:// or https:// URL with a host")
        self._url = url
        self.settings = settings or NotifySettings()
        self._opener = urllib.request.build_opener(_NoRedirect)

    @property
    def name(self) -> str:
        return f"webhook:{safe_host(self._url)}"

    @property
    def key(self) -> str:
        digest = hashlib.sha256(self._url.encode("utf-8")).hexdigest()[:16]
        return f"{self.name}#{digest}"

    def payload(self, event: Event) -> bytes:
        body = dict(event.detail)
        body["text"] = event.text
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def deliver(self, events: Sequence[Event], deadline: Deadline) -> List[Delivery]:
        results: List[Delivery] = []
        for i, event in enumerate(events):
            if deadline.expired:
                return results + not_attempted(events[i:], deadline.skip_reason())
            error, go_on = self._post(event, min(self.settings.timeout, deadline.remaining()))
            results.append(Delivery(event.change_id, error is None, error))
            if not go_on:
                why = deadline.skip_reason() if deadline.expired else "not attempted: an earlier POST failed"
                return results + not_attempted(events[i + 1:], why)
        return results

    def _post(self, event: Event, timeout: float) -> "tuple[Optional[str], bool]":
        """(None, True) when accepted, else (why, whether to try the next change)."""
        request = urllib.request.Request(
            self._url,
            data=self.payload(event),
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "jobinventory-notify"},
        )
        try:
            with self._opener.open(request, timeout=timeout) as response:
                response.read(65536)
                status = response.status
        except urllib.error.HTTPError as exc:
            exc.close()
            return f"HTTP {exc.code}", exc.code in _MESSAGE_STATUSES
        except (socket.timeout, TimeoutError):
            return f"timed out after {timeout:.3g}s", False
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                return f"timed out after {timeout:.3g}s", False
            return self._scrub(f"could not connect: {reason}"), False
        except (OSError, ValueError) as exc:
            return self._scrub(f"{type(exc).__name__}: {exc}"), False
        if 200 <= status < 300:
            return None, True
        return f"HTTP {status}", False

    def _scrub(self, text: str) -> str:
        parts = urllib.parse.urlsplit(self._url)
        for secret in (self._url, parts.path, parts.query, parts.username, parts.password):
            if secret and secret != "/":
                text = text.replace(secret, "...")
        return text
