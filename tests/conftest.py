"""Project-wide test safety: no test can reach real AWS.

Every test runs with dummy credentials, no shared config or credentials
files, and the EC2 metadata service disabled. Fixtures for local endpoints
(the fake, moto) set their own endpoint variables on top of this.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Iterable

import botocore.session
import botocore.validate
import pytest

_BOTOCORE = botocore.session.get_session()


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name, raising=False)
    empty = tmp_path_factory.getbasetemp() / "aws-empty-config"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def validate_against_model(service: str, operation: str, response: Dict[str, Any]) -> None:
    """Fail unless `response` is something AWS could send for `operation`.

    Uses botocore's own validator on the operation's output shape (required
    members, types, string lengths, numeric ranges) and checks enum values,
    which the validator leaves alone.
    """
    shape = _BOTOCORE.get_service_model(service).operation_model(operation).output_shape
    report = botocore.validate.ParamValidator().validate(response, shape)
    if report.has_errors():
        raise AssertionError(f"{service} {operation}: fixture AWS could not send:\n{report.generate_report()}")
    _check_enums(shape, response, operation)


def _check_enums(shape: Any, value: Any, path: str) -> None:
    if value is None:
        return
    kind = shape.type_name
    if kind == "structure":
        for name, member in shape.members.items():
            if name in value:
                _check_enums(member, value[name], f"{path}.{name}")
    elif kind == "list":
        for i, item in enumerate(value):
            _check_enums(shape.member, item, f"{path}[{i}]")
    elif kind == "map":
        for k, v in value.items():
            _check_enums(shape.value, v, f"{path}[{k!r}]")
    elif kind == "string" and getattr(shape, "enum", None):
        assert value in shape.enum, f"{path}: {value!r} is not one of the model's values {shape.enum}"


@pytest.fixture
def botocore_valid():
    """validate(service, operation, response): a fixture AWS could not send fails the test."""
    return validate_against_model


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server, once per session (per xdist worker), stopped by its handle."""
    from jobinventory.testing.postgres import PostgresServer

    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()
