"""Helpers for the suite's own tests."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_suite(*args: str, reports: Path, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `pytest features/ ARGS` as a user would, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "features/", "-p", "no:cacheprovider", f"--reports-dir={reports}", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    return tmp_path / "reports"
