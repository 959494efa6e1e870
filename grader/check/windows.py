"""Trusted windowing reference and input makers shared by exercises 2 and 5."""

from __future__ import annotations

import numpy as np

from grader.check import CheckFailed, Returned
from grader.check.expect import expect_array_equal
from grader.text import Text

DTYPES = (np.int64, np.int32, np.float32, np.float64)


def reference_windows(seq: np.ndarray, size: int) -> np.ndarray:
    """Row i is ``seq[i:i+size]``; works for any trailing shape."""
    if size < 1 or size > len(seq):
        raise ValueError(f"size must be in 1..{len(seq)}, got {size}")
    return np.stack([seq[i : i + size] for i in range(len(seq) - size + 1)])


def random_sequence(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Distinct-looking values of a random dtype, so swapped or shifted rows never match by luck."""
    dtype = DTYPES[rng.integers(len(DTYPES))]
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-1000, 1000, size=shape).astype(dtype)
    return rng.normal(0, 10, size=shape).astype(dtype)


def iris_like(rng: np.random.Generator) -> np.ndarray:
    """150×4 float64 with iris' value ranges and one decimal, e.g. ``[5.1, 3.5, 1.4, 0.2]``."""
    low = np.array([4.3, 2.0, 1.0, 0.1])
    high = np.array([7.9, 4.4, 6.9, 2.5])
    return np.round(rng.uniform(low, high, size=(150, 4)), 1)


def expect_windows(returned: Returned, seq: np.ndarray, size: int, what: str | None = None) -> np.ndarray:
    """The call's answer must equal the reference windows of ``seq``; a wrong one that matches
    a known slip gets the slip named."""
    got = returned.value()
    try:
        return expect_array_equal(got, reference_windows(seq, size), what=what or returned.call.describe())
    except CheckFailed as failed:
        slip = window_slip(got, seq, size) if isinstance(got, np.ndarray) else None
        if slip is not None:
            failed.named(*slip)
        raise


def same_values(a: np.ndarray, b: np.ndarray) -> bool:
    """Same shape and (numerically) the same values."""
    return a.shape == b.shape and a.dtype.kind in "biuf" and np.allclose(a.astype(np.float64), b.astype(np.float64))


def _windows_of(got: np.ndarray, seq: np.ndarray, size: int) -> bool:
    """Whether ``got`` is the first windows of ``size`` rows of ``seq`` (all of them, or as many
    as a loop over another size made)."""
    windows = reference_windows(seq, size)
    return 1 <= len(got) <= len(windows) and same_values(got, windows[: len(got)])


def window_slip(got: np.ndarray, seq: np.ndarray, size: int) -> tuple[str, Text] | None:
    """The slip's name (`grader.check.slips`) and the hint for the learner when a wrong answer is
    a known wrong way of windowing ``seq``; None when it is none of them."""
    windows = reference_windows(seq, size)
    if got.ndim == windows.ndim + 1 and got.shape[1] == 1 and same_values(got[:, 0], windows):
        return "extra-axis", Text(
            " — every window sits in an extra axis of length 1: aaa.append([subset]) wraps it in a list; "
            "use aaa.append(subset)",
            " — 윈도우마다 길이 1인 축이 하나 더 있습니다: aaa.append([subset])이 리스트로 한 번 더 감쌉니다; "
            "aaa.append(subset)을 쓰세요",
        )
    if len(windows) > 1 and (same_values(got, windows[0]) or same_values(got, windows[:1])):
        return "return-in-loop", Text(
            " — only the first window came back: is `return` inside the for loop? Move it after the loop",
            " — 첫 윈도우 하나만 돌아왔습니다: `return`이 for 반복문 안에 있나요? 반복문 뒤로 옮기세요",
        )
    if seq.ndim >= 2 and size <= seq.shape[1]:
        across = np.stack([seq[:, i : i + size] for i in range(seq.shape[1] - size + 1)])
        if same_values(got, across):
            return "windows-along-features", Text(
                " — the windows were taken along axis 1 (the features), not along axis 0 (the rows): "
                "slice rows with seq[i:i + size]",
                " — 윈도우를 1번 축(특성)을 따라 잘랐습니다; 0번 축(행)을 따라 seq[i:i + size]로 자르세요",
            )
    fixed = got.shape[1] if got.ndim == windows.ndim and got.ndim >= 2 else None
    if fixed is not None and fixed != size and 1 <= fixed <= len(seq) and _windows_of(got, seq, fixed):
        return "hard-coded-size", Text(
            f" — every window has {fixed} rows, though size was {size}: is the window size written as a number "
            f"(seq[i:i + {fixed}]) instead of the argument? Use seq[i:i + size]",
            f" — size가 {size}인데 윈도우마다 행이 {fixed}개입니다: 윈도우 크기를 인자 대신 숫자로 "
            f"(seq[i:i + {fixed}]) 썼나요? seq[i:i + size]를 쓰세요",
        )
    rows = got.shape[0] + size - 1 if got.ndim >= 2 and got.shape[1] == size else None
    if rows is not None and abs(rows - len(seq)) > 1:
        return "reads-global", Text(
            f" — these are the windows of a sequence of {rows} rows, but the input has {len(seq)}: does the "
            "function read a global (dataset, say) instead of its argument seq?",
            f" — 행이 {rows}개인 수열의 윈도우인데 입력은 {len(seq)}행입니다: 함수가 인자 seq 대신 전역 변수"
            "(dataset 등)를 읽고 있나요?",
        )
    return None
