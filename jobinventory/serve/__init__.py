"""`jobinventory serve`: the store's inventory as Prometheus metrics, a live page and a health check.

Needs prometheus_client (`pip install 'jobinventory[serve]'`) and the store.

    from jobinventory.serve import Service
    from jobinventory.store import open_store

    with open_store(url) as store:
        service = Service(store, lambda: store.collect_and_sync(regions=["us-east-1"]), interval=300)
        url = service.start(bind="127.0.0.1", port=0)   # HTTP first: /metrics, /, /healthz
        service.run_syncs()                              # then a sync every interval, in a thread
        ...
        service.stop()

Modules: `state` (the store read after each sync: `Snapshot`), `metrics`
(the prometheus_client collector), `loop` (the sync thread), `page` (the
HTML report, once per sync), `app` (HTTP), `service` (all of them wired).
"""
from __future__ import annotations

from typing import Any

from ..errors import ConfigurationError

__all__ = ["Service", "ServeUnavailable", "EXTRA_HINT", "require_extra"]

EXTRA_HINT = "serve needs prometheus_client: pip install 'jobinventory[serve]'"


class ServeUnavailable(ConfigurationError, ImportError):
    """prometheus_client is not installed."""


def require_extra() -> None:
    """ServeUnavailable (naming the extra) unless prometheus_client is importable."""
    try:
        import prometheus_client  # noqa: F401
    except ImportError:
        raise ServeUnavailable(EXTRA_HINT) from None


def __getattr__(name: str) -> Any:
    if name == "Service":
        from .service import Service

        return Service
    raise AttributeError(f"module 'jobinventory.serve' has no attribute {name!r}")
