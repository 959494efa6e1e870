"""Shared fixtures. Markers: ``slow``, ``docker``, ``gpu``, ``ray`` (registered here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader.runner.boundary import bwrap_reason

# The suite grades with the local runner unless a test asks for docker: on a machine where
# docker and the image are ready, `auto` would otherwise move every test into containers.
os.environ.setdefault("GRADE_RUNNER", "local")

ROOT = Path(__file__).resolve().parent.parent

# CI sets GRADE_REQUIRE_SANDBOX=1: there a machine without bubblewrap fails these tests instead of skipping.
_sandbox_missing = "" if os.environ.get("GRADE_REQUIRE_SANDBOX") else bwrap_reason()
needs_sandbox = pytest.mark.skipif(bool(_sandbox_missing), reason=f"no local sandbox here: {_sandbox_missing}")
SUBMISSIONS = ROOT / "tests" / "submissions"
SOLUTIONS = ROOT / "solutions"


def pytest_configure(config: pytest.Config) -> None:
    for marker, meaning in {
        "slow": "takes more than a few seconds",
        "docker": "needs a Docker engine",
        "gpu": "needs a GPU",
        "ray": "starts a local Ray cluster",
    }.items():
        config.addinivalue_line("markers", f"{marker}: {meaning}")


@pytest.fixture
def submission(tmp_path: Path):
    """Write a submission file from source text: ``submission("def f(): ...")``."""

    def write(source: str, name: str = "my_solution.py") -> Path:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        return path

    return write
