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


def _reviews(rng: np.random.Generator, labels: np.ndarray, band: int) -> np.ndarray:
    """Ragged word-index lists: each class uses its own band of words plus shared common words."""
    out = np.empty(len(labels), dtype=object)
    for i, label in enumerate(labels):
        length = int(rng.integers(20, 80))
        own = rng.integers(1 + band * int(label), 1 + band * (int(label) + 1), size=length // 2)
        common = rng.integers(1000, 3000, size=length - len(own))
        words = np.concatenate([own, common])
        rng.shuffle(words)
        out[i] = [int(w) for w in words]
    return out


def _word_index(root: Path, name: str) -> None:
    import json

    (root / name).write_text(json.dumps({f"word{i}": i for i in range(1, 3001)}))


def write_imdb_like(root: Path, n_train: int = 2000, n_test: int = 400, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    y_train, y_test = rng.integers(0, 2, n_train), rng.integers(0, 2, n_test)
    splits = Splits(_reviews(rng, y_train, 200), y_train, _reviews(rng, y_test, 200), y_test)
    write_splits(DATASETS["imdb"], root, splits)
    _word_index(root, "imdb_word_index.json")
    return root


def write_reuters_like(root: Path, n: int = 2300, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 46, n)
    root.mkdir(parents=True, exist_ok=True)
    np.savez(root / "reuters.npz", x=_reviews(rng, y, 20), y=y)
    _word_index(root, "reuters_word_index.json")
    return root


def write_cifar_like(root: Path, n_test: int = 1000, seed: int = 0) -> Path:
    """50,000 training images (keras reads exactly that many) whose class sets a colour and a band."""
    rng = np.random.default_rng(seed)

    def images(n: int) -> tuple[np.ndarray, np.ndarray]:
        y = rng.integers(0, 10, size=n).astype(np.uint8)
        x = rng.integers(0, 40, size=(n, 32, 32, 3), dtype=np.uint8)
        for k in range(10):
            x[y == k, 3 * k : 3 * k + 3, :, k % 3] += 200
        return x, y.reshape(-1, 1)

    x_train, y_train = images(50_000)
    x_test, y_test = images(n_test)
    write_splits(DATASETS["cifar10"], root, Splits(x_train, y_train, x_test, y_test))
    return root
