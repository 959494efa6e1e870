"""The ``grade`` command as a learner types it (click's CliRunner over the real API)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from grader import api
from tests.conftest import ROOT, SOLUTIONS, SUBMISSIONS, needs_sandbox


def run(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def test_help_lists_every_exercise_as_a_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in ("exercise1", "exercise2", "exercise3", "exercise5", "list", "show", "init"):
        assert name in result.output


def test_reference_solution_passes_with_exit_0() -> None:
    result = run("exercise5", str(SOLUTIONS / "exercise5.py"), "--lang", "en")
    assert result.exit_code == 0
    assert "Score 100 / 100" in result.output and "PASSED" in result.output


def test_slug_answers_and_failure_exits_1_with_the_reason() -> None:
    result = run("iris-windows", str(SUBMISSIONS / "ex5_off_by_one.py"), "--lang", "en", "--seed", "5")
    assert result.exit_code == 1
    assert "got (145, 5, 4)" in result.output
    assert "FAILED" in result.output


def test_korean_report() -> None:
    result = run("exercise5", str(SOLUTIONS / "exercise5.py"), "--lang", "ko")
    assert result.exit_code == 0
    assert "합격" in result.output and "검사" in result.output


def test_json_report_is_the_report_schema() -> None:
    result = run("exercise2", str(SUBMISSIONS / "ex2_missing_function.py"), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["verdict"] == "contract-error"
    assert data["schema_version"] == 1
    assert {"exercise", "submission_sha256", "grader_version", "checks", "score", "timings"} <= set(data)
    assert data["checks"][0].keys() >= {"name", "points", "max_points", "status", "message", "duration_s"}


def test_reveal_shows_the_failing_call_to_instructors_only() -> None:
    hidden = run("exercise5", str(SUBMISSIONS / "ex5_transposed.py"), "--json", "--seed", "2")
    shown = run("exercise5", str(SUBMISSIONS / "ex5_transposed.py"), "--json", "--seed", "2", "--reveal")
    assert all(c["revealed"] is None for c in json.loads(hidden.output)["checks"])
    revealed = [c["revealed"] for c in json.loads(shown.output)["checks"] if c["status"] == "failed"]
    assert revealed and all(r and r.startswith("call: split_x(") for r in revealed)


def test_usage_errors_exit_2() -> None:
    assert run("exercise99", "x.py").exit_code == 2
    assert run("exercise5", "does-not-exist.py").exit_code == 2
    assert run("exercise5", str(SOLUTIONS / "exercise5.py"), "--gpu", "first").exit_code == 2


def test_docker_asked_for_but_not_ready_is_a_usage_error_saying_what_is_missing(monkeypatch) -> None:
    monkeypatch.setenv("GRADE_IMAGE", "tfcert-grader:never-built")
    result = run("exercise5", str(SOLUTIONS / "exercise5.py"), "--runner", "docker")
    assert result.exit_code == 2
    # Whichever part is missing on this machine, the message names it and what to do.
    assert any(
        hint in result.output
        for hint in ("pip install 'tfcert-grader[docker]'", "is dockerd running?", "run `grade image build`")
    ), result.output


def test_a_notebook_or_other_file_is_a_submission_error(tmp_path) -> None:
    other = tmp_path / "answer.txt"
    other.write_text("print(1)")
    result = run("exercise5", str(other), "--lang", "en")
    assert result.exit_code == 1
    assert "SUBMISSION ERROR" in result.output and "answer.txt" in result.output


def test_list_show_and_init(tmp_path) -> None:
    listing = run("list", "--lang", "en")
    assert listing.exit_code == 0 and "iris-windows" in listing.output
    assert "146" in run("show", "iris-windows", "--lang", "ko").output
    assert run("show", "nope").exit_code == 2

    first = run("init", "exercise5", str(tmp_path), "--lang", "ko")
    assert first.exit_code == 0
    written = tmp_path / "exercise5.py"
    assert "def split_x(seq, size):" in written.read_text(encoding="utf-8")
    again = run("init", "exercise5", str(tmp_path))
    assert again.exit_code == 2 and "already exists" in again.output
    assert run("init", "exercise5", str(tmp_path), "--force").exit_code == 0


def test_the_grade_process_never_imports_tensorflow() -> None:
    code = (
        "import sys; from click.testing import CliRunner; import cli;"
        "r = CliRunner().invoke(cli.main, ['exercise5', 'solutions/exercise5.py']);"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'jax', 'torch')];"
        "print(r.exit_code, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0 []"


def test_a_function_exercise_starts_its_sandbox_before_the_grade_process_loads_numpy() -> None:
    # The sandbox's start (a Python that imports numpy and the submission) overlaps with this
    # process importing numpy and planning the checks: that is most of a grading's time.
    code = (
        "import subprocess, sys; seen = [];"
        "real = subprocess.Popen.__init__;"
        "subprocess.Popen.__init__ = lambda self, args, *a, **k: ("
        "seen.append(('numpy' in sys.modules, 'rich' in sys.modules)), real(self, args, *a, **k))[1];"
        "from click.testing import CliRunner; import cli;"
        "r = CliRunner().invoke(cli.main, ['exercise5', 'solutions/exercise5.py', '--json', '--runner', 'local']);"
        "print(r.exit_code, seen[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0 (False, False)"


def test_the_console_script_exits_with_the_report_s_code_and_its_whole_output(tmp_path) -> None:
    # `run` skips the interpreter's teardown: what was printed must still all arrive, piped.
    script = [sys.executable, "-c", "import cli; cli.run()"]
    graded = subprocess.run(
        [*script, "exercise5", str(SOLUTIONS / "exercise5.py"), "--json"], cwd=ROOT, capture_output=True, text=True
    )
    assert graded.returncode == 0 and json.loads(graded.stdout)["score"] == 100
    failed = subprocess.run(
        [*script, "exercise5", str(SUBMISSIONS / "ex5_off_by_one.py"), "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 1 and failed.stdout.rstrip().splitlines()[-2].startswith("Score")
    refused = subprocess.run(
        [*script, "exercise5", str(tmp_path / "none.py")], cwd=ROOT, capture_output=True, text=True
    )
    assert refused.returncode == 2 and "no such file" in refused.stderr


def test_html_writes_the_report_page_in_the_chosen_language(tmp_path) -> None:
    page = tmp_path / "reports" / "ex5.html"
    result = run(
        "exercise5", str(SUBMISSIONS / "ex5_off_by_one.py"), "--seed", "5", "--lang", "ko", "--html", str(page)
    )
    assert result.exit_code == 1 and str(page) in result.output
    text = page.read_text(encoding="utf-8")
    assert '<html lang="ko">' in text and "불합격" in text and "(145, 5, 4)" in text


def test_data_status_and_fetch_without_network(tmp_path) -> None:
    from tests.synthetic import write_image_dataset

    write_image_dataset("mnist", tmp_path, n_train=60, n_test=10)
    status = run("data", "status", "--data-dir", str(tmp_path), "--lang", "en")
    assert status.exit_code == 0
    assert "substitute" in status.output and "missing" in status.output and "grade data fetch" in status.output
    present = run("data", "fetch", "mnist", "--data-dir", str(tmp_path))
    assert present.exit_code == 0 and "mnist: already there" in present.output
    unknown = run("data", "fetch", "cifar100", "--data-dir", str(tmp_path))
    assert unknown.exit_code == 2 and "unknown dataset(s) cifar100" in unknown.output


def test_a_model_exercise_without_its_data_exits_2_naming_the_fix(tmp_path) -> None:
    result = run("exercise6", str(SOLUTIONS / "exercise6.py"), "--data-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "mnist.npz is missing" in result.output and "grade data fetch mnist" in result.output


def test_doctor_names_a_missing_docker_daemon_and_how_to_start_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-daemon.sock")  # nothing listens there
    monkeypatch.setenv("COLUMNS", "200")  # each finding on one line
    result = run("doctor", "--data-dir", str(tmp_path), "--lang", "en")
    text = " ".join(result.output.split())
    assert "docker daemon" in text and "is dockerd running?" in text
    from grader.runner.boundary import missing_for_bulk

    if missing_for_bulk():  # no local sandbox: docker is what isolation needs
        assert result.exit_code == 1 and "missing" in text
    else:  # the local sandbox holds: docker is optional, and said so
        assert "optional here: the local sandbox grades every exercise" in text and "Optional (only where" in text
    assert "grade data fetch mnist" in text  # the empty data dir: each dataset with its fix
    assert "picks local, because the docker daemon is" in text


def test_image_build_without_wheels_says_where_to_get_them(tmp_path) -> None:
    result = run("image", "build", "--wheelhouse", str(tmp_path))
    assert result.exit_code == 2 and f"no wheels in {tmp_path}" in result.output


def test_doctor_lists_each_sandbox_property_with_the_fix_where_it_does_not_hold(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GRADE_SANDBOX", "off")  # as on macOS, or where bwrap is refused
    sandbox = [f for f in api.diagnose(data_dir=tmp_path).findings if f.topic.en.startswith("local sandbox")]
    assert [f.topic.en.split(".")[0] for f in sandbox] == [f"local sandbox {n}" for n in range(1, 11)]
    by_number = {int(f.topic.en.split()[2].rstrip(".")): f for f in sandbox}
    for number in (2, 3, 4, 8, 9, 10):
        assert by_number[number].status == "note" and by_number[number].detail.en.startswith("not held: no sandbox")
        assert by_number[number].fix.en == "unset GRADE_SANDBOX"
    assert by_number[1].status == ("note" if os.getuid() == 0 else "ok")  # root without a sandbox is root
    assert by_number[7].status == "ok"
    text = run("doctor", "--data-dir", str(tmp_path), "--lang", "ko").output
    assert "local 샌드박스 2." in text and "미충족" in text


@needs_sandbox
def test_doctor_says_each_property_holds_where_bwrap_runs(tmp_path) -> None:
    sandbox = [f for f in api.diagnose(data_dir=tmp_path).findings if f.topic.en.startswith("local sandbox")]
    held = {f.topic.en.split(".")[0]: f.status for f in sandbox}
    assert all(held[f"local sandbox {n}"] == "ok" for n in (1, 2, 3, 4, 6, 7, 8, 9)), held
    # The kernel holds the output quota only where grade may mount a tmpfs: as root.
    assert held["local sandbox 10"] == ("ok" if os.geteuid() == 0 else "note"), held
    (unprivileged,) = [f for f in sandbox if f.topic.en.startswith("local sandbox 1.")]
    assert "not root" in unprivileged.detail.en if os.getuid() == 0 else "your uid" in unprivileged.detail.en


def test_doctor_removes_a_stale_job_folder_of_any_shape_and_names_none_left(tmp_path) -> None:
    import tempfile

    from grader.runner.jobs import JOB_PREFIX, OWNER_FILE

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = Path(tempfile.mkdtemp(prefix=JOB_PREFIX))
    (stale / OWNER_FILE).write_text(dead.stdout.strip())  # a grade killed with kill -9
    deep = stale / "out"
    deep.mkdir()
    for _ in range(1200):  # past Python's recursion limit
        deep = deep / "d"
        deep.mkdir()
    (stale / "out" / "locked").mkdir(mode=0)
    finding = next(f for f in api.diagnose(data_dir=tmp_path).findings if f.topic.en == "leftover job folders")
    assert not stale.exists()
    assert (finding.status, finding.detail.en) == ("ok", "none")


def test_an_exercise_s_help_lists_only_its_kind_s_options() -> None:
    functions = run("exercise2", "--help").output
    models = run("exercise10", "--help").output
    for model_only in ("--model-var", "--repeats", "--quiet", "--gpu", "--data-dir"):
        assert model_only not in functions and model_only in models
    for function_only in ("--no-top-level", "--function"):
        assert function_only in functions and function_only not in models


def test_one_epoch_is_said_in_the_singular() -> None:
    import io

    from rich.console import Console

    from grader.report import ModelSummary
    from grader.report.terminal import render_report
    from tests.report.test_html import model_report

    report = model_report()
    one = dataclasses.replace(report, model=dataclasses.replace(report.model, epochs=1, history={"loss": [0.5]}))
    screen = io.StringIO()
    render_report(one, Console(file=screen, width=100), lang="en")
    assert "trained 1 epoch in" in screen.getvalue() and isinstance(one.model, ModelSummary)


def test_the_installed_grade_script_runs_from_any_folder(tmp_path) -> None:
    """The console script pip installed imports the CLI's modules from the package, not from the
    checkout's folder (an editable install maps only the top-level modules pyproject names)."""
    import shutil

    script = shutil.which("grade", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("no installed grade script beside this Python")
    ran = subprocess.run([script, "iris", "x.py", "--lang", "ko"], cwd=tmp_path, capture_output=True, text=True)
    assert ran.returncode == 2 and "혹시 iris-windows인가요?" in ran.stderr, ran.stderr[-800:]
