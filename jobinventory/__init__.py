"""jobinventory: one inventory of AWS asynchronous jobs.

Forecast, Personalize, Data Exchange and Bedrock each list their jobs with
their own calls, field names, status words and time formats. jobinventory
turns every summary into one canonical `Job` with one `JobStatus`, and
collects them across services, regions and accounts.
"""
from __future__ import annotations

import logging
from typing import Any

from .convert import from_dict, to_dict
from .errors import CollectionError, ConfigurationError, JobInventoryError, NormalizationError
from .model import Job, JobStatus
from .normalize import normalize
from .redact import RedactingFilter

__version__ = "0.1.0"

# The library logs under "jobinventory" and never prints: without a handler
# of the application's, Python's last-resort handler would print warnings.
logging.getLogger("jobinventory").addHandler(logging.NullHandler())
# Every record it logs is redacted first: no presigned URL, no URL password.
logging.getLogger("jobinventory").addFilter(RedactingFilter())

__all__ = [
    "Job",
    "JobStatus",
    "normalize",
    "collect",
    "iter_jobs",
    "Inventory",
    "to_dict",
    "from_dict",
    "JobInventoryError",
    "NormalizationError",
    "CollectionError",
    "ConfigurationError",
]


def __getattr__(name: str) -> Any:
    # The collector pulls in boto3; importing it lazily keeps `import
    # jobinventory` cheap for code that only normalizes or converts.
    if name in ("collect", "iter_jobs", "Inventory", "StreamResult"):
        from . import collector

        return getattr(collector, name)
    raise AttributeError(f"module 'jobinventory' has no attribute {name!r}")
