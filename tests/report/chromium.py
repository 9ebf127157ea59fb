"""Drive Debian's headless Chromium for the report tests.

One short-lived process per call, started in its own process group with a
fresh profile, stopped through its handle (its group is killed) whether it
finished, timed out or the test failed.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
TIMEOUT = 30.0


def find() -> Optional[str]:
    override = os.environ.get("JOBINVENTORY_CHROMIUM")
    if override:
        return override if os.path.exists(override) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def require() -> str:
    """The browser's path; without one, fail under CI and skip elsewhere."""
    path = find()
    if path:
        return path
    reason = "headless Chromium not found (apt-get install -y chromium, or set JOBINVENTORY_CHROMIUM)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI is set and {reason}: the report's browser tests must run in CI", pytrace=False)
    pytest.skip(reason)


def run(browser: str, args: List[str], profile: Path, timeout: float = TIMEOUT) -> Tuple[str, str]:
    """Run Chromium once; (stdout, stderr). Raises on timeout or a non-zero exit."""
    profile.mkdir(parents=True, exist_ok=True)
    cmd = [browser, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
        errors="replace",
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        out, err = proc.communicate()
        raise AssertionError(f"chromium did not finish in {timeout:.0f}s: {' '.join(args)}\n{err[-2000:]}")
    finally:
        _stop(proc)
    if proc.returncode != 0:
        raise AssertionError(f"chromium exited {proc.returncode}: {' '.join(args)}\n{err[-2000:]}")
    return out, err


def _stop(proc: "subprocess.Popen[str]") -> None:
    """Kill the process group Chromium leads (its zygote and renderers too)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    else:
        # The browser is gone; make sure no helper of its group lingers.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def dump_dom(browser: str, url: str, profile: Path) -> Tuple[str, str]:
    """(DOM after the page's scripts ran, Chromium's stderr log)."""
    return run(browser, ["--virtual-time-budget=2000", "--dump-dom", url], profile)


def screenshot(browser: str, url: str, out: Path, profile: Path, size: Tuple[int, int] = (1400, 2000)) -> str:
    _, err = run(browser, [f"--window-size={size[0]},{size[1]}", f"--screenshot={out}", url], profile)
    return err


def console_errors(log: str) -> List[str]:
    """Every console message Chromium logged for the page. The report never
    writes to the console, so any message (an uncaught error, a blocked
    resource, a security-policy refusal, console.error) is a failure."""
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
