"""Homework as a 2020 bootcamp class wrote it, graded on its functions whatever the script around
them does (issue 25): Keras 2 training at top level, a CSV only the learner's machine has, minutes
of training at import, last year's function beside this year's, a script with no function at all.

Each file's exact score, verdict and the words that explain it; then the same score under 20 seeds,
and on a machine whose CPU the grading shares with three spinning processes (the child starved:
its top level no longer finishes in time, and the score must not move).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field

import pytest

from grader import api
from tests.conftest import SUBMISSIONS

CLASS = SUBMISSIONS / "class2020"
SPLIT_XY_PARTS = ("split-xy", "invalid-size-xy", "input-unchanged-xy")


@dataclass(frozen=True)
class Homework:
    file: str
    exercise: str
    verdict: str
    score: float
    lost: dict[str, str] = field(default_factory=dict)
    says: tuple[str, ...] = ()  # in the message, the lost checks' messages or the notes, in English
    says_ko: tuple[str, ...] = ()
    function: str | None = None
    timeout_s: float | None = None
    heavy: bool = False  # starts TensorFlow: fewer runs of it where many would only repeat the cost


FALLBACK = "so your functions were graded without it"
FALLBACK_KO = "그래서 함수를 최상위 코드 없이 채점했고"

HOMEWORK = [
    Homework(  # Keras 3 refuses LSTM(input_length=...) at top level: the functions are graded alone
        "ex2_lstm_keras2.py",
        "exercise2",
        "failed",
        85,
        {"invalid-size": "failed", "invalid-size-xy": "failed"},
        says=(
            "raised ValueError: Unrecognized keyword arguments passed to LSTM",
            "Keras 2 code: `LSTM(..., input_length=N)` (line 31",
            FALLBACK,
        ),
        says_ko=("Keras 2 코드", FALLBACK_KO),
        heavy=True,
    ),
    Homework(
        "ex5_reads_its_csv.py",
        "exercise5",
        "passed",
        100,
        says=("raised FileNotFoundError", "the sandbox has your file only, not your data files", FALLBACK),
        says_ko=("샌드박스에는 제출한 파일만 있고 데이터 파일은 없습니다", FALLBACK_KO),
    ),
    Homework(
        "ex5_fits_three_minutes.py",
        "exercise5",
        "passed",
        100,
        says=("did not finish within the time limit of 3 s", FALLBACK),
        says_ko=("제한 시간 3초 안에 끝나지 않았습니다", FALLBACK_KO),
        timeout_s=3,
    ),
    Homework(  # the alias wins over the file's own (wrong) split_x; split_xy is not there
        "ex2_new_split_beside_split_x.py",
        "exercise2",
        "contract-error",
        65,
        dict.fromkeys(SPLIT_XY_PARTS, "not-run"),
        says=(
            "graded your new_split as split_x (--function split_x=new_split); your file's own split_x was not graded",
            "split_xy is not defined in your file",
        ),
        says_ko=("split_x로 채점했습니다", "파일에 있는 split_x"),
        function="split_x=new_split",
    ),
    Homework(  # no alias: its own split_x, which drops the last window
        "ex2_new_split_beside_split_x.py",
        "exercise2",
        "contract-error",
        5,
        {
            **dict.fromkeys(("statement-example", "split-x-random", "split-x-edges", "invalid-size"), "failed"),
            **dict.fromkeys(SPLIT_XY_PARTS, "not-run"),
        },
        says=("split_xy is not defined in your file",),
    ),
    Homework(  # no function at all, and ten minutes of top level: named at once, nothing runs
        "ex3_scales_at_top_level.py",
        "exercise3",
        "contract-error",
        0,
        dict.fromkeys(
            ("minmax", "standard", "default-kind", "constant-column", "integer-input", "inputs-unchanged"), "not-run"
        ),
        says=('scale is not defined in your file (expected: def scale(x_train, x_val, x_test, kind="minmax"))',),
        says_ko=("정의되어 있지 않습니다 (기대: def scale(",),
    ),
    Homework(
        "ex5_return_in_loop_array.py",
        "exercise5",
        "failed",
        15,
        dict.fromkeys(("iris-146x5x4", "iris-other-size", "trailing-shapes", "one-d-input", "edge-sizes"), "failed"),
        says=("only the first window came back: is `return` inside the for loop?",),
        says_ko=("첫 윈도우 하나만 돌아왔습니다",),
    ),
    Homework(  # split_x keeps its own parts of the checks split_xy's absence used to take with it
        "ex2_only_split_x_window_5.py",
        "exercise2",
        "contract-error",
        25,
        {"split-x-random": "error", "split-x-edges": "failed", **dict.fromkeys(SPLIT_XY_PARTS, "not-run")},
        says=("every window has 5 rows, though size was 30: is the window size written as a number",),
        says_ko=("윈도우 크기를 인자 대신 숫자로",),
    ),
    Homework(  # threads until none can start, then SIGABRT, as TensorFlow does: named, and graded alone
        "ex5_threads_at_top_level.py",
        "exercise5",
        "passed",
        100,
        says=("crashed (it started more threads and processes than the sandbox allows, 256", FALLBACK),
        says_ko=("스레드·프로세스 수 256개를 넘었습니다", FALLBACK_KO),
    ),
    Homework(  # TensorFlow trains at top level: no crash at the process limit, and the same 100 either way
        "ex5_dense_at_top_level.py",
        "exercise5",
        "passed",
        100,
        heavy=True,
    ),
]


def _grade(work: Homework, seed: int, timeout_s: float | None = None) -> api.Report:
    return api.grade(
        work.exercise, CLASS / work.file, seed=seed, function=work.function, timeout_s=timeout_s or work.timeout_s
    )


def _words(report: api.Report, lang: str) -> str:
    parts = [report.message, *(c.message for c in report.checks), *report.notes]
    return "\n".join(getattr(p, lang) for p in parts)


@pytest.mark.parametrize("work", HOMEWORK, ids=lambda w: f"{w.file}{'+alias' if w.function else ''}")
def test_each_file_gets_its_exact_score_and_the_words_for_it(work: Homework) -> None:
    report = _grade(work, seed=1)
    assert (report.verdict, report.score) == (work.verdict, work.score), _words(report, "en")
    assert {c.name: c.status for c in report.checks if c.status != "passed"} == work.lost
    english, korean = _words(report, "en"), _words(report, "ko")
    for phrase in work.says:
        assert phrase in english
    for phrase in work.says_ko:
        assert phrase in korean
    assert "--function split_xy=split_x" not in english  # never one required function as another
    assert report.verdict != "crashed" and "SIGABRT" not in english


def test_a_file_with_no_required_function_is_told_so_before_anything_runs() -> None:
    work = next(w for w in HOMEWORK if w.file == "ex3_scales_at_top_level.py")
    report = _grade(work, seed=1)
    assert "sandbox_s" not in report.timings and report.output == ""  # its ten minutes never started


@pytest.mark.slow
@pytest.mark.parametrize("work", HOMEWORK, ids=lambda w: f"{w.file}{'+alias' if w.function else ''}")
def test_each_file_scores_the_same_under_20_seeds(work: Homework) -> None:
    # A heavy file's 20 runs end at a 2 s limit, before TensorFlow has started: the score is its
    # functions', as it is when its top level fails on its own (the test above).
    timeout_s = 2 if work.heavy else None
    scores = {_grade(work, seed, timeout_s).score for seed in range(20)}
    assert scores == {work.score}


@pytest.fixture
def starved_cpu():
    """This process, and so every grading child it starts, on one CPU with three processes that
    spin there: the child gets about a quarter of a core."""
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no CPU affinity on this platform")
    before = os.sched_getaffinity(0)
    cpu = min(before)
    spin = [sys.executable, "-c", "while True: pass"]
    hogs = [subprocess.Popen(spin, preexec_fn=lambda: os.sched_setaffinity(0, {cpu})) for _ in range(3)]
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)
        for hog in hogs:
            hog.kill()
            hog.wait()


@pytest.mark.slow
def test_every_file_scores_the_same_on_a_starved_cpu(starved_cpu) -> None:
    starved = {(w.file, w.function): _grade(w, seed=7).score for w in HOMEWORK}
    assert starved == {(w.file, w.function): w.score for w in HOMEWORK}
