"""Which operations jobinventory covers: the built-in specs plus plug-ins.

A separate package adds operations through the entry-point group
`jobinventory.adapters`; each entry point names an OperationSpec or an
iterable of them. The collector, exports and command line take them up with
no change.
"""
from __future__ import annotations

import functools
import logging
from importlib import metadata
from typing import Dict, Iterable, List, Mapping, Tuple

from .adapt import Adapter, compile_spec
from .errors import ConfigurationError
from .specs import BUILTIN_SPECS
from .specs.base import OperationSpec

__all__ = ["ENTRY_POINT_GROUP", "all_specs", "get_spec", "get_adapter", "services", "specs_for"]

ENTRY_POINT_GROUP = "jobinventory.adapters"
log = logging.getLogger("jobinventory")


def _entry_points() -> Iterable["metadata.EntryPoint"]:
    eps = metadata.entry_points()
    if hasattr(eps, "select"):
        return eps.select(group=ENTRY_POINT_GROUP)
    return eps.get(ENTRY_POINT_GROUP, ())  # type: ignore[union-attr]  # Python 3.9


def _plugin_specs() -> List[OperationSpec]:
    found: List[OperationSpec] = []
    for ep in _entry_points():
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plug-in must not break the built-ins
            log.warning("jobinventory: adapter plug-in %s could not be loaded: %s", ep.name, exc)
            continue
        items = [loaded] if isinstance(loaded, OperationSpec) else list(loaded)
        for spec in items:
            if not isinstance(spec, OperationSpec):
                log.warning("jobinventory: adapter plug-in %s gave %r, not an OperationSpec", ep.name, spec)
                continue
            found.append(spec)
    return found


@functools.lru_cache(maxsize=None)
def all_specs() -> Mapping[Tuple[str, str], OperationSpec]:
    """Every covered operation, keyed by (service, operation); built-ins win over plug-ins."""
    table: Dict[Tuple[str, str], OperationSpec] = {}
    for spec in _plugin_specs():
        table.setdefault(spec.key, spec)
    for spec in BUILTIN_SPECS:
        table[spec.key] = spec
    return dict(sorted(table.items()))


def services() -> List[str]:
    return sorted({service for service, _ in all_specs()})


def specs_for(service: str) -> List[OperationSpec]:
    return [spec for (svc, _), spec in all_specs().items() if svc == service]


def get_spec(service: str, operation: str) -> OperationSpec:
    """The spec of one operation; ConfigurationError naming what is covered otherwise."""
    specs = all_specs()
    try:
        return specs[(service, operation)]
    except KeyError:
        pass
    if service not in services():
        raise ConfigurationError(
            f"unknown service {service!r}; covered services: {', '.join(services())}"
        )
    known = ", ".join(spec.operation for spec in specs_for(service))
    raise ConfigurationError(f"{service} has no covered operation {operation!r}; covered: {known}")


@functools.lru_cache(maxsize=None)
def get_adapter(service: str, operation: str) -> Adapter:
    """The compiled adapter of one operation (compiled once, then reused)."""
    return compile_spec(get_spec(service, operation))
