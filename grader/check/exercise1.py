"""Hidden checks for exercise1 (split): ``split_train_val_test``.

Unshuffled splits are compared exactly with the reference. Shuffled ones cannot be (the
learner's random generator is theirs), so their properties are checked instead: sizes, every
row exactly once, x/y pairs intact, same seed → same split.
"""

from __future__ import annotations

import math

import numpy as np

from grader.check import CheckFailed, call, check
from grader.check.expect import expect_array_equal, expect_ndarray, expect_sequence, expect_unchanged
from grader.text import Text, with_particle

PARTS = ("train", "val", "test")


def part_sizes(n: int, train: float, val: float) -> tuple[int, int, int]:
    a, b = math.floor(n * train), math.floor(n * val)
    return a, b, n - a - b


def reference_split(x: np.ndarray, y: np.ndarray, train: float = 0.6, val: float = 0.2):
    a, b, _ = part_sizes(len(x), train, val)
    return (x[:a], y[:a]), (x[a : a + b], y[a : a + b]), (x[a + b :], y[a + b :])


def rounding_sensitive_n(rng: np.random.Generator, train: float, val: float, low: int = 40, high: int = 400) -> int:
    """A length where round() and floor() disagree for a part, so rounding cannot pass by luck."""
    while True:
        n = int(rng.integers(low, high))
        fractions = (n * train % 1, n * val % 1)
        if any(0.55 < f < 0.95 for f in fractions):
            return n


def id_rows(rng: np.random.Generator, n: int, features: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """x whose column 0 is a unique row id, and y derived from it: pairs can be verified after a shuffle."""
    ids = rng.permutation(n * 10)[:n].astype(np.float64)
    x = np.column_stack([ids, rng.normal(size=(n, features - 1))])
    return x, ids * 7 + 3


def unpack(got, what: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """The three (x, y) pairs, each an array of rows: a clear message for any other shape of answer."""
    parts = expect_sequence(got, 3, what=what)
    pairs = []
    for name, part in zip(PARTS, parts, strict=True):
        px, py = expect_sequence(part, 2, what=f"{what}: the {name} part")
        pairs.append(
            (_rows(expect_ndarray(px, f"x_{name}"), f"x_{name}"), _rows(expect_ndarray(py, f"y_{name}"), f"y_{name}"))
        )
    return pairs


def _rows(part: np.ndarray, name: str) -> np.ndarray:
    if part.ndim == 0:
        raise CheckFailed(
            Text(
                f"{name} is a single value (a 0-d array, {part.dtype}); expected rows of the input, as they were given",
                f"{with_particle(name, '이/가')} 값 하나입니다 (0차원 배열, {part.dtype}); 입력의 행들을 주어진 "
                "모양대로 반환해야 합니다",
            )
        )
    return part


def shuffled_rows(pairs, what: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pairs a shuffle check can follow row by row: x 2-D numbers (its column 0 is the row id), y
    numbers with one value a row. Anything else fails with its shape and dtype, before indexing."""
    for name, (px, py) in zip(PARTS, pairs, strict=True):
        numeric_x = px.ndim == 2 and px.shape[1] >= 1 and px.dtype.kind in "iuf"
        numeric_y = py.ndim == 1 and py.dtype.kind in "iuf"
        if not (numeric_x and numeric_y):
            raise CheckFailed(
                Text(
                    f"{what}: the {name} part is x {px.shape} {px.dtype}, y {py.shape} {py.dtype}; expected x as "
                    "rows of numbers like the input (2-D) and y with one number a row (1-D)",
                    f"{what}: {name} 부분이 x {px.shape} {px.dtype}, y {py.shape} {py.dtype}입니다; x는 입력처럼 숫자 "
                    "행들(2차원), y는 행마다 숫자 하나(1차원)여야 합니다",
                )
            )
    return pairs


def expect_sizes(pairs, n: int, train: float, val: float, what: str) -> None:
    want = part_sizes(n, train, val)
    got = tuple(len(px) for px, _ in pairs)
    if got == want and all(len(py) == size for (_, py), size in zip(pairs, want, strict=True)):
        return
    rounded = (round(n * train), round(n * val))
    failed = CheckFailed(
        Text(
            f"{what}: expected part sizes {want} (floor(n·train), floor(n·val), rest) for n={n}, got {got}",
            f"{what}: n={n}일 때 크기 {want} (floor(n·train), floor(n·val), 나머지)여야 하는데 {got}입니다",
        )
    )
    if got[:2] == rounded:
        failed.named(
            "sizes-rounded",
            Text(
                " — it looks rounded; sizes use floor (int(n * train))",
                " — 반올림한 것 같습니다; 크기는 내림(int(n * train))입니다",
            ),
        )
    raise failed


def expect_same_split(pairs, reference, what: str) -> None:
    for name, (px, py), (rx, ry) in zip(PARTS, pairs, reference, strict=True):
        expect_array_equal(px, rx, what=f"{what}: x_{name}")
        expect_array_equal(py, ry, what=f"{what}: y_{name}")


def expect_unshuffled_split(returned, x, y, train: float = 0.6, val: float = 0.2) -> None:
    """Sizes floored and parts equal to plain slices of the inputs, in order."""
    what = returned.call.describe()
    pairs = unpack(returned.value(), what)
    expect_sizes(pairs, len(x), train, val, what)
    expect_same_split(pairs, reference_split(x, y, train, val), what)


@check("default-split", points=20, en="defaults: 60/20/20 split in row order", ko="기본값: 행 순서대로 60/20/20 분할")
def default_split(rng):
    n = rounding_sensitive_n(rng, 0.6, 0.2)
    x, y = id_rows(rng, n)
    (got,) = yield [call("split_train_val_test", x, y)]
    expect_unshuffled_split(got, x, y)


@check(
    "custom-fractions", points=20, en="train= and val= fractions, sizes floored", ko="train=, val= 비율, 크기는 내림"
)
def custom_fractions(rng):
    fractions = [(0.7, 0.15), (0.5, 0.25)]
    data = []
    for train, val in fractions:
        n = rounding_sensitive_n(rng, train, val)
        data.append(id_rows(rng, n))
    got = yield [
        call("split_train_val_test", x, y, train=train, val=val, shuffle=False)
        for (x, y), (train, val) in zip(data, fractions, strict=True)
    ]
    for returned, (x, y), (train, val) in zip(got, data, fractions, strict=True):
        expect_unshuffled_split(returned, x, y, train, val)


@check("small-1d", points=10, en="a small 1-D x (n=7 gives 4/1/2)", ko="작은 1차원 x (n=7 → 4/1/2)")
def small_1d(rng):
    n = 7
    x = rng.integers(0, 100, size=n)
    y = rng.integers(0, 2, size=n)
    (got,) = yield [call("split_train_val_test", x, y)]
    expect_unshuffled_split(got, x, y)


@check(
    "shuffle-covers-rows",
    points=15,
    en="shuffle=True permutes: every row lands exactly once",
    ko="shuffle=True: 모든 행이 정확히 한 번씩",
)
def shuffle_covers_rows(rng):
    n = rounding_sensitive_n(rng, 0.6, 0.2, low=100, high=300)
    x, y = id_rows(rng, n)
    (got,) = yield [call("split_train_val_test", x, y, shuffle=True, seed=int(rng.integers(1000)))]
    what = got.call.describe()
    pairs = unpack(got.value(), what)
    expect_sizes(pairs, n, 0.6, 0.2, what)
    pairs = shuffled_rows(pairs, what)
    seen = np.concatenate([px[:, 0] for px, _ in pairs])
    if not np.array_equal(np.sort(seen), np.sort(x[:, 0])):
        raise CheckFailed(
            Text(
                f"{what}: the parts do not hold each input row exactly once (rows lost or repeated)",
                f"{what}: 각 입력 행이 정확히 한 번씩 들어 있지 않습니다 (빠지거나 중복된 행)",
            )
        )
    if np.array_equal(seen, x[:, 0]):
        raise CheckFailed(
            Text(
                f"{what}: shuffle=True left the rows in their original order",
                f"{what}: shuffle=True인데 행 순서가 그대로입니다",
            )
        )


@check(
    "shuffle-keeps-pairs",
    points=15,
    en="shuffle=True keeps each x row with its y",
    ko="shuffle=True: x 행과 y가 짝을 유지",
)
def shuffle_keeps_pairs(rng):
    n = int(rng.integers(100, 300))
    x, y = id_rows(rng, n)
    (got,) = yield [call("split_train_val_test", x, y, shuffle=True, seed=int(rng.integers(1000)))]
    what = got.call.describe()
    for name, (px, py) in zip(PARTS, shuffled_rows(unpack(got.value(), what), what), strict=True):
        if len(px) != len(py) or not np.array_equal(py, px[:, 0] * 7 + 3):
            raise CheckFailed(
                Text(
                    f"{what}: in the {name} part, rows of x no longer line up with their y — "
                    "shuffle x and y with the same permutation (idx = rng.permutation(n); x[idx], y[idx])",
                    f"{what}: {name} 부분에서 x의 행과 y의 짝이 맞지 않습니다 — "
                    "x와 y를 같은 순열로 섞으세요 (idx = rng.permutation(n); x[idx], y[idx])",
                )
            )


@check("seed-reproducible", points=10, en="the same seed gives the same split", ko="같은 seed → 같은 분할")
def seed_reproducible(rng):
    n = int(rng.integers(50, 200))
    x, y = id_rows(rng, n)
    seed = int(rng.integers(10_000))
    got = yield [call("split_train_val_test", x, y, shuffle=True, seed=seed) for _ in range(2)]
    first, second = (unpack(r.value(), r.call.describe()) for r in got)
    for name, (ax, _), (bx, _) in zip(PARTS, first, second, strict=True):
        if ax.shape != bx.shape or not np.array_equal(ax, bx):
            raise CheckFailed(
                Text(
                    f"two calls with seed={seed} gave different {name} parts; "
                    "use a generator seeded with it (np.random.default_rng(seed))",
                    f"{with_particle(f'seed={seed}', '으로/로')} 두 번 호출했는데 {name} 부분이 다릅니다; "
                    "그 seed로 만든 생성기를 쓰세요 (np.random.default_rng(seed))",
                )
            )


@check(
    "inputs-unchanged",
    points=10,
    en="x and y are not modified (also when shuffling)",
    ko="x와 y를 수정하지 않음 (섞을 때도)",
)
def inputs_unchanged(rng):
    x, y = id_rows(rng, int(rng.integers(30, 100)))
    got = yield [
        call("split_train_val_test", x, y, observe_args=True),
        call("split_train_val_test", x, y, shuffle=True, seed=1, observe_args=True),
    ]
    for returned in got:
        expect_unchanged(returned, what=returned.call.describe())


CHECKS = (
    default_split,
    custom_fractions,
    small_1d,
    shuffle_covers_rows,
    shuffle_keeps_pairs,
    seed_reproducible,
    inputs_unchanged,
)
