"""The public copy the sandbox's ``load_data()`` reads: the official shapes, and no hidden test row."""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.data import store
from grader.data.formats import Splits, public_splits, read_splits, write_splits
from grader.data.registry import BOSTON_HOUSING, DATASETS, FASHION_MNIST, SEASONAL_SERIES, Dataset
from grader.data.series import read_series_csv
from tests.synthetic import (
    write_boston_like,
    write_cifar_like,
    write_image_dataset,
    write_imdb_like,
    write_reuters_like,
)

DEBIAN_DATASETS = Path("/usr/share/datasets")

# One small set per keras format, split train:test as the official one is (MNIST 6:1, IMDB 1:1;
# boston and reuters are split by keras itself, 80/20).
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "mnist": lambda root: write_image_dataset("mnist", root, n_train=600, n_test=100),
    "fashion-mnist": lambda root: write_image_dataset("fashion-mnist", root, n_train=600, n_test=100),
    "boston-housing": write_boston_like,
    "imdb": lambda root: write_imdb_like(root, n_train=150, n_test=150),
    "reuters": lambda root: write_reuters_like(root, n=300),
}


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _rows(x: np.ndarray) -> list[bytes]:
    """Each example as bytes: images, feature rows and ragged word lists alike."""
    return [np.asarray(row).tobytes() for row in x]


def _assert_official_shapes_and_no_hidden_row(dataset: Dataset, data_dir: Path, home: Path) -> None:
    hidden = read_splits(dataset, data_dir)  # what load_data() returns outside the sandbox
    public = read_splits(dataset, home / "datasets")  # and inside it
    for part in ("x_train", "y_train", "x_test", "y_test"):
        ours, official = getattr(public, part), getattr(hidden, part)
        assert (part, ours.shape, ours.dtype) == (part, official.shape, official.dtype)
    assert _rows(public.x_train) == _rows(hidden.x_train) and np.array_equal(public.y_train, hidden.y_train)

    train, hidden_test = set(_rows(hidden.x_train)), set(_rows(hidden.x_test))
    assert not train & hidden_test  # the premise: the synthetic hidden rows are distinct
    assert not set(_rows(public.x_test)) & hidden_test
    label = dict(zip(_rows(hidden.x_train), hidden.y_train.tolist(), strict=True))
    assert [label[row] for row in _rows(public.x_test)] == public.y_test.tolist()  # training rows, labels kept


@pytest.mark.parametrize("name", list(BUILDERS))
def test_public_load_data_has_the_official_shapes_and_no_hidden_test_row(tmp_path, cache, name) -> None:
    dataset = DATASETS[name]
    data_dir = BUILDERS[name](tmp_path / "data")
    home = store.public_copy(dataset, data_dir)

    assert not home.is_relative_to(data_dir)
    _assert_official_shapes_and_no_hidden_row(dataset, data_dir, home)
    assert store.public_copy(dataset, data_dir) == home  # cached


def test_a_public_copy_of_an_older_build_is_not_reused(tmp_path, cache, monkeypatch) -> None:
    data_dir = BUILDERS["mnist"](tmp_path / "data")
    home = store.public_copy(DATASETS["mnist"], data_dir)
    monkeypatch.setattr(store, "PUBLIC_FORMAT_VERSION", store.PUBLIC_FORMAT_VERSION - 1)
    assert store.public_copy(DATASETS["mnist"], data_dir) != home


def test_the_public_series_is_the_history_without_its_hidden_tail(tmp_path, cache) -> None:
    data_dir = tmp_path / "data"
    store.fetch(SEASONAL_SERIES, data_dir)  # generated here, no network
    hidden = read_splits(SEASONAL_SERIES, data_dir)
    home = store.public_copy(SEASONAL_SERIES, data_dir)
    public = read_series_csv(home / "datasets" / SEASONAL_SERIES.files[0].path)
    assert np.array_equal(public, hidden.y_train) and len(hidden.y_test) == 500


@pytest.mark.slow
def test_public_cifar_has_50000_training_images_and_no_hidden_one(tmp_path, cache) -> None:
    data_dir = write_cifar_like(tmp_path / "data", n_test=500)
    home = store.public_copy(DATASETS["cifar10"], data_dir)
    _assert_official_shapes_and_no_hidden_row(DATASETS["cifar10"], data_dir, home)
    assert (home / "datasets" / "cifar-10-batches-py-target_archive").is_file()  # what keras 3 opens


@settings(deadline=None)
@given(n_train=st.integers(1, 300), n_test=st.integers(0, 400), seed=st.integers(0, 2**32 - 1))
def test_public_splits_keep_the_training_part_and_draw_the_test_part_from_it(n_train, n_test, seed) -> None:
    x_train, x_test = np.arange(n_train), np.arange(n_train, n_train + n_test)  # distinct rows
    public = public_splits(Splits(x_train, -x_train, x_test, -x_test), seed)
    assert np.array_equal(public.x_train, x_train) and np.array_equal(public.y_train, -x_train)
    assert len(public.x_test) == n_test and set(public.x_test.tolist()) <= set(x_train.tolist())
    assert np.array_equal(public.y_test, -public.x_test)
    if n_test <= n_train:  # a sample, not a repetition, wherever the training part is big enough
        assert len(set(public.x_test.tolist())) == n_test


@settings(deadline=None, max_examples=50)
@given(n=st.integers(2, 400), test_split=st.floats(0.05, 0.5), seed=st.integers(0, 2**32 - 1))
def test_xy_files_give_keras_split_back_the_parts_written(n, test_split, seed) -> None:
    dataset = replace(BOSTON_HOUSING, test_split=test_split, split_seed=seed)
    cut = int(n * (1 - test_split))
    x, y = np.arange(n * 3, dtype=float).reshape(n, 3), np.arange(n, dtype=float)
    written = Splits(x[:cut], y[:cut], x[cut:], y[cut:])
    with tempfile.TemporaryDirectory() as root:
        write_splits(dataset, Path(root), written)
        back = read_splits(dataset, Path(root))
    for part in ("x_train", "y_train", "x_test", "y_test"):
        assert np.array_equal(getattr(back, part), getattr(written, part))


def test_xy_parts_that_keras_would_cut_elsewhere_are_refused(tmp_path) -> None:
    splits = Splits(np.zeros((5, 2)), np.zeros(5), np.zeros((5, 2)), np.zeros(5))
    with pytest.raises(ValueError, match=r"keras cuts 10 rows at 8 \(test_split=0\.2\)"):
        write_splits(BOSTON_HOUSING, tmp_path, splits)


def test_keras_load_data_reads_the_public_copies(tmp_path, cache, monkeypatch) -> None:
    """keras itself, through the sandbox's offline get_file, finds the files and gets the official shapes."""
    keras = pytest.importorskip("keras")
    from grader.sandbox import keras_offline

    keras_offline.install()
    for name, load in (
        ("mnist", keras.datasets.mnist.load_data),
        ("boston-housing", keras.datasets.boston_housing.load_data),
        ("reuters", keras.datasets.reuters.load_data),
    ):
        data_dir = BUILDERS[name](tmp_path / name)
        hidden = read_splits(DATASETS[name], data_dir)
        monkeypatch.setenv("KERAS_HOME", str(store.public_copy(DATASETS[name], data_dir)))
        (x_train, y_train), (x_test, y_test) = load()
        assert x_train.shape == hidden.x_train.shape and x_test.shape == hidden.x_test.shape, name
        assert y_train.shape == hidden.y_train.shape and y_test.shape == hidden.y_test.shape, name
        assert not set(_rows(x_test)) & set(_rows(hidden.x_test)), name


def _as_keras_reads_fashion_mnist(folder: Path) -> tuple[tuple[np.ndarray, ...], ...]:
    """``keras.datasets.fashion_mnist.load_data()``'s reading, copied: fixed offsets, no header check."""
    names = ("train-labels-idx1-ubyte", "train-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "t10k-images-idx3-ubyte")
    raw = [gzip.decompress((folder / f"{name}.gz").read_bytes()) for name in names]
    y_train, y_test = np.frombuffer(raw[0], np.uint8, offset=8), np.frombuffer(raw[2], np.uint8, offset=8)
    x_train = np.frombuffer(raw[1], np.uint8, offset=16).reshape(len(y_train), 28, 28)
    x_test = np.frombuffer(raw[3], np.uint8, offset=16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)


@pytest.mark.slow
@pytest.mark.skipif(not (DEBIAN_DATASETS / "fashion-mnist").is_dir(), reason="apt-get install dataset-fashion-mnist")
def test_a_bootcamp_script_that_hard_codes_60000_runs_on_the_public_fashion_mnist(cache) -> None:
    home = store.public_copy(FASHION_MNIST, DEBIAN_DATASETS)
    (x_train, y_train), (x_test, y_test) = _as_keras_reads_fashion_mnist(home / "datasets" / "fashion-mnist")
    x_train = x_train.reshape(60000, 28, 28, 1) / 255.0  # what 42 of 59 real scripts do
    x_test = x_test.reshape(10000, 28, 28, 1) / 255.0
    assert y_train.shape == (60000,) and y_test.shape == (10000,) and y_train.dtype == np.uint8

    (_, _), (hidden_x, _) = _as_keras_reads_fashion_mnist(DEBIAN_DATASETS / "fashion-mnist")
    (train_x, _), (public_x, _) = _as_keras_reads_fashion_mnist(home / "datasets" / "fashion-mnist")
    shared = set(_rows(public_x)) & set(_rows(hidden_x))
    assert shared <= set(_rows(train_x))  # a test image in the public copy is one the training part also holds
