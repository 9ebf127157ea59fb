"""The built-in specs: one per covered List operation, grouped by service."""
from __future__ import annotations

from typing import Tuple

from . import bedrock, bedrock_agent, bedrock_runtime, dataexchange, forecast, personalize
from .base import OperationSpec, Pushdown

__all__ = ["BUILTIN_SPECS", "OperationSpec", "Pushdown"]

BUILTIN_SPECS: Tuple[OperationSpec, ...] = (
    *forecast.SPECS,
    *personalize.SPECS,
    *dataexchange.SPECS,
    *bedrock.SPECS,
    *bedrock_runtime.SPECS,
    *bedrock_agent.SPECS,
)
