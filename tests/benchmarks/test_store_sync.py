"""The store benchmark runs end to end on a tiny size (nothing about speed is asserted)."""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_store_benchmark_runs_on_a_tiny_size(tmp_path):
    out = tmp_path / "STORE_RESULTS.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks.store_sync", "--jobs", "48", "--output", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    assert "48 jobs (24 operations x 2 regions)" in text
    for row in ("| SQLite | first sync | 48 |", "| SQLite | steady state | 0 |", "| PostgreSQL | first sync | 48 |",
                "| PostgreSQL | steady state | 0 |", "| PostgreSQL | 1% changed | 1 |"):
        assert row in text
