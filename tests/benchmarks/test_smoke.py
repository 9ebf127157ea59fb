"""The benchmarks run end to end on tiny sizes (`python -m benchmarks --quick`).

A smoke test only: nothing about speed is asserted, ever; the figures of a
quick run mean nothing. It proves every section still runs against the
current code and fake, and that the results file is written.
"""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_every_benchmark_runs_on_tiny_sizes(tmp_path):
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--output", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    for title in ("## Summary", "## 1. Fan-out", "## 2. API-call economy", "## 3. Normalization",
                  "## 4. Memory", "## 5. Scale", "## 6. Client CPU per job", "## 7. Org scale",
                  "## 1b. Scheduling", "## 8. Against the 35-line threaded boto3 script",
                  "## 9. Export: CPU per job over the collect", "## 10. Per account"):
        assert title in text
    for figure in ("jobinventory / critical path", "List calls / lower bound", "summaries/s per core",
                   "peak RSS of `jobinventory list --no-sort --format jsonl`", "bytes held per job",
                   "streams (1 accounts): wall / peak RSS", "client CPU per job of a collect",
                   "processes (1 worker process): wall / List calls per s / peak RSS",
                   "wall / max(critical path, CPU) [after]", "throttled calls / complete [after]",
                   "6 Bedrock streams x 300 jobs [after]",
                   "vs threaded boto3: wall-time speed-up", "vs threaded boto3: CPU ratio",
                   "`jsonl` export, us of CPU per job over the collect (held)",
                   "`csv` export, us of CPU per job over the collect (held)",
                   "per extra account, minimal (1 region x 1 service, 1 client): CPU / memory [after]"):
        assert figure in text
    assert "Machine: " in text and "boto3 " in text


def test_the_command_documents_its_modes():
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    assert "--full" in done.stdout and "--quick" in done.stdout
