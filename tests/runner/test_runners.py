"""Choosing a runner, and what every runner is handed: folders named by role, not by place."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from grader import api
from grader.runner import Limits, SandboxJob, bubblewrap, create_runner
from grader.text import EMPTY
from tests.conftest import SOLUTIONS


def test_a_job_names_its_folders_by_role_and_each_runner_places_them() -> None:
    job = SandboxJob(
        dir=Path("/host/tmp/grade-1"),
        limits=Limits(timeout_s=5),
        env={"KERAS_HOME": "{job}/keras", "GRADE_HIDDEN_DATA": "{data}", "PLAIN": "as is"},
        mounts={"data": Path("/srv/datasets")},
    )
    assert job.environment("/job", {"data": "/mnt/data"}) == {
        "KERAS_HOME": "/job/keras",
        "GRADE_HIDDEN_DATA": "/mnt/data",
        "PLAIN": "as is",
    }


def test_auto_falls_back_to_local_and_the_report_says_why(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-daemon.sock")  # nothing listens there
    choice = create_runner("auto")
    assert choice.runner.name == "local"
    report = api.grade("exercise5", SOLUTIONS / "exercise5.py", runner="auto")
    assert report.runner == "local" and report.passed
    (note,) = [n for n in report.notes if n.en.startswith("runner: local")]
    assert "docker cannot run here" in note.en and "no-daemon.sock" in note.en
    # The reason is the learner's language too, not English inside a Korean sentence.
    assert "no-daemon.sock에서 docker 데몬에 연결할 수 없습니다" in note.ko and "is dockerd running" not in note.ko


def test_auto_on_a_machine_without_docker_grades_locally_and_says_nothing_of_docker(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "docker", None)  # the SDK is not installed: `import docker` fails
    choice = create_runner("auto")
    assert choice.runner.name == "local" and choice.fallback_reason == EMPTY
    report = api.grade("exercise5", SOLUTIONS / "exercise5.py", runner="auto")
    assert report.runner == "local" and report.passed
    assert not [n for n in report.notes if "docker" in n.en]


def test_grade_runner_sets_the_default(monkeypatch) -> None:
    monkeypatch.setenv("GRADE_RUNNER", "local")
    assert create_runner().runner.name == "local"
    assert api.grade("exercise5", SOLUTIONS / "exercise5.py").runner == "local"


def test_a_gpu_choice_reaches_the_local_sandbox_as_cuda_visible_devices(submission) -> None:
    probe = submission(
        "import os\n"
        "print('GPU', repr(os.environ.get('CUDA_VISIBLE_DEVICES')), os.environ['TF_FORCE_GPU_ALLOW_GROWTH'])\n"
        "import numpy as np\n"
        "def split_x(seq, size):\n    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])\n"
    )
    seen = {}
    for gpu in ("1", "none", None):
        report = api.grade("exercise5", probe, runner="local", gpu=gpu)
        seen[gpu] = next(line for line in report.output.splitlines() if line.startswith("GPU"))
    assert seen == {"1": "GPU '1' true", "none": "GPU '' true", None: "GPU None true"}


@pytest.mark.skipif(sys.platform != "linux", reason="bubblewrap is Linux only")
def test_where_bwrap_is_installed_but_refuses_the_file_is_graded_unsandboxed_and_the_report_says_why(
    tmp_path, monkeypatch
) -> None:
    """Ubuntu with unprivileged user namespaces restricted: bwrap is there and exits 1 at once."""
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    bubblewrap.unavailable_reason.cache_clear()
    try:
        report = api.grade("exercise5", SOLUTIONS / "exercise5.py", runner="local")
    finally:
        bubblewrap.unavailable_reason.cache_clear()
    assert report.passed
    (note,) = [n for n in report.notes if n.en.startswith("local sandbox")]
    assert "bwrap refused to start a sandbox: bwrap: setting up uid map: Permission denied" in note.en
    assert "grade doctor" in note.ko
