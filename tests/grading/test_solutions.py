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
    expected_failures = {c.name for c in report.checks if c.name == "invalid-size"}
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
