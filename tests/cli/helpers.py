"""Run the command line in a subprocess, as users do."""
from __future__ import annotations

import os
import subprocess
import sys
from typing import Iterable, Mapping, Optional


def run(
    *args: str,
    env: Optional[Mapping[str, str]] = None,
    drop: Iterable[str] = (),
    input: Optional[str] = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess:
    """`python -m jobinventory ARGS` with the test's environment, plus `env`, less `drop`."""
    full = dict(os.environ)
    for name in drop:
        full.pop(name, None)
    full.update(env or {})
    full.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "jobinventory", *args],
        input=input, capture_output=True, text=True, encoding="utf-8", env=full, timeout=timeout,
    )


def error_line(proc: subprocess.CompletedProcess, *, usage: bool = False) -> str:
    """The `jobinventory...: error: ...` line of a failure, and no traceback.

    Errors found by jobinventory are one line on stderr; argparse's
    (`usage=True`) come after its usage text.
    """
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    if usage:
        assert lines and lines[0].startswith("usage:"), proc.stderr
    else:
        assert len(lines) == 1, proc.stderr
    last = lines[-1]
    assert last.startswith("jobinventory") and ": error: " in last, proc.stderr
    return last
