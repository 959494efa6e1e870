"""The protocol both sides of the boundary speak: typed requests with a version."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from grader.sandbox import protocol
from grader.sandbox.protocol import EvalRequest, FunctionJob, ProtocolMismatch, TrainingJob
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "request_",
    [
        FunctionJob("submission/hw.py", "숙제.py", ("split_x",), {"split_x": "split_data"}),
        TrainingJob("submission/train.py", "train.py", "clf"),
        EvalRequest("in/model.keras", "imdb", "text", "accuracy", {"num_words": 10000, "maxlen": 120}, None),
    ],
    ids=lambda r: type(r).__name__,
)
def test_a_request_reads_back_as_written(tmp_path, request_) -> None:
    path = tmp_path / "request.json"
    protocol.write_request(path, request_)
    assert protocol.read_request(path, type(request_)) == request_
    assert [p.name for p in tmp_path.iterdir()] == ["request.json"]  # written whole: no part left


def test_a_request_of_another_version_or_shape_is_refused(tmp_path) -> None:
    path = tmp_path / "job.json"
    path.write_text(json.dumps({"version": protocol.PROTOCOL_VERSION + 1, "submission": "a.py"}))
    with pytest.raises(ProtocolMismatch, match="protocol version"):
        protocol.read_request(path, FunctionJob)
    path.write_text(json.dumps({"version": protocol.PROTOCOL_VERSION, "submission": "a.py"}))
    with pytest.raises(ProtocolMismatch, match="display_name"):
        protocol.read_request(path, FunctionJob)


def test_a_child_given_another_version_refuses_it_as_the_graders_fault(tmp_path) -> None:
    # A docker image built from older grader code must not misread a job: it stops with exit 3.
    for name in (protocol.IN, protocol.OUT, "submission"):
        (tmp_path / name).mkdir()
    (tmp_path / "submission" / "hw.py").write_text("def split_x(seq, size):\n    return seq\n")
    job = {"version": 0, "submission": "submission/hw.py", "display_name": "hw.py", "functions": ["split_x"]}
    (tmp_path / protocol.IN / protocol.JOB_FILE).write_text(json.dumps(job))
    done = subprocess.run(
        [sys.executable, "-m", "grader.sandbox.functions", str(tmp_path)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert done.returncode == 3
    assert "grader protocol mismatch: job.json: protocol version 0" in done.stderr
    assert list((tmp_path / protocol.OUT).iterdir()) == []  # nothing a judge could mistake for a run
