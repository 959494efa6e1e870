"""Every known slip (`grader.check.slips`) is named on the check result of an answer that makes
it: each flawed answer below is built the way the mistake builds it, and judged by the real check
(its calls answered in this process, through the wire, as a sandbox's records would be)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import numpy as np
import pytest

from grader import api
from grader.check import CheckFailed, Returned, checks_for
from grader.check.expect import expect_shape
from grader.check.functions import judge_checks, plan_checks
from grader.check.models import judge_model
from grader.check.slips import SLIPS, slip
from grader.exercise import find_exercise
from grader.report import CheckResult, Report
from grader.runner.calls import ChildRecords
from grader.sandbox import wire
from grader.text import EMPTY, Text
from tests.conftest import SUBMISSIONS


def judged(exercise_id: str, check_name: str, learner: Callable | dict[str, Callable], seed: int = 7) -> CheckResult:
    """One check of ``exercise_id``, its calls answered by ``learner``: the learner's function, or
    their functions by name."""
    (chk,) = [c for c in checks_for(find_exercise(exercise_id)) if c.name == check_name]
    planned, calls = plan_checks((chk,), seed)
    returned = {}
    for i, c in enumerate(calls):
        args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in c.args)
        function = learner[c.function] if isinstance(learner, dict) else learner
        result = function(*args, **c.kwargs)
        after = tuple(_received(a) for a in args) if c.observe_args else None
        returned[i] = Returned(c, result=_received(result), args_after=after)
    (result,) = judge_checks(planned, ChildRecords(returned=returned), False, {}, EMPTY)
    return result


def _received(value):
    """``value`` as the trusted side gets it from the sandbox: encoded, then decoded."""
    encoder = wire.Encoder(prefix="r")
    return wire.decode(encoder.encode(value), encoder.arrays)


# split_x, right and in the ways learners get it wrong (exercises 2 and 5)
def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError(f"size must be in 1..{len(seq)}, got {size}")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


def extra_axis(seq, size):
    aaa = []
    for i in range(len(seq) - size + 1):
        aaa.append([seq[i : i + size]])
    return np.array(aaa)


def return_in_loop(seq, size):
    aaa = []
    for i in range(len(seq) - size + 1):
        aaa.append(seq[i : i + size])
        return np.array(aaa)


def along_features(seq, size):
    return np.array([seq[:, i : i + size] for i in range(seq.shape[1] - size + 1)])


def size_five(seq, size):
    return np.array([seq[i : i + 5] for i in range(len(seq) - 5 + 1)])


DATASET = np.arange(200.0)  # the notebook's data, read instead of the argument


def reads_global(seq, size):
    return np.array([DATASET[i : i + size] for i in range(len(DATASET) - size + 1)])


def sliding_window_view(seq, size):
    return np.lib.stride_tricks.sliding_window_view(seq, size, axis=0)


def one_short(seq, size):
    return np.array([seq[i : i + size] for i in range(len(seq) - size)])


def as_list(seq, size):
    return [seq[i : i + size] for i in range(len(seq) - size + 1)]


def ragged(seq, size):
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 2)], dtype=object)


def split_xy(seq, size):
    windows = split_x(seq, size)
    return windows[:, :-1], windows[:, -1]


def xy_of_size_plus_one(seq, size):
    windows = np.array([seq[i : i + size + 1] for i in range(len(seq) - size)])
    return windows[:, :-1], windows[:, -1]


# scale, right and wrong (exercise 3)
def _fitted(x, kind):
    offset, spread = (x.min(axis=0), np.ptp(x, axis=0)) if kind == "minmax" else (x.mean(axis=0), x.std(axis=0))
    return offset, np.where(spread == 0, 1.0, spread)


def scale(x_train, x_val, x_test, kind="minmax"):
    offset, spread = _fitted(x_train, kind)
    return tuple((x - offset) / spread for x in (x_train, x_val, x_test))


def scale_fit_on_all(x_train, x_val, x_test, kind="minmax"):
    offset, spread = _fitted(np.concatenate([x_train, x_val, x_test]), kind)
    return tuple((x - offset) / spread for x in (x_train, x_val, x_test))


def scale_each_set(x_train, x_val, x_test, kind="minmax"):
    fitted = [(x, *_fitted(x, kind)) for x in (x_train, x_val, x_test)]
    return tuple((x - offset) / spread for x, offset, spread in fitted)


def scale_by_zero(x_train, x_val, x_test, kind="minmax"):
    if kind == "minmax":
        offset, spread = x_train.min(axis=0), np.ptp(x_train, axis=0)
    else:
        offset, spread = x_train.mean(axis=0), x_train.std(axis=0)
    with np.errstate(all="ignore"):
        return tuple((x - offset) / spread for x in (x_train, x_val, x_test))


def scale_in_place(x_train, x_val, x_test, kind="minmax"):
    offset, spread = _fitted(x_train, kind)
    for x in (x_train, x_val, x_test):
        x -= offset
        x /= spread
    return x_train, x_val, x_test


def split_floored(x, y, train=0.6, val=0.2, shuffle=False, seed=None):
    a, b = int(len(x) * train), int(len(x) * val)
    return (x[:a], y[:a]), (x[a : a + b], y[a : a + b]), (x[a + b :], y[a + b :])


def split_rounded(x, y, train=0.6, val=0.2, shuffle=False, seed=None):
    a, b = round(len(x) * train), round(len(x) * val)
    return (x[:a], y[:a]), (x[a : a + b], y[a : a + b]), (x[a + b :], y[a + b :])


FLAWED = {
    "extra-axis": ("exercise5", "iris-146x5x4", extra_axis),
    "return-in-loop": ("exercise5", "iris-146x5x4", return_in_loop),
    "windows-along-features": ("exercise5", "iris-other-size", along_features),
    "hard-coded-size": ("exercise5", "iris-other-size", size_five),
    "reads-global": ("exercise5", "one-d-input", reads_global),
    "axes-swapped": ("exercise5", "iris-146x5x4", sliding_window_view),
    "off-by-one": ("exercise5", "iris-146x5x4", one_short),
    "returned-list": ("exercise2", "split-x-random", as_list),
    "ragged-windows": ("exercise5", "iris-146x5x4", ragged),
    "constant-column-nan": ("exercise3", "constant-column", scale_by_zero),
    "scaler-fit-on-all-data": ("exercise3", "minmax", scale_fit_on_all),
    "scaler-fit-per-set": ("exercise3", "standard", scale_each_set),
    "input-modified": ("exercise3", "inputs-unchanged", scale_in_place),
    "sizes-rounded": ("exercise1", "default-split", split_rounded),
    "size-counts-only-x": ("exercise2", "split-xy", xy_of_size_plus_one),
}
RIGHT = {"split_x": split_x, "split_xy": split_xy, "scale": scale, "split_train_val_test": split_floored}


@pytest.mark.parametrize("name", sorted(FLAWED))
def test_a_flawed_answer_is_named_by_its_slip(name) -> None:
    exercise_id, check_name, function = FLAWED[name]
    result = judged(exercise_id, check_name, function)
    assert (result.status, result.slip) == ("failed", name), result.message.en


@pytest.mark.parametrize(("exercise_id", "check_name"), sorted({(e, c) for e, c, _ in FLAWED.values()}))
def test_a_right_answer_names_no_slip(exercise_id, check_name) -> None:
    result = judged(exercise_id, check_name, RIGHT)
    assert (result.status, result.slip) == ("passed", None), result.message.en


def test_a_wrong_answer_that_is_no_known_slip_names_none() -> None:
    result = judged("exercise5", "iris-146x5x4", lambda seq, size: seq)  # "2 dimensions instead of 3"
    assert (result.status, result.slip) == ("failed", None)
    assert "2 dimensions instead of 3" in result.message.en


def test_the_shape_helper_names_the_slip_on_its_exception() -> None:
    with pytest.raises(CheckFailed) as failed:
        expect_shape(np.zeros((145, 5, 4)), (146, 5, 4), what="split_x(iris, 5)")
    assert failed.value.slip == "off-by-one"
    assert failed.value.message.en == (
        "split_x(iris, 5): expected shape (146, 5, 4), got (145, 5, 4) — one row too few: windows of `size` over n "
        "items number n - size + 1"
    )


def test_a_regression_model_ending_in_softmax_is_named() -> None:
    measured = {"loaded": True, "output_shape": [None, 1], "output_activation": "softmax", "layers": ["Dense"]}
    _, message, checks = judge_model(find_exercise("exercise4"), {**measured, "metric": 0.1})
    assert [(c.name, c.slip) for c in checks] == [("loads", None), ("contract", "softmax-regression"), ("metric", None)]
    assert "a softmax output always sums to 1" in message.en
    _, _, checks = judge_model(find_exercise("exercise4"), {**measured, "output_activation": "relu", "metric": 0.1})
    assert all(c.slip is None for c in checks)


def test_a_graded_submission_carries_its_slip_in_the_report() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_return_in_loop.py", seed=1234)
    failed = [c for c in report.checks if c.status == "failed"]
    assert failed and any(c.slip == "return-in-loop" for c in failed)
    assert {c.slip for c in report.checks if c.status == "passed"} == {None}
    again = Report.from_json(json.loads(report.dumps()))
    assert [c.slip for c in again.checks] == [c.slip for c in report.checks]


def test_a_check_result_keeps_its_slip_through_json_and_an_older_one_has_none() -> None:
    result = CheckResult("c", Text("t", "t"), 0.0, 10.0, "failed", Text("m", "m"), slip="off-by-one")
    data = result.to_json()
    assert data["slip"] == "off-by-one" and CheckResult.from_json(data) == result
    del data["slip"]  # a report stored before slips were named
    assert CheckResult.from_json(data).slip is None


def test_naming_a_slip_adds_its_hint_and_its_name() -> None:
    failed = CheckFailed(Text("wrong", "틀림"))
    assert failed.slip is None
    failed.named("off-by-one", Text(" — one short", " — 하나 부족"))
    assert (failed.message, failed.slip, str(failed)) == (
        Text("wrong — one short", "틀림 — 하나 부족"),
        "off-by-one",
        "wrong — one short",
    )
    with pytest.raises(AssertionError):
        failed.named("no-such-slip", EMPTY)


def test_every_slip_has_a_kebab_case_name_and_both_languages() -> None:
    assert set(FLAWED) | {"softmax-regression"} == set(SLIPS)  # each slip is made above
    for name, known in SLIPS.items():
        assert known.name == name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        for text in (known.title, known.concept):
            assert text.en.strip() and text.ko.strip()
            assert re.search("[가-힣]", text.ko), name
    assert slip("return-in-loop") is SLIPS["return-in-loop"]
    with pytest.raises(KeyError, match="no-such-slip"):
        slip("no-such-slip")
