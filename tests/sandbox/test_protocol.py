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


def test_a_function_status_reads_back_as_the_child_wrote_it_and_in_no_other_shape(tmp_path) -> None:
    """The child writes `FunctionStatus`; the trusted side gets the same dataclass back, and a
    status.json the submission rewrote into another shape is named unreadable, not trusted."""
    from dataclasses import asdict

    from grader.runner.calls import read_child_records

    out = tmp_path / "out"
    out.mkdir()
    described = {
        "split_x": {
            "callable": True,
            "parameters": [{"name": "x", "kind": "POSITIONAL_OR_KEYWORD", "has_default": False}],
        }
    }
    for status in (
        protocol.FunctionStatus("import", error={"type": "NameError", "mro": ["NameError"], "traceback": "..."}),
        protocol.FunctionStatus("calls", functions=described),
        protocol.FunctionStatus("done", functions=described),
    ):
        protocol.write_json(out / protocol.STATUS_FILE, asdict(status))
        records = read_child_records(tmp_path, [])
        assert (records.status, records.unreadable) == (status, None)
    assert records.status.finished
    for forged, why in [
        ({"phase": "passed"}, "phase 'passed' is not one of"),
        ({"functions": described}, "phase 'None'"),
        ({"phase": "done", "functions": ["split_x"]}, "not a table of functions"),
        ({"phase": "import", "error": "boom"}, "'error' is not an object"),
    ]:
        (out / protocol.STATUS_FILE).write_text(json.dumps(forged))
        records = read_child_records(tmp_path, [])
        assert records.status is None and why in records.unreadable
