"""Hidden checks for exercise3 (scaler-order): ``scale(x_train, x_val, x_test, kind)``.

The reference matches scikit-learn's MinMaxScaler / StandardScaler (population std, and a
constant column scaled by 1) without importing scikit-learn into the grader. When an answer is
wrong, the message says whether it matches a known slip: statistics from all the data, or
from each set separately.
"""

from __future__ import annotations

import numpy as np

from grader.check import CheckFailed, call, check
from grader.check.expect import expect_array_equal, expect_finite, expect_sequence, expect_shape, expect_unchanged
from grader.text import Text

PARTS = ("x_train", "x_val", "x_test")


def fit(x: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(offset, scale) so that scaled = (x - offset) / scale; zero spread is replaced by 1."""
    x = x.astype(np.float64)
    if kind == "minmax":
        offset, spread = x.min(axis=0), x.max(axis=0) - x.min(axis=0)
    else:
        offset, spread = x.mean(axis=0), x.std(axis=0)
    return offset, np.where(spread == 0, 1.0, spread)


def reference_scale(parts: tuple[np.ndarray, ...], kind: str, fit_on: np.ndarray | None = None) -> list[np.ndarray]:
    offset, spread = fit(parts[0] if fit_on is None else fit_on, kind)
    return [(p.astype(np.float64) - offset) / spread for p in parts]


def _slip(got: list[np.ndarray], parts: tuple[np.ndarray, ...], kind: str) -> tuple[str, Text] | None:
    """The slip's name (`grader.check.slips`) and the hint for the learner when the answer
    matches a known wrong way of scaling; None when it matches none."""

    def matches(candidate: list[np.ndarray]) -> bool:
        return all(  # only real numbers can match: strings, dates or complex values name no slip
            g.dtype.kind in "biuf" and g.shape == c.shape and np.allclose(g.astype(np.float64), c, equal_nan=True)
            for g, c in zip(got, candidate, strict=True)
        )

    if matches(reference_scale(parts, kind, fit_on=np.concatenate(parts))):
        return "scaler-fit-on-all-data", Text(
            " — these are statistics from all the data (train + val + test): fit on x_train only, "
            "or the test set leaks into training",
            " — 전체 데이터(train + val + test)로 통계를 구했습니다: x_train으로만 fit 하세요 (테스트 정보 누수)",
        )
    if matches([reference_scale((p,), kind)[0] for p in parts]):
        return "scaler-fit-per-set", Text(
            " — each set was scaled with its own statistics: fit once on x_train, then transform all three",
            " — 각 세트를 자기 통계로 스케일링했습니다: x_train으로 한 번 fit 한 뒤 세 세트 모두 transform 하세요",
        )
    return None


def expect_scaled(got, parts: tuple[np.ndarray, ...], kind: str, what: str) -> None:
    arrays = list(expect_sequence(got, 3, what=what))
    expected = reference_scale(parts, kind)
    try:
        for name, arr, want in zip(PARTS, arrays, expected, strict=True):
            # Finite first: NaN from a constant column deserves its own explanation.
            expect_finite(expect_shape(arr, want.shape, what=f"{what}: scaled {name}"), what=f"{what}: scaled {name}")
            expect_array_equal(arr, want, what=f"{what}: scaled {name}", rtol=1e-5, atol=1e-8)
    except CheckFailed as failed:
        slip = _slip(arrays, parts, kind) if all(isinstance(a, np.ndarray) for a in arrays) else None
        if slip is not None:
            failed.named(*slip)
        raise


def random_parts(rng: np.random.Generator, integer: bool = False) -> tuple[np.ndarray, ...]:
    features = int(rng.integers(2, 6))
    sizes = (int(rng.integers(30, 80)), int(rng.integers(8, 20)), int(rng.integers(8, 20)))
    centre = rng.normal(0, 50, size=features)
    spread = rng.uniform(1, 20, size=features)
    parts = tuple(centre + spread * rng.normal(size=(n, features)) for n in sizes)
    # Val/test drift a little, as real data does, so statistics fitted elsewhere visibly differ.
    parts = (parts[0], parts[1] + spread * 0.5, parts[2] - spread * 0.5)
    if integer:
        return tuple(np.round(p).astype(np.int64) for p in parts)
    return parts


@check("minmax", points=20, en='kind="minmax" fitted on x_train only', ko='kind="minmax", x_train으로만 fit')
def minmax(rng):
    parts = random_parts(rng)
    (got,) = yield [call("scale", *parts, kind="minmax")]
    expect_scaled(got.value(), parts, "minmax", got.call.describe())


@check("standard", points=20, en='kind="standard" fitted on x_train only', ko='kind="standard", x_train으로만 fit')
def standard(rng):
    parts = random_parts(rng)
    (got,) = yield [call("scale", *parts, kind="standard")]
    expect_scaled(got.value(), parts, "standard", got.call.describe())


@check("default-kind", points=10, en="kind defaults to minmax", ko="kind 기본값은 minmax")
def default_kind(rng):
    parts = random_parts(rng)
    (got,) = yield [call("scale", *parts)]
    expect_scaled(got.value(), parts, "minmax", got.call.describe())


@check(
    "constant-column",
    points=20,
    en="a constant column gives no NaN/inf (as scikit-learn)",
    ko="상수 열에서 NaN/inf 없음 (scikit-learn과 동일)",
)
def constant_column(rng):
    parts = [p.copy() for p in random_parts(rng)]
    column = int(rng.integers(parts[0].shape[1]))
    parts[0][:, column] = 3.0
    parts[1][:, column] = 3.5  # val/test differ there: the scale of 1 must show
    parts = tuple(parts)
    got = yield [call("scale", *parts, kind=k) for k in ("minmax", "standard")]
    for returned, kind in zip(got, ("minmax", "standard"), strict=True):
        expect_scaled(returned.value(), parts, kind, returned.call.describe())


@check("integer-input", points=15, en="integer arrays scale to floats", ko="정수 배열도 실수로 스케일링")
def integer_input(rng):
    parts = random_parts(rng, integer=True)
    got = yield [call("scale", *parts, kind=k) for k in ("minmax", "standard")]
    for returned, kind in zip(got, ("minmax", "standard"), strict=True):
        expect_scaled(returned.value(), parts, kind, returned.call.describe())


@check(
    "inputs-unchanged",
    points=15,
    en="x_train, x_val, x_test are not modified",
    ko="x_train, x_val, x_test를 수정하지 않음",
)
def inputs_unchanged(rng):
    parts = random_parts(rng)
    got = yield [call("scale", *parts, kind=k, observe_args=True) for k in ("minmax", "standard")]
    for returned in got:
        expect_unchanged(returned, what=returned.call.describe())


CHECKS = (minmax, standard, default_kind, constant_column, integer_input, inputs_unchanged)
