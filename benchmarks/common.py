"""What every benchmark shares: result rows, the machine, a sealed AWS environment, timers, RSS."""
from __future__ import annotations

import datetime as _dt
import gc
import os
import platform
import resource
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import attrs

#: Dummy credentials and no AWS configuration: nothing here can reach AWS.
SEALED_ENV = {
    "AWS_ACCESS_KEY_ID": "benchmark",
    "AWS_SECRET_ACCESS_KEY": "benchmark",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}
_DROP = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE",
         "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")


def seal_environment() -> None:
    """Set this process's AWS environment to dummy keys and no configuration (children inherit it)."""
    for name in list(os.environ):
        if name in _DROP or name.startswith("AWS_ENDPOINT_URL"):
            del os.environ[name]
    from jobinventory.demo import empty_config_file

    os.environ.update(SEALED_ENV, AWS_CONFIG_FILE=empty_config_file(), AWS_SHARED_CREDENTIALS_FILE=empty_config_file())


def session(access_key: str = "benchmark", region: str = "us-east-1") -> Any:
    """A boto3 Session with dummy keys (the fake files a key under an account)."""
    import boto3

    return boto3.Session(aws_access_key_id=access_key, aws_secret_access_key="benchmark", region_name=region)


@attrs.define
class Row:
    """One figure of RESULTS.md."""

    section: str
    figure: str
    value: str
    target: str = ""
    #: True pass, False fail, None no target.
    passed: Optional[bool] = None
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "**FAIL**", None: ""}[self.passed]


def machine() -> Dict[str, str]:
    import boto3
    import botocore

    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cores": str(os.cpu_count()),
        "cpu": model or platform.processor() or "?",
        "python": platform.python_version(),
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "os": f"{platform.system()} {platform.release()}",
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def cpu() -> float:
    """CPU seconds (user + system) of this process, every thread included."""
    return time.process_time()


def measure(fn: Callable[[], Any]) -> Tuple[Any, float, float]:
    """(result, wall seconds, process CPU seconds) of one call, after a collection of garbage."""
    gc.collect()
    c0, w0 = cpu(), time.perf_counter()
    result = fn()
    w1, c1 = time.perf_counter(), cpu()
    return result, w1 - w0, c1 - c0


def best_of(n: int, fn: Callable[[], Any]) -> Tuple[Any, float, float]:
    """`measure` n times; the run with the least CPU (the others were disturbed)."""
    best = None
    for _ in range(n):
        got = measure(fn)
        if best is None or got[2] < best[2]:
            best = got
    assert best is not None
    return best


def rss_mb() -> float:
    """This process's resident set size now (MB), from /proc."""
    return _status_kb("VmRSS") / 1024.0


def peak_rss_mb() -> float:
    """This process's peak resident set size (MB)."""
    kb = _status_kb("VmHWM")
    if kb:
        return kb / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where it cannot be."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _status_kb(field: str, pid: str = "self") -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def ratio_ok(value: float, limit: float) -> bool:
    return value <= limit


def table(rows: List[Row]) -> str:
    out = ["| section | figure | value | target | result | note |", "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r.section} | {r.figure} | {r.value} | {r.target} | {r.verdict} | {r.note} |")
    return "\n".join(out)
