"""Before and after in one run: the `jobinventory` package of an earlier commit, beside this tree's.

Absolute figures drift with the machine's load; ratios within one run do
not. `python -m benchmarks --baseline COMMIT` extracts that commit's
`jobinventory/` (git archive) into a temporary directory, and the sections
that run fresh processes run each measurement twice, alternating: with the
baseline's package ("before") and with this tree's ("after"). The
benchmarks themselves (and the fake) are always this tree's.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from typing import Dict, List, Optional, Tuple

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_trees: Dict[str, str] = {}
#: Set by `python -m benchmarks --baseline COMMIT`.
COMMIT: Optional[str] = None


def tree(commit: str) -> str:
    """A directory holding `commit`'s jobinventory/ package (extracted once per process)."""
    if commit not in _trees:
        where = tempfile.mkdtemp(prefix=f"jobinventory-{commit[:12]}-")
        atexit.register(shutil.rmtree, where, True)
        archive = subprocess.run(["git", "archive", "--format=tar", commit, "jobinventory"], cwd=_ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", where], input=archive, check=True)
        _trees[commit] = where
    return _trees[commit]


def short(commit: str) -> str:
    return subprocess.run(["git", "rev-parse", "--short", commit], cwd=_ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def variants() -> List[Tuple[str, Optional[str]]]:
    """[("before (abc1234)", its tree), ("after", None)]; only ("after", None) without a baseline."""
    if COMMIT is None:
        return [("after", None)]
    return [(f"before ({short(COMMIT)})", tree(COMMIT)), ("after", None)]


def env_cwd(package_tree: Optional[str]) -> Tuple[Dict[str, str], str]:
    """(environment, working directory) for a fresh interpreter importing jobinventory from `package_tree`
    (None: this tree) and the benchmarks from this tree."""
    env = dict(os.environ)
    path = [package_tree, _ROOT] if package_tree else [_ROOT]
    env["PYTHONPATH"] = os.pathsep.join(path + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env, package_tree or _ROOT


def has(package_tree: Optional[str], text: str) -> bool:
    """Whether the jobinventory package of `package_tree` (None: this tree) mentions `text` (an option...)."""
    root = os.path.join(package_tree or _ROOT, "jobinventory")
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    if text in f.read():
                        return True
    return False
