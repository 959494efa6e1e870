"""The time-series dataset: a seasonal series with trend and noise that the grader makes itself.

It is generated, not downloaded, so it works offline and is the same everywhere: the legacy
``RandomState`` stream is frozen across NumPy versions, and values are written with fixed
precision, so the file's hash is stable (`grade data status` reports it as official).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

LENGTH = 4000
SEED = 51


def seasonal_series(length: int = LENGTH, seed: int = SEED) -> np.ndarray:
    """Daily values: baseline 10, trend 0.05 a day, a yearly pattern of amplitude 40, noise sd 5."""
    time = np.arange(length, dtype=np.float64)
    phase = (time % 365) / 365
    season = np.where(phase < 0.4, np.cos(phase * 2 * np.pi), 1 / np.exp(3 * phase))
    noise = np.random.RandomState(seed).randn(length) * 5.0
    return np.round(10.0 + 0.05 * time + 40.0 * season + noise, 4)


def write_series_csv(path: Path, values: np.ndarray) -> None:
    buffer = io.StringIO()
    buffer.write("day,value\n")
    for day, value in enumerate(values):
        buffer.write(f"{day},{value:.4f}\n")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(buffer.getvalue(), encoding="ascii")
    os.replace(tmp, path)


def read_series_csv(path: Path) -> np.ndarray:
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    return data[:, 1]
