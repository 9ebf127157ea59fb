"""Helpers for the fake's tests: real boto3 clients over HTTP to the fake.

``fake_jobs`` comes from ``jobinventory.testing.pytest_plugin``: through the
``pytest11`` entry point once the package is installed; imported here too so
the tests also run from a plain checkout (a conftest fixture of the same
name simply takes precedence; no plugin is registered twice).
"""
from __future__ import annotations

from typing import Any

import boto3
import botocore.retries.standard
import pytest
from botocore import xform_name
from botocore.config import Config

from jobinventory.testing import FakeJobServer, FakeOperation, all_operations
from jobinventory.testing.pytest_plugin import fake_jobs  # noqa: F401  (see module docstring)

#: The job lists a client calls directly; ListIngestionJobs needs its parents'
#: ids first (tests/testing/test_fake_walk.py covers it).
ALL_OPS = tuple(s for s in all_operations() if not s.walk)
OP_IDS = [f"{s.service}.{s.operation}" for s in ALL_OPS]


def by_op(fn=None):
    """Parametrize a test over every served job-list operation (argument ``spec``)."""
    deco = pytest.mark.parametrize("spec", ALL_OPS, ids=OP_IDS)
    return deco(fn) if fn else deco


def client_for(fake: FakeJobServer, service: str, region: str = "us-east-1", *, attempts: int = 1,
               validate: bool = True, key: str = "testing") -> Any:
    """A boto3 client on the fake: standard retries, ``attempts`` attempts in all.

    (botocore's ``max_attempts`` counts retries; ``total_max_attempts`` counts
    the first attempt too.)
    """
    return boto3.client(
        service, region_name=region, endpoint_url=fake.url,
        aws_access_key_id=key, aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "total_max_attempts": attempts}, parameter_validation=validate),
    )


def call(client: Any, spec: FakeOperation, **params: Any) -> dict:
    return getattr(client, xform_name(spec.operation))(**params)


def list_all(client: Any, spec: FakeOperation, **params: Any) -> tuple[list[dict], list[dict]]:
    """Every item through the token loop (works where botocore has no paginator)."""
    token = params.pop(spec.token_member, None)
    items, pages = [], []
    while True:
        page = call(client, spec, **params, **({spec.token_member: token} if token else {}))
        pages.append(page)
        items.extend(page[spec.result_key])
        token = page.get(spec.output_token_member)
        if not token:
            return items, pages


def keys(spec: FakeOperation, items: list[dict]) -> list[str]:
    return [item[spec.key] for item in items]


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore retries at once: retry tests prove classification, not waiting."""
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)
