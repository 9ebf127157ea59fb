"""Install the sample adapter package for the test run, as a real install would.

`sample_plugin/` is a complete package (pyproject.toml declaring the entry
point in group `jobinventory.adapters`). Once per session it is copied to a
temporary directory and setuptools builds its metadata there (`egg_info`,
the .egg-info a development install puts next to the code; no wheel, network
or venv change needed). `installed_plugin` puts that directory on sys.path, so
importlib.metadata finds the distribution and its entry point exactly as for
a pip-installed package, and clears the registry's caches before and after.
"""
from __future__ import annotations

import contextlib
import importlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from jobinventory import registry

HERE = Path(__file__).parent
PLUGIN_MODULES = ("jobinventory_sagemaker", "jobinventory_shadow")


def clear_registry_caches() -> None:
    for value in vars(registry).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


@contextlib.contextmanager
def on_sys_path(directory: Path) -> Iterator[Path]:
    """Make the distributions in `directory` visible to importlib.metadata, then take them away."""
    sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    clear_registry_caches()
    try:
        yield directory
    finally:
        sys.path.remove(str(directory))
        for name in PLUGIN_MODULES:
            sys.modules.pop(name, None)
        importlib.invalidate_caches()
        clear_registry_caches()


@pytest.fixture(scope="session")
def sample_plugin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample package, built (metadata and code side by side) in a temporary directory."""
    src = tmp_path_factory.mktemp("plugin") / "sample_plugin"
    shutil.copytree(HERE / "sample_plugin", src, ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__"))
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", "from setuptools import setup; setup()", "-q", "egg_info"],
        cwd=src,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"building the sample plug-in's metadata failed:\n{result.stderr}"
    (info,) = src.glob("*.egg-info")
    assert "jobinventory.adapters" in (info / "entry_points.txt").read_text()
    return src


@pytest.fixture
def installed_plugin(sample_plugin_dir: Path) -> Iterator[Path]:
    with on_sys_path(sample_plugin_dir) as directory:
        yield directory
