"""Every reference solution scores 100 on several draws; every starter grades without crashing."""

from __future__ import annotations

import pytest

from grader import api
from tests.conftest import SOLUTIONS

FUNCTION_EXERCISES = [e.id for e in api.list_exercises() if e.kind == "function"]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("exercise", FUNCTION_EXERCISES)
def test_reference_solution_scores_full_marks(exercise: str, seed: int) -> None:
    report = api.grade(exercise, SOLUTIONS / f"{exercise}.py", seed=seed)
    assert report.verdict == "passed", [(c.name, c.message.en) for c in report.checks if c.status != "passed"]
    assert report.score == report.max_score == 100


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("exercise", FUNCTION_EXERCISES)
def test_untouched_starter_grades_as_errors_not_a_crash(exercise: str, lang: str) -> None:
    starter = api.get_exercise(exercise).folder / f"starter.{lang}.py"
    report = api.grade(exercise, starter, seed=0)
    assert report.verdict == "failed"
    assert report.score == 0
    # Raising where a value was due is an error; raising the wrong exception is a wrong answer.
    expected_failures = {c.name for c in report.checks if c.name.startswith("invalid-size")}
    assert {c.name for c in report.checks if c.status == "failed"} == expected_failures
    assert {c.status for c in report.checks} - {"failed"} == {"error"}
    assert all("NotImplementedError" in c.message.en for c in report.checks)


def test_four_function_exercises_exist_with_their_slugs() -> None:
    assert {(e.id, e.slug) for e in api.list_exercises() if e.kind == "function"} == {
        ("exercise1", "split"),
        ("exercise2", "sequence-windows"),
        ("exercise3", "scaler-order"),
        ("exercise5", "iris-windows"),
    }


def test_a_run_over_a_limit_never_keeps_the_full_score() -> None:
    from grader.grading.functions import limit_keeps_no_full_score
    from grader.report import CheckResult
    from grader.text import Text

    def line(name: str, status: str = "passed", points: float = 20.0) -> CheckResult:
        return CheckResult(name, Text.same(name), points if status == "passed" else 0.0, 20.0, status)

    every = (line("a"), line("b"), line("c"))
    for verdict in ("timeout", "memory-exceeded", "crashed"):
        kept = limit_keeps_no_full_score(every, verdict)
        assert [r.points for r in kept] == [20.0, 20.0, 0.0] and kept[-1].status == "failed"
        assert kept[-1].message.en.startswith("passed, but the run then broke a limit")
    assert limit_keeps_no_full_score(every, "passed") == every
    partly = (line("a"), line("b", "not-run"), line("c", "not-run"))  # stopped midway: what finished counts
    assert limit_keeps_no_full_score(partly, "timeout") == partly
