"""Hidden inputs never reach the learner through what their function raised (spine 4): its
message is held back like printed output, and what is shown (a built-in exception's name, a line,
a function) cannot carry the input. ``--reveal`` shows it all to an instructor."""

from __future__ import annotations

import json

import numpy as np
import pytest

from grader import api
from grader.check import CheckFailed, raised_on_hidden_input
from grader.sandbox.wire import RaisedError
from tests.conftest import SUBMISSIONS


def learner_text(report) -> str:
    shown = [report.output, report.message.en, report.message.ko, *(n.en + n.ko for n in report.notes)]
    shown += [c.message.en + c.message.ko for c in report.checks]
    return "\n".join(shown)


def test_an_exception_that_carries_the_hidden_input_shows_only_its_type_and_line() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_raises_its_input.py", seed=7)
    assert "HIDDEN" not in learner_text(report) and "Leak_" not in learner_text(report)
    messages = [c.message.en for c in report.checks if c.status == "error"]
    assert any("raised ValueError at line 17, in split_x; its message is held back" in m for m in messages)
    assert any("raised an exception of its own class at line 14, in split_x" in m for m in messages)
    wrong_error = [c.message.en for c in report.checks if c.status == "failed"]
    assert any("expected ValueError; " in m and "raised KeyError at line 16, in split_x" in m for m in wrong_error)
    assert all(c.revealed is None for c in report.checks)
    assert "HIDDEN" not in json.dumps(json.loads(report.dumps()), ensure_ascii=False)


def test_reveal_shows_the_instructor_the_whole_exception() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_raises_its_input.py", seed=7, reveal=True)
    assert any("HIDDEN [" in (c.revealed or "") for c in report.checks)


def test_a_returned_value_that_carries_the_hidden_input_is_described_not_shown() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_returns_its_input.py", seed=7)
    assert "123456" not in learner_text(report)  # every value it returned carries the mark
    assert (report.verdict, report.score) == ("failed", 0), report.message.en
    messages = [c.message.en for c in report.checks]
    assert any("values differ; first at index (0, 0, 0)" in m and "values held back" in m for m in messages), messages
    assert any("expected ValueError, but it returned numpy.ndarray float64 (" in m for m in messages), messages
    revealed = api.grade("exercise5", SUBMISSIONS / "ex5_returns_its_input.py", seed=7, reveal=True)
    assert any("123456" in (c.revealed or "") for c in revealed.checks)


def test_a_public_input_names_the_values_that_differ() -> None:
    from grader.check.expect import expect_array_equal

    with pytest.raises(CheckFailed) as failed:
        expect_array_equal(np.array([1, 2, 4]), np.array([1, 2, 3]), "f(np.arange(1, 4))", public=True)
    assert failed.value.message.en.endswith("first at index (2,): expected 3, got 4")
    with pytest.raises(CheckFailed) as failed:
        expect_array_equal(np.array([1, 2, 4]), np.array([1, 2, 3]), "f(hidden)")
    assert "got 4" not in failed.value.message.en and "expected 3" not in failed.value.message.ko


def test_a_call_that_does_not_fit_the_signature_is_told_in_the_graders_words() -> None:
    said = raised_on_hidden_input(
        "split_x(array[5×4] float64, 3)",
        RaisedError("TypeError", ("TypeError",), "split_x() got an unexpected keyword argument 'seed'"),
    )
    assert said.en == (
        "split_x(array[5×4] float64, 3) raised TypeError: your function has no parameter for one of this "
        "call's keyword arguments; compare your def line with the statement's"
    )
    assert "키워드 인자" in said.ko
    # The names in Python's words are the file's to write: they are never shown.
    smuggled = RaisedError("TypeError", ("TypeError",), "split_x() got an unexpected keyword argument 'v_5_1_3_5'")
    assert "v_5_1" not in raised_on_hidden_input("split_x(…)", smuggled).en
    forged = RaisedError("TypeError", ("TypeError",), "split_x() got an unexpected keyword argument '5.1 3.5'")
    assert "5.1" not in raised_on_hidden_input("split_x(…)", forged).en
    own = RaisedError("Leak_5_1", ("Leak_5_1", "Exception"), "x", 'File "a.py", line 3, in split_x')
    assert raised_on_hidden_input("f()", own).ko.startswith("f() 실행 중 3번째 줄(split_x)에서 직접 정의한 예외 발생")


def test_float32_values_are_shown_with_their_own_digits() -> None:
    from grader.check.expect import expect_array_equal

    got, expected = np.array([0.1, 0.2], dtype=np.float32), np.array([0.1, 0.3], dtype=np.float32)
    with pytest.raises(CheckFailed) as failed:
        expect_array_equal(got, expected, "f(np.array([0.1, 0.3]))", public=True)
    assert failed.value.message.en.endswith("expected 0.3, got 0.2")  # not 0.30000001192092896
