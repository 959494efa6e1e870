"""The report: its JSON round trip, exit codes, a grader bug as a report, and golden renderings."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

import grader.check as checks_module
from grader import api
from grader.check import Check, call, check
from grader.report import CheckResult, Report
from grader.report.terminal import render_report
from grader.text import Text
from tests.conftest import SOLUTIONS, SUBMISSIONS

GOLDEN = Path(__file__).parent.parent / "golden"


def test_json_round_trip_of_a_real_report() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_transposed.py", seed=4, reveal=True)
    assert Report.from_json(report.to_json()) == report


def test_exit_codes() -> None:
    assert api.grade("exercise5", SOLUTIONS / "exercise5.py", seed=1).exit_code == 0
    assert api.grade("exercise5", SUBMISSIONS / "ex5_off_by_one.py", seed=1).exit_code == 1


def test_points_outside_their_range_are_refused() -> None:
    with pytest.raises(ValueError, match=r"points 3 outside 0\.\.2"):
        CheckResult("c", Text.same("c"), 3, 2, "passed")


def test_a_bug_in_a_check_is_a_grader_error_report_not_a_traceback(monkeypatch) -> None:
    @check("buggy", points=100, en="a check with a bug", ko="버그가 있는 검사")
    def buggy(rng):
        (got,) = yield [call("split_x", rng.normal(size=(10, 2)), 3)]
        return got.value()[99, 99]  # IndexError: our bug, not the learner's

    def with_bug(exercise) -> tuple[Check, ...]:
        return (buggy,)

    monkeypatch.setattr(checks_module, "checks_for", with_bug)
    report = api.grade("exercise5", SOLUTIONS / "exercise5.py", seed=1)
    assert report.verdict == "grader-error"
    assert report.exit_code == 3
    assert "This is not your fault" in report.message.en and "제출물의 잘못이 아닙니다" in report.message.ko
    assert "IndexError" in report.output


def test_a_check_that_fails_while_planning_releases_the_sandbox_already_started(monkeypatch) -> None:
    # The sandbox starts before the checks are planned, and waits for their calls: a check that
    # breaks before its first yield must not leave it waiting until the time limit.
    @check("breaks-early", points=100, en="a check that breaks while planning", ko="계획 중에 깨지는 검사")
    def breaks_early(rng):
        raise ZeroDivisionError("our bug")
        yield []

    monkeypatch.setattr(checks_module, "checks_for", lambda exercise: (breaks_early,))
    report = api.grade("exercise5", SOLUTIONS / "exercise5.py", seed=1, timeout_s=60)
    assert report.verdict == "grader-error"
    assert "ZeroDivisionError" in report.message.en
    assert report.timings["total_s"] < 30  # released at once, not killed at the 60 s limit


def _sample_report() -> Report:
    return Report(
        exercise="exercise5",
        slug="iris-windows",
        title=Text("Iris windowing: 150×4 → 146×5×4", "iris 윈도우 나누기: 150×4 → 146×5×4"),
        submission="my_solution.py",
        submission_sha256="0" * 64,
        grader_version="0.1.0",
        runner="local",
        verdict="failed",
        message=Text("1 of 2 checks did not pass.", "검사 2개 중 1개를 통과하지 못했습니다."),
        checks=(
            CheckResult(
                "iris-146x5x4",
                Text("iris gives 146×5×4", "iris → 146×5×4"),
                0,
                60,
                "failed",
                Text(
                    "split_x(iris, 5): expected shape (146, 5, 4), got (145, 5, 4)",
                    "split_x(iris, 5): 기대한 shape (146, 5, 4), 실제 (145, 5, 4)",
                ),
            ),
            CheckResult("invalid-size", Text("ValueError on bad sizes", "잘못된 크기에 ValueError"), 40, 40, "passed"),
        ),
        seed=42,
        timings={"total_s": 0.5, "sandbox_s": 0.4},
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_rendering_matches_the_golden_file(lang: str) -> None:
    buffer = io.StringIO()
    render_report(_sample_report(), Console(file=buffer, width=100, color_system=None), lang=lang)
    golden = GOLDEN / f"report_failed.{lang}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(buffer.getvalue(), encoding="utf-8")
    assert buffer.getvalue() == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "word, subject, object_, direction",
    [
        (0, "0이", "0을", "0으로"),  # 영
        (1, "1이", "1을", "1로"),  # 일: after ㄹ, 로
        (2, "2가", "2를", "2로"),  # 이
        (3, "3이", "3을", "3으로"),  # 삼
        (4, "4가", "4를", "4로"),  # 사
        (5, "5가", "5를", "5로"),  # 오
        (6, "6이", "6을", "6으로"),  # 육
        (7, "7이", "7을", "7로"),  # 칠
        (8, "8이", "8을", "8로"),  # 팔
        (9, "9가", "9를", "9로"),  # 구
        (10, "10이", "10을", "10으로"),  # 십
        (100, "100이", "100을", "100으로"),  # 백
        (1000, "1000이", "1000을", "1000으로"),  # 천
        (10000, "10000이", "10000을", "10000으로"),  # 만
        (2.5, "2.5가", "2.5를", "2.5로"),  # 이 점 오
        ("사과", "사과가", "사과를", "사과로"),
        ("책", "책이", "책을", "책으로"),
        ("서울", "서울이", "서울을", "서울로"),
        ("split_x", "split_x가", "split_x를", "split_x로"),
        ("ValueError", "ValueError가", "ValueError를", "ValueError로"),
        ("x_train", "x_train이", "x_train을", "x_train으로"),
        ("LSTM", "LSTM이", "LSTM을", "LSTM으로"),  # 엘에스티엠
        ("GRU", "GRU가", "GRU를", "GRU로"),  # 지알유
        ("(146, 5, 4)", "(146, 5, 4)가", "(146, 5, 4)를", "(146, 5, 4)로"),
    ],
)
def test_korean_particles_follow_the_last_sound(word, subject, object_, direction) -> None:
    from grader.text import with_particle

    assert with_particle(word, "이/가") == subject
    assert with_particle(word, "을/를") == object_
    assert with_particle(word, "으로/로") == direction
    assert with_particle(word, "은/는")[-1] == ("은" if subject.endswith("이") else "는")


def test_a_dimension_message_in_korean_has_the_right_particle() -> None:
    from grader.check import CheckFailed
    from grader.check.expect import expect_shape

    for expected, particle in (((146, 5, 4), "3이"), ((146, 5), "2가")):
        with pytest.raises(CheckFailed) as failed:
            expect_shape(np.zeros(146), expected, what="split_x(iris, 5)")
        assert f"차원 수가 {particle} 아니라 1입니다" in failed.value.message.ko


def test_an_empty_answer_shows_its_shape_not_brackets() -> None:
    from grader.check import CheckFailed, Returned, call
    from grader.check.expect import expect_raises

    returned = Returned(call("split_x", np.zeros((10, 4)), 0), result=np.zeros((11, 0, 4)))
    with pytest.raises(CheckFailed) as failed:
        expect_raises(returned, "ValueError", what="split_x(seq, 0)")
    assert "it returned numpy.ndarray float64 (11, 0, 4)" in failed.value.message.en
    assert "numpy.ndarray float64 (11, 0, 4)를 반환했습니다" in failed.value.message.ko
