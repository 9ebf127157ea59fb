"""botocore's data (service models, paginators, endpoints), loaded once per process.

One private botocore session serves every model look-up of the collector
(paging plans, push-down parameters, regions), under one lock: botocore
sessions are not thread-safe, and loading a model costs tens of ms.
"""
from __future__ import annotations

import functools
import threading
from typing import Any, Optional

import botocore.session

__all__ = ["data_session", "shared_loader", "load_data", "service_model", "operation_model", "paginator_config", "available_regions",
           "available_partitions"]

_lock = threading.RLock()
_session: Optional[botocore.session.Session] = None


def data_session() -> botocore.session.Session:
    global _session
    with _lock:
        if _session is None:
            _session = botocore.session.Session()
        return _session


@functools.lru_cache(maxsize=None)
def service_model(service: str) -> Any:
    with _lock:
        return data_session().get_service_model(service)


def operation_model(service: str, operation: str) -> Any:
    """botocore's OperationModel of a service's operation."""
    return service_model(service).operation_model(operation)


@functools.lru_cache(maxsize=None)
def _paginator_model(service: str) -> Any:
    try:
        with _lock:
            return data_session().get_paginator_model(service)
    except Exception:  # no paginators-1.json for the service
        return None


def paginator_config(service: str, operation: str) -> Optional[Any]:
    """botocore's paginator config of the operation, None where botocore has no paginator."""
    model = _paginator_model(service)
    if model is None:
        return None
    try:
        return model.get_paginator(operation)
    except ValueError:
        return None


@functools.lru_cache(maxsize=None)
def available_regions(service: str, partition: str) -> tuple:
    with _lock:
        return tuple(sorted(data_session().get_available_regions(service, partition)))


@functools.lru_cache(maxsize=None)
def available_partitions() -> tuple:
    with _lock:
        return tuple(data_session().get_available_partitions())


def shared_loader() -> Any:
    """The process's botocore data loader (it caches what it has read)."""
    with _lock:
        return data_session().get_component("data_loader")


def load_data(name: str) -> Any:
    with _lock:
        return data_session().get_component("data_loader").load_data(name)
