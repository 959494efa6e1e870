"""The data dir: real formats, hash states and the hidden split (public copies: test_public_copy)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from grader.data import store
from grader.data.formats import read_splits
from grader.data.registry import BOSTON_HOUSING, FASHION_MNIST, MNIST, DataMissing
from tests.synthetic import write_boston_like, write_image_dataset

DEBIAN_FASHION = Path("/usr/share/datasets")


@pytest.mark.parametrize("dataset", [MNIST, FASHION_MNIST])
def test_image_datasets_round_trip_through_their_real_formats(tmp_path, dataset) -> None:
    write_image_dataset(dataset.name, tmp_path, n_train=120, n_test=30)
    splits = read_splits(dataset, tmp_path)
    assert splits.x_train.shape == (120, 28, 28) and splits.x_test.shape == (30, 28, 28)
    assert splits.x_train.dtype == np.uint8 and splits.y_test.shape == (30,)


def test_states_missing_substitute_and_the_message_naming_the_command(tmp_path) -> None:
    with pytest.raises(store.DataMissing, match=r"mnist\.npz is missing\. Run `grade data fetch mnist`"):
        store.require(MNIST, tmp_path)
    write_image_dataset("mnist", tmp_path, n_train=50, n_test=10)
    assert store.require(MNIST, tmp_path).substitutes == ["mnist.npz"]


@pytest.mark.skipif(not (DEBIAN_FASHION / "fashion-mnist").is_dir(), reason="apt-get install dataset-fashion-mnist")
def test_debians_recompressed_fashion_mnist_counts_as_official() -> None:
    state = store.require(FASHION_MNIST, DEBIAN_FASHION)
    assert set(state.files.values()) == {"official"}


def test_boston_split_is_the_one_keras_makes(tmp_path, monkeypatch) -> None:
    write_boston_like(tmp_path / "datasets")
    ours = read_splits(BOSTON_HOUSING, tmp_path / "datasets")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    keras = pytest.importorskip("keras")
    from grader.sandbox import keras_offline

    keras_offline.install()  # the synthetic file's hash is not the official one
    (x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
    keras_arrays = (x_train, y_train, x_test, y_test)
    for mine, theirs in zip((ours.x_train, ours.y_train, ours.x_test, ours.y_test), keras_arrays, strict=True):
        assert np.array_equal(mine, theirs)


def test_text_encoding_is_what_keras_load_data_and_pad_sequences_give(tmp_path, monkeypatch) -> None:
    """The evaluator encodes hidden reviews exactly as a learner's keras pipeline would."""
    from grader.data.registry import IMDB
    from grader.evaluator.inputs import encode_text
    from tests.synthetic import write_imdb_like

    write_imdb_like(tmp_path / "datasets", n_train=50, n_test=40)
    raw = read_splits(IMDB, tmp_path / "datasets")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    keras = pytest.importorskip("keras")
    from grader.sandbox import keras_offline

    keras_offline.install()
    _, (x_test, y_test) = keras.datasets.imdb.load_data(num_words=500)
    rng = np.random.RandomState(113)  # keras shuffles train, then test, with one generator
    rng.shuffle(np.arange(50))
    order = np.arange(40)
    rng.shuffle(order)
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            form = {"num_words": 500, "maxlen": 30, "padding": padding, "truncating": truncating}
            ours = encode_text(raw.x_test[order], form)
            theirs = keras.utils.pad_sequences(x_test, maxlen=30, padding=padding, truncating=truncating)
            assert np.array_equal(ours, theirs)
    assert np.array_equal(raw.y_test[order], y_test)


def test_reuters_split_is_the_one_keras_makes_and_pickles_are_restricted(tmp_path, monkeypatch) -> None:
    import pickle

    from grader.data.registry import REUTERS
    from grader.data.safe_npz import load_npz
    from tests.synthetic import write_reuters_like

    write_reuters_like(tmp_path / "datasets", n=200)
    ours = read_splits(REUTERS, tmp_path / "datasets")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    keras = pytest.importorskip("keras")
    from grader.sandbox import keras_offline

    keras_offline.install()
    (_, y_train), (_, y_test) = keras.datasets.reuters.load_data()
    assert np.array_equal(ours.y_train, y_train) and np.array_equal(ours.y_test, y_test)

    class Boom:
        def __reduce__(self):
            return (print, ("pwned",))

    evil = tmp_path / "evil.npz"
    np.savez(evil, x=np.array([Boom()], dtype=object))
    with pytest.raises(pickle.UnpicklingError, match=r"refusing to load builtins\.print"):
        load_npz(evil)


def test_a_dataset_a_system_package_installed_is_found_when_the_data_dir_lacks_it(tmp_path, monkeypatch) -> None:
    system, cache = tmp_path / "usr-share-datasets", tmp_path / "empty"
    write_image_dataset("fashion-mnist", system, n_train=60, n_test=10)
    monkeypatch.setattr(store, "SYSTEM_DATASETS", (system,))
    monkeypatch.setenv("GRADE_DATA_DIR", str(cache))
    assert store.data_dir_for(FASHION_MNIST) == system  # what Debian's dataset-fashion-mnist fills
    assert store.data_dir_for(MNIST) == cache  # not there either: the data dir, and its "missing" message
    assert store.data_dir_for(FASHION_MNIST, explicit=cache) == cache  # --data-dir is what it says
    write_image_dataset("fashion-mnist", cache, n_train=60, n_test=10)
    assert store.data_dir_for(FASHION_MNIST) == cache  # the data dir first, when it has the dataset


def test_a_dataset_the_grader_makes_is_made_where_it_is_missing(tmp_path) -> None:
    from grader.data.registry import LINEAR_POINTS, SEASONAL_SERIES
    from grader.data.store import require

    for dataset in (LINEAR_POINTS, SEASONAL_SERIES):
        state = require(dataset, tmp_path / "datasets")
        assert set(state.files.values()) == {"official"}  # the same bytes as `grade data fetch` makes
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    if os.access(locked, os.W_OK):  # root writes anywhere: nothing to show here
        return
    with pytest.raises(DataMissing, match=r"Run `grade data fetch linear-points`"):
        require(LINEAR_POINTS, locked)
