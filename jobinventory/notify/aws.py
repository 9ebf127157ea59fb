"""boto3 clients and error texts for the AWS targets (EventBridge, SNS)."""
from __future__ import annotations

import threading
from typing import Any, Optional

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

from ..errors import ConfigurationError
from .base import NotifySettings

__all__ = ["make_client", "describe_error", "session_region", "split_arn"]

# botocore sessions are not thread-safe; targets deliver in parallel.
_CLIENT_LOCK = threading.Lock()


def session_region(session: Optional[boto3.session.Session]) -> Optional[str]:
    return (session or boto3.session.Session()).region_name


def split_arn(arn: str, service: str) -> Optional[tuple]:
    """(partition, region, account, resource) of an ARN of `service`, or None if it is not one."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != service or not parts[3] or not parts[5]:
        return None
    if not (len(parts[4]) == 12 and parts[4].isdigit()):
        return None
    return parts[1], parts[3], parts[4], parts[5]


def make_client(session: Optional[boto3.session.Session], service: str, region: str, settings: NotifySettings) -> Any:
    config = Config(
        retries={"mode": settings.retry_mode, "total_max_attempts": int(settings.max_attempts)},
        connect_timeout=settings.timeout,
        read_timeout=settings.timeout,
        user_agent_extra="jobinventory-notify",
    )
    with _CLIENT_LOCK:
        session = session or boto3.session.Session()
        return session.client(service, region_name=region, endpoint_url=settings.endpoint_for(service), config=config)


def describe_error(exc: BaseException) -> str:
    """One line for a failed AWS call."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        return f"{err.get('Code', 'Error')}: {err.get('Message', '')}".rstrip(": ")
    if isinstance(exc, (ConnectTimeoutError, ReadTimeoutError)):
        return f"timed out: {exc}"
    if isinstance(exc, BotoCoreError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def require_region(target: str, region: Optional[str]) -> str:
    if not region:
        raise ConfigurationError(f"notify target {target}: no AWS region: give an ARN or set a region (AWS_DEFAULT_REGION, profile)")
    return region
