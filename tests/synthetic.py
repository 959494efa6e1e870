"""Small datasets in the real keras file formats, with separable classes.

Tiny models clear the real thresholds on them in seconds, so the whole model pipeline can be
tested without downloading anything.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grader.data.formats import Splits, write_splits
from grader.data.registry import DATASETS


def separable_images(
    rng: np.random.Generator, n: int, classes: int = 10, side: int = 28
) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images where class k lights a distinct band of rows, plus noise."""
    y = rng.integers(0, classes, size=n).astype(np.uint8)
    x = rng.integers(0, 60, size=(n, side, side)).astype(np.uint8)
    band = side // classes
    for k in range(classes):
        x[y == k, k * band : (k + 1) * band, :] += 180
    return x, y


def write_image_dataset(name: str, root: Path, n_train: int = 3000, n_test: int = 600, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    x_train, y_train = separable_images(rng, n_train)
    x_test, y_test = separable_images(rng, n_test)
    write_splits(DATASETS[name], root, Splits(x_train, y_train, x_test, y_test))
    return root


def write_boston_like(root: Path, n: int = 506, seed: int = 0) -> Path:
    """13 features, a target that is a smooth function of them (R2 ≥ 0.8 is reachable)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 13)) * rng.uniform(1, 50, size=13) + rng.uniform(0, 100, size=13)
    z = (x - x.mean(0)) / x.std(0)
    y = 22 + 4 * z[:, 0] - 3 * z[:, 5] + 2 * z[:, 12] + rng.normal(0, 1.0, size=n)
    root.mkdir(parents=True, exist_ok=True)
    np.savez(root / "boston_housing.npz", x=x, y=y)
    return root
