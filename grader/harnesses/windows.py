"""Trusted windowing reference and input makers shared by exercises 2 and 5."""

from __future__ import annotations

import numpy as np

from grader.check import Returned
from grader.expect import expect_array_equal

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


def expect_windows(returned: Returned, seq: np.ndarray, size: int) -> np.ndarray:
    """The call's answer must equal the reference windows of ``seq``."""
    return expect_array_equal(returned.value(), reference_windows(seq, size), what=returned.call.describe())
