"""Hidden checks for exercise2 (sequence-windows): ``split_x`` and ``split_xy`` on 1-D sequences."""

from __future__ import annotations

import numpy as np

from grader.check import CheckFailed, call, check
from grader.check.expect import expect_array_equal, expect_raises, expect_sequence, expect_unchanged
from grader.check.windows import expect_windows, random_sequence, reference_windows, same_values
from grader.text import Text


def _length(rng: np.random.Generator) -> int:
    return int(rng.integers(8, 60))


@check("statement-example", points=10, en="1..10 with size 5 gives the 6×5 windows", ko="1..10, size 5 → 6×5 윈도우")
def statement_example(rng):
    seq = np.arange(1, 11)
    (got,) = yield [call("split_x", seq, 5)]
    expect_array_equal(got.value(), reference_windows(seq, 5), what="split_x(np.arange(1, 11), 5)", public=True)


@check(
    "split-x-random",
    points=25,
    en="split_x on random sequences, int and float",
    ko="무작위 수열에 split_x, 정수와 실수",
)
def split_x_random(rng):
    seqs = [random_sequence(rng, (_length(rng),)) for _ in range(3)]
    sizes = [3, *(int(rng.integers(2, len(s) - 1)) for s in seqs[1:])]  # one fixed size, two random
    got = yield [call("split_x", s, k) for s, k in zip(seqs, sizes, strict=True)]
    for returned, seq, size in zip(got, seqs, sizes, strict=True):
        expect_windows(returned, seq, size)


@check("split-x-edges", points=15, en="size == len(seq) and size == 1", ko="size == len(seq)과 size == 1")
def split_x_edges(rng):
    seq = random_sequence(rng, (_length(rng),))
    got = yield [call("split_x", seq, len(seq)), call("split_x", seq, 1)]
    for returned, size in zip(got, (len(seq), 1), strict=True):
        expect_windows(returned, seq, size)


@check(
    "split-xy",
    points=25,
    en="split_xy gives x = windows[:, :-1], y = windows[:, -1]",
    ko="split_xy: x = windows[:, :-1], y = windows[:, -1]",
)
def split_xy(rng):
    seqs = [random_sequence(rng, (_length(rng),)) for _ in range(2)]
    sizes = [3, int(rng.integers(2, len(seqs[1]) - 1))]  # one fixed size, one random
    got = yield [call("split_xy", s, k) for s, k in zip(seqs, sizes, strict=True)]
    for returned, seq, size in zip(got, seqs, sizes, strict=True):
        what = returned.call.describe()
        x, y = expect_sequence(returned.value(), 2, what=what)
        windows = reference_windows(seq, size)
        try:
            expect_array_equal(x, windows[:, :-1], what=f"x of {what}")
        except CheckFailed as failed:
            if (
                size < len(seq)
                and isinstance(x, np.ndarray)
                and same_values(x, reference_windows(seq, size + 1)[:, :-1])
            ):
                failed.named(
                    "size-counts-only-x",
                    Text(
                        " — x has `size` steps and y comes after them: here size counts the whole window, "
                        "so x is its first size - 1 values and y its last",
                        " — x가 size개 값이고 y가 그 다음 값입니다: 이 문제에서 size는 윈도우 전체 길이이므로 "
                        "x는 앞의 size - 1개, y는 마지막 값입니다",
                    ),
                )
            raise
        expect_array_equal(y, windows[:, -1], what=f"y of {what}")


# What split_x and split_xy are each asked is a check of its own, so a file with one of them
# keeps that one's points: a check over both would give nothing while the other is missing.
@check(
    "invalid-size",
    points=10,
    en="split_x: ValueError when size < 1 or size > len(seq)",
    ko="split_x: size < 1 또는 size > len(seq)이면 ValueError",
    validates_input=True,
)
def invalid_size(rng):
    seq = random_sequence(rng, (_length(rng),))
    got = yield [call("split_x", seq, 0), call("split_x", seq, -2), call("split_x", seq, len(seq) + 1)]
    for returned in got:
        expect_raises(returned, "ValueError", what=returned.call.describe())


@check(
    "invalid-size-xy",
    points=5,
    en="split_xy: ValueError when size > len(seq)",
    ko="split_xy: size > len(seq)이면 ValueError",
    validates_input=True,
)
def invalid_size_xy(rng):
    seq = random_sequence(rng, (_length(rng),))
    (returned,) = yield [call("split_xy", seq, len(seq) + 1)]
    expect_raises(returned, "ValueError", what=returned.call.describe())


def _unchanged(function: str):
    def plan(rng):
        # The statement's size: a function wrong for other sizes (one that raises there) is judged
        # on what this check asks alone, and alike on every seed.
        seq = random_sequence(rng, (_length(rng),))
        (returned,) = yield [call(function, seq, 5, observe_args=True)]
        expect_unchanged(returned, what=returned.call.describe())

    return plan


input_unchanged = check(
    "input-unchanged",
    points=5,
    en="split_x leaves its input sequence unchanged",
    ko="split_x가 입력 수열을 수정하지 않음",
)(_unchanged("split_x"))
input_unchanged_xy = check(
    "input-unchanged-xy",
    points=5,
    en="split_xy leaves its input sequence unchanged",
    ko="split_xy가 입력 수열을 수정하지 않음",
)(_unchanged("split_xy"))


CHECKS = (
    statement_example,
    split_x_random,
    split_x_edges,
    split_xy,
    invalid_size,
    invalid_size_xy,
    input_unchanged,
    input_unchanged_xy,
)
