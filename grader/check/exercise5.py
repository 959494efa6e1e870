"""Hidden checks for exercise5 (iris-windows): ``split_x`` over arrays of any trailing shape."""

from __future__ import annotations

from grader.check import call, check
from grader.check.expect import expect_raises, expect_unchanged
from grader.check.windows import expect_windows, iris_like, random_sequence


@check(
    "iris-146x5x4", points=20, en="iris-like 150×4 with size 5 gives 146×5×4", ko="iris 형태 150×4, size 5 → 146×5×4"
)
def iris_shape(rng):
    seq = iris_like(rng)
    (got,) = yield [call("split_x", seq, 5)]
    expect_windows(got, seq, 5, what="split_x(iris, 5)")


@check(
    "iris-other-size", points=15, en="iris-like data with another window size", ko="iris 형태 데이터, 다른 윈도우 크기"
)
def iris_other_size(rng):
    # Fixed sizes on either side of 5, and a random one: a file that ignores `size` fails on every seed.
    seq = iris_like(rng)[: rng.integers(40, 150)]
    sizes = (3, 7, int(rng.integers(2, 12)))
    got = yield [call("split_x", seq, size) for size in sizes]
    for returned, size in zip(got, sizes, strict=True):
        expect_windows(returned, seq, size, what=f"split_x(seq[{len(seq)}×4], {size})")


@check(
    "trailing-shapes",
    points=20,
    en="(n, f) and (n, f, g) inputs, int and float",
    ko="(n, f)와 (n, f, g) 입력, 정수와 실수",
)
def trailing_shapes(rng):
    shapes = [(int(rng.integers(10, 60)), int(rng.integers(1, 7))) for _ in range(2)]
    shapes.append((int(rng.integers(10, 40)), int(rng.integers(2, 4)), int(rng.integers(2, 4))))
    seqs = [random_sequence(rng, s) for s in shapes]
    sizes = [3, *(int(rng.integers(2, len(s) - 1)) for s in seqs[1:])]  # one fixed size, two random
    got = yield [call("split_x", s, k) for s, k in zip(seqs, sizes, strict=True)]
    for returned, seq, size in zip(got, seqs, sizes, strict=True):
        expect_windows(returned, seq, size)


@check("one-d-input", points=15, en="1-D input still works", ko="1차원 입력도 동작")
def one_d_input(rng):
    seq = random_sequence(rng, (int(rng.integers(8, 50)),))
    sizes = (3, int(rng.integers(2, len(seq) - 1)))  # a fixed case and a random one
    got = yield [call("split_x", seq, size, observe_args=True) for size in sizes]
    for returned, size in zip(got, sizes, strict=True):
        expect_windows(returned, seq, size)
        expect_unchanged(returned, what=returned.call.describe())


@check("edge-sizes", points=15, en="size == len(seq) and size == 1", ko="size == len(seq)과 size == 1")
def edge_sizes(rng):
    seq = random_sequence(rng, (int(rng.integers(5, 30)), 4))
    got = yield [call("split_x", seq, len(seq)), call("split_x", seq, 1)]
    for returned, size in zip(got, (len(seq), 1), strict=True):
        expect_windows(returned, seq, size)


@check(
    "invalid-size",
    points=15,
    en="ValueError when size < 1 or size > len(seq)",
    ko="size < 1 또는 size > len(seq)이면 ValueError",
    validates_input=True,
)
def invalid_size(rng):
    seq = iris_like(rng)[: rng.integers(10, 30)]
    got = yield [call("split_x", seq, 0), call("split_x", seq, -1), call("split_x", seq, len(seq) + 1)]
    for returned in got:
        expect_raises(returned, "ValueError", what=returned.call.describe())


CHECKS = (iris_shape, iris_other_size, trailing_shapes, one_d_input, edge_sizes, invalid_size)
