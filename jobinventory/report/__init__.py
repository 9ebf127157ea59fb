"""`jobinventory report`: an inventory as one self-contained HTML page.

Needs Jinja2 (`pip install 'jobinventory[report]'`). Importing this package
does not: `render_report` imports it on first use, and raises
`ReportUnavailable` (naming the extra) when it is missing.
"""
from __future__ import annotations

from typing import Any

from ..errors import JobInventoryError
from .saved import ReportInputError, load_jsonl, read_jsonl

__all__ = ["render_report", "ReportUnavailable", "ReportInputError", "load_jsonl", "read_jsonl", "EXTRA_HINT"]

EXTRA_HINT = "the report needs Jinja2: pip install 'jobinventory[report]'"


class ReportUnavailable(JobInventoryError, ImportError):
    """Jinja2, the report's template engine, is not installed."""


def render_report(*args: Any, **kwargs: Any) -> str:
    """See `jobinventory.report.render.render_report`."""
    try:
        import jinja2  # noqa: F401
    except ImportError:
        raise ReportUnavailable(EXTRA_HINT) from None
    from .render import render_report as _render

    return _render(*args, **kwargs)
