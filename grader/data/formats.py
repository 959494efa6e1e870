"""Reading and writing the keras dataset files with numpy alone.

Writers exist for two reasons: the public copies the sandbox sees (same format and shapes, test
part drawn from the training part), and test fixtures built in the real formats.
"""

from __future__ import annotations

import gzip
import io
import os
import pickle
import struct
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader.data.registry import Dataset
from grader.data.safe_npz import load_npz, restricted_unpickle
from grader.data.series import read_series_csv, write_series_csv


@dataclass(frozen=True)
class Splits:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def _read_idx(path: Path) -> np.ndarray:
    """An IDX file (gzip-compressed), as in the original MNIST/Fashion-MNIST distribution."""
    with gzip.open(path, "rb") as fh:
        raw = fh.read()
    if len(raw) < 8:
        raise ValueError(f"{path.name}: too short for an IDX file")
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path.name}: not an unsigned-byte IDX file")
    dims = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    data = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path.name}: header says {dims}, found {data.size} bytes")
    return data.reshape(dims)


def _write_idx(path: Path, array: np.ndarray) -> None:
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb", compresslevel=6) as fh:
        fh.write(header + array.tobytes())


CIFAR_TRAIN = 50_000  # keras' cifar10.load_data() fills exactly five batches of 10,000
CIFAR_KERAS3_ARCHIVE = "cifar-10-batches-py-target_archive"


def _read_cifar(path: Path) -> Splits:
    """The tarball of pickled batches, unpickled with numpy reconstruction allowed and nothing else."""
    batches: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if member.isfile() and (name.startswith("data_batch_") or name == "test_batch"):
                raw = tar.extractfile(member).read()  # type: ignore[union-attr]
                batch = restricted_unpickle(raw)
                data = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
                batches[name] = (data, np.asarray(batch[b"labels"], dtype=np.uint8).reshape(-1, 1))
    train = [batches[f"data_batch_{i}"] for i in range(1, 6)]
    return Splits(np.concatenate([x for x, _ in train]), np.concatenate([y for _, y in train]), *batches["test_batch"])


def _write_cifar(path: Path, splits: Splits) -> None:
    if len(splits.x_train) != CIFAR_TRAIN:
        raise ValueError(f"keras reads exactly {CIFAR_TRAIN} CIFAR-10 training images, got {len(splits.x_train)}")

    def batch(x: np.ndarray, y: np.ndarray) -> bytes:
        data = np.ascontiguousarray(x.transpose(0, 3, 1, 2).reshape(len(x), 3072), dtype=np.uint8)
        return pickle.dumps({b"data": data, b"labels": [int(v) for v in y.reshape(-1)]}, protocol=4)

    members = {
        f"data_batch_{i + 1}": batch(
            splits.x_train[i * 10_000 : (i + 1) * 10_000], splits.y_train[i * 10_000 : (i + 1) * 10_000]
        )
        for i in range(5)
    }
    members["test_batch"] = batch(splits.x_test, splits.y_test)
    tmp = path.with_name(path.name + ".tmp")
    with tarfile.open(tmp, "w:gz", compresslevel=1) as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    os.replace(tmp, path)


def keras_xy_split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int) -> Splits:
    """The split ``keras.datasets.boston_housing.load_data()`` makes, reproduced exactly."""
    rng = np.random.RandomState(seed)
    indices = np.arange(len(x))
    rng.shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return Splits(np.array(x[:cut]), np.array(y[:cut]), np.array(x[cut:]), np.array(y[cut:]))


def read_splits(dataset: Dataset, root: Path) -> Splits:
    """The dataset as ``keras.datasets.<name>.load_data()`` returns it, from a datasets folder."""
    if dataset.format == "mnist-npz":
        with np.load(root / dataset.files[0].path, allow_pickle=False) as f:
            return Splits(f["x_train"], f["y_train"], f["x_test"], f["y_test"])
    if dataset.format == "idx-gz":
        y_train, x_train, y_test, x_test = (_read_idx(root / f.path) for f in dataset.files)
        return Splits(x_train, y_train, x_test, y_test)
    if dataset.format == "xy-npz":
        with np.load(root / dataset.files[0].path, allow_pickle=False) as f:
            x, y = f["x"], f["y"]
        return keras_xy_split(x, y, dataset.test_split, dataset.split_seed)
    if dataset.format == "seq-npz":
        f = load_npz(root / dataset.files[0].path)
        return Splits(f["x_train"], f["y_train"], f["x_test"], f["y_test"])
    if dataset.format == "seq-xy-npz":
        f = load_npz(root / dataset.files[0].path)
        return keras_xy_split(f["x"], f["y"], dataset.test_split, dataset.split_seed)
    if dataset.format == "cifar-tar":
        return _read_cifar(root / dataset.files[0].path)
    if dataset.format == "series-csv":  # chronological: the test part is the tail
        values = read_series_csv(root / dataset.files[0].path)
        cut = len(values) - round(len(values) * dataset.test_split)
        days = np.arange(len(values))
        return Splits(days[:cut], values[:cut], days[cut:], values[cut:])
    raise ValueError(f"no reader for format {dataset.format!r}")


def write_splits(dataset: Dataset, root: Path, splits: Splits) -> None:
    """Write ``splits`` so that keras' ``load_data()`` reads exactly these arrays back.

    For keras-split datasets (xy-npz) both parts go into one ``x``/``y`` pair, ordered so that
    keras' own shuffle and cut give them back. A series keeps its history only: the learner
    splits it into training and validation windows.
    """
    for f in dataset.files:
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
    if dataset.format == "mnist-npz":
        _atomic_npz(root / dataset.files[0].path, **splits.__dict__)
    elif dataset.format == "idx-gz":
        arrays = (splits.y_train, splits.x_train, splits.y_test, splits.x_test)
        for f, array in zip(dataset.files, arrays, strict=True):
            _write_idx(root / f.path, array)
    elif dataset.format in ("xy-npz", "seq-xy-npz"):
        x, y = _keras_xy_unsplit(splits, dataset.test_split, dataset.split_seed)
        _atomic_npz(root / dataset.files[0].path, x=x, y=y)
    elif dataset.format == "seq-npz":  # ragged sequences: object arrays, pickled as keras' files are
        _atomic_npz(root / dataset.files[0].path, **splits.__dict__)
    elif dataset.format == "cifar-tar":
        _write_cifar(root / dataset.files[0].path, splits)
    elif dataset.format == "series-csv":  # the history only: a public copy has no tail
        write_series_csv(root / dataset.files[0].path, splits.y_train)
    else:
        raise ValueError(f"no writer for format {dataset.format!r}")


def _keras_xy_unsplit(splits: Splits, test_split: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``x``, ``y`` that `keras_xy_split` turns back into ``splits``: the inverse of its shuffle."""
    x = np.concatenate([splits.x_train, splits.x_test])
    y = np.concatenate([splits.y_train, splits.y_test])
    if int(len(x) * (1 - test_split)) != len(splits.x_train):
        raise ValueError(
            f"keras cuts {len(x)} rows at {int(len(x) * (1 - test_split))} (test_split={test_split}), "
            f"not after the {len(splits.x_train)} training rows given"
        )
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    # keras reads x[indices]; so row i of the wanted order goes to position indices[i].
    x_out, y_out = np.empty_like(x), np.empty_like(y)
    x_out[indices], y_out[indices] = x, y
    return x_out, y_out


def _atomic_npz(path: Path, **arrays: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, path)


def public_splits(splits: Splits, seed: int = 0) -> Splits:
    """The public copy of ``splits``: what the sandbox's ``load_data()`` returns instead.

    Its training part is the whole training part, and its test part has as many rows as the
    hidden test part, drawn from the training rows (a fixed, seeded sample; repeated in turn
    only where a small substitute set has more test than training rows). So scripts that
    hard-code the official shapes (``x_train.reshape(60000, 28, 28, 1)``) run unchanged, and no
    hidden test row enters the sandbox. The price: the public test rows were trained on, so a
    learner's ``evaluate(x_test, y_test)`` there is optimistic; the grade uses the hidden set.

    >>> s = public_splits(Splits(np.arange(6), np.arange(6), np.arange(10, 13), np.arange(10, 13)))
    >>> len(s.x_train), len(s.x_test), set(s.x_test) <= set(range(6))
    (6, 3, True)
    """
    if len(splits.x_train) == 0:
        raise ValueError("a public test part is drawn from the training part, and it is empty")
    rows = np.resize(np.random.RandomState(seed).permutation(len(splits.x_train)), len(splits.x_test))
    return Splits(splits.x_train, splits.y_train, splits.x_train[rows], splits.y_train[rows])
