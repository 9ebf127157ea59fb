"""Where a command's output goes: checks before collecting, the format's terminal options."""
from __future__ import annotations

import sys
from typing import Any, Dict

from .progress import isatty, use_color
from .status import UsageError

__all__ = ["check_output", "write_options"]


def check_output(fmt: Any, target: Any) -> None:
    """Usage errors of a format and target, found before anything is collected."""
    if fmt.name == "parquet":
        from ..export.parquet import require_pyarrow

        require_pyarrow()
        if target.kind == "stdout" and isatty(sys.stdout):
            raise UsageError("parquet is binary: write it with --output FILE or redirect stdout")


def write_options(fmt: Any, target: Any) -> Dict[str, Any]:
    """The format's writer options for this target (colour for a table on a terminal)."""
    if fmt.name == "table":
        return {"color": target.kind == "stdout" and use_color(sys.stdout)}
    return {}
