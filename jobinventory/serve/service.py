"""`Service`: the sync loop, the metrics collector, the page and the HTTP server, wired."""
from __future__ import annotations

from typing import Any, Callable, Optional

from . import require_extra
from .app import HttpApp
from .loop import SyncLoop
from .metrics import InventoryCollector
from .page import PageCache

__all__ = ["Service", "DEFAULT_INTERVAL", "DEFAULT_PORT"]

DEFAULT_INTERVAL = 300.0
DEFAULT_PORT = 9184


class Service:
    """`serve` on one store: `sync()` every `interval` seconds, HTTP over what the store holds.

    `sync()` brings the store up to date and returns its SyncResult
    (`store.collect_and_sync` with the collection's arguments; here or to
    `run_syncs`);
    `before_sync(step)` runs before each sync but the first (the demo's
    jobs move on there). Raises ServeUnavailable without prometheus_client.
    """

    def __init__(self, store: Any, sync: Optional[Callable[[], Any]] = None, *,
                 interval: float = DEFAULT_INTERVAL, before_sync: Optional[Callable[[int], Any]] = None) -> None:
        require_extra()
        from prometheus_client import CollectorRegistry, ProcessCollector

        self.store = store
        self.loop = SyncLoop(sync, store.engine, interval, before_sync=before_sync)
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(InventoryCollector(lambda: self.loop.snapshot, self.loop.state))
        ProcessCollector(registry=self.registry)  # process_resident_memory_bytes, CPU, open fds
        self.pages = PageCache(store, lambda: self.loop.snapshot)
        self.http = HttpApp(self.registry, lambda: self.loop.snapshot, interval, self.pages.page)
        self.url: Optional[str] = None

    def start(self, bind: str = "127.0.0.1", port: int = DEFAULT_PORT) -> str:
        """Start serving HTTP (no sync yet); the URL (`http://ADDR:PORT`)."""
        host, bound = self.http.start(bind, port)
        self.url = f"http://[{host}]:{bound}" if ":" in host else f"http://{host}:{bound}"
        return self.url

    def run_syncs(self, sync: Optional[Callable[[], Any]] = None,
                  before_sync: Optional[Callable[[int], Any]] = None) -> None:
        """Start the sync loop: the store's state now, then a sync every interval.

        `sync` and `before_sync`, when given, replace the constructor's (so
        the HTTP side can listen before the collection is set up).
        """
        self.loop.start(sync, before_sync)

    def stop(self, grace: float = 5.0) -> bool:
        """Stop serving and the loop; False when a sync was still running after `grace` seconds
        (its transaction is not committed: the store keeps the last finished sync)."""
        self.http.stop()
        return self.loop.stop(grace)
