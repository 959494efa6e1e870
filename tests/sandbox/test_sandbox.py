"""What holds inside the local runner's sandbox, proved by probe submissions."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from grader import api
from grader.report.terminal import render_report
from grader.runner.boundary import bwrap_reason
from tests.conftest import ROOT, SUBMISSIONS, needs_sandbox

ALLOWED_ENV = {
    "PATH",
    "HOME",
    "TMPDIR",
    "LANG",
    "PYTHONPATH",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PYTHONIOENCODING",
    "MPLBACKEND",
    "MPLCONFIGDIR",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
    "TF_CPP_MIN_LOG_LEVEL",
    "TF_FORCE_GPU_ALLOW_GROWTH",
    "LC_CTYPE",
    "PWD",  # the sandbox's own working directory, which bwrap sets
}


def _probe(report) -> dict:
    line = next(line for line in report.output.splitlines() if line.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE "))


def test_submission_runs_in_another_process_with_a_scrubbed_environment(monkeypatch) -> None:
    monkeypatch.setenv("GRADER_TEST_SECRET", "do-not-leak")
    source = SUBMISSIONS / "ex5_probe_environment.py"
    before = hashlib.sha256(source.read_bytes()).hexdigest()

    report = api.grade("exercise5", source, seed=3)
    probe = _probe(report)

    assert report.verdict == "passed"
    assert probe["pid"] != os.getpid()
    assert set(probe["env"]) <= ALLOWED_ENV, set(probe["env"]) - ALLOWED_ENV
    assert "GRADER_TEST_SECRET" not in probe["env"]
    assert Path(probe["file"]) != source.resolve()  # it ran a copy
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before == report.submission_sha256
    if bwrap_reason():  # a plain child: a fresh folder in the job, removed afterwards
        assert Path(probe["cwd"]).name == "work" and Path(probe["cwd"]).parent.name.startswith("grade-")
        assert not Path(probe["cwd"]).exists()
    else:  # its own tmpfs, and the job's read-only copy of the file
        assert probe["cwd"] == "/home/learner" and probe["file"] == "/job/submission/ex5_probe_environment.py"


def test_sandbox_preloads_nothing_heavy() -> None:
    """Function exercises start fast: no TensorFlow, pandas or scikit-learn unless the file asks."""
    probe = _probe(api.grade("exercise5", SUBMISSIONS / "ex5_probe_environment.py", seed=3))
    assert probe["heavy"] == []


def test_background_processes_are_killed_with_the_sandbox() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_leaves_process.py", seed=3)
    assert report.verdict == "passed"
    survivors = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"tfcert-grader-orphan-probe" in cmdline:
            survivors.append(pid)
    assert survivors == []


def test_a_thread_the_file_never_ends_does_not_hold_the_grading_until_its_time_limit() -> None:
    # Python waits for non-daemon threads at exit; the child ends once its record is written.
    report = api.grade("exercise5", SUBMISSIONS / "ex5_leaves_thread.py", seed=3, timeout_s=20)
    assert (report.verdict, report.score) == ("passed", 100)
    assert report.timings["sandbox_s"] < 10  # it used to end only at the 20 s limit


def test_printed_escape_sequences_and_markup_cannot_reach_the_terminal() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_probe_environment.py", seed=3)
    assert "\x1b[2J" not in report.output  # not in the data (JSON, exports)...
    buffer = io.StringIO()
    render_report(report, Console(file=buffer, width=120, force_terminal=True), lang="en", show_output=True)
    shown = buffer.getvalue()
    assert "\x1b[2J" not in shown  # ...but never sent to a terminal
    assert "cleared your screen" in shown
    assert "[bold red]markup[/bold red]" in shown  # shown literally, not interpreted


def test_a_timeout_keeps_what_was_printed_before_it(submission) -> None:
    # split_x loops too: graded without the top level (which never ends), it still times out
    path = submission(
        "print('about to loop')\ndef split_x(seq, size):\n    while True:\n        pass\nwhile True:\n    pass\n"
    )
    report = api.grade("exercise5", path, seed=1, timeout_s=1)
    assert report.verdict == "timeout"
    assert any("top-level code did not finish within the time limit of 1 s" in n.en for n in report.notes)
    assert "about to loop" in report.output


def test_a_flood_of_output_is_cut_to_its_tail(submission) -> None:
    path = submission(
        "for i in range(200_000):\n    print('line', i)\n" + (SUBMISSIONS / "ex5_exit_zero.py").read_text()
    )
    report = api.grade("exercise5", path, seed=1)
    assert report.verdict == "passed"
    assert len(report.output.encode()) <= 64 * 1024
    assert "line 199999" in report.output


def test_an_exception_inside_a_function_is_an_error_with_the_learners_line(submission) -> None:
    path = submission("def split_x(seq, size):\n    return seq[size] / 0 + undefined_name\n")
    report = api.grade("exercise5", path, seed=1, reveal=True)
    assert report.verdict == "failed"
    first = report.checks[0]
    assert first.status == "error"
    assert "raised IndexError" in first.message.en or "raised NameError" in first.message.en
    assert 'File "my_solution.py", line 2, in split_x' in (first.revealed or "")
    assert "grader" not in (first.revealed or "").replace("my_solution", "")  # our frames are trimmed


def _grade_in_a_child(submission: Path) -> dict:
    """Run ``grade`` as its own process, so a probe that kills it cannot take pytest along."""
    cli = [sys.executable, "cli.py", "exercise5", str(submission), "--json", "--seed", "3"]
    done = subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), f"grade itself ended with {done.returncode}: {done.stderr[-2000:]}"
    return json.loads(done.stdout)


@needs_sandbox
def test_a_submission_that_kills_the_grader_cannot_reach_it() -> None:
    # Its parent is the sandbox's own init: another user's process when grade is root (the kill
    # is refused), else a namespace's init, which the kernel shields. grade lives on to report.
    report = _grade_in_a_child(SUBMISSIONS / "bulk" / "kills_its_grader.py")
    # Its split_x returns its input: graded as it deserves, failed, either way.
    assert report["verdict"] == "failed"
    if os.getuid() == 0:  # the kill raised at top level: the functions were graded without it
        assert any("PermissionError: [Errno 1] Operation not permitted" in n["en"] for n in report["notes"])


@needs_sandbox
def test_kill_minus_one_reaches_no_process_outside_the_sandbox() -> None:
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        report = _grade_in_a_child(SUBMISSIONS / "local" / "signals_everyone.py")
        assert report["verdict"] == "passed", report["message"]["en"]
        assert "kill -1 found no process to signal" in report["output"]
        assert bystander.poll() is None  # same user, outside the namespace: untouched
    finally:
        bystander.kill()
        bystander.wait()
