"""Loading ``.npz`` files whose object arrays (IMDB, Reuters) were pickled, without running code.

Numeric arrays load with pickles refused; object arrays go through an unpickler that allows
numpy array reconstruction and nothing else (the same allow-list keras uses for these files).
A substitute dataset file handed to an instructor therefore cannot execute anything.
"""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import numpy as np

_ALLOWED = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a dataset file")


def _read_member(raw: bytes) -> np.ndarray:
    try:
        return np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
    except ValueError:
        fp = io.BytesIO(raw)
        major, _ = np.lib.format.read_magic(fp)
        if major == 1:
            np.lib.format.read_array_header_1_0(fp)
        else:
            np.lib.format.read_array_header_2_0(fp)
        return _ArraysOnly(fp).load()


def load_npz(path: Path) -> dict[str, np.ndarray]:
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                arrays[member[: -len(".npy")]] = _read_member(archive.read(member))
    return arrays


def restricted_unpickle(raw: bytes):
    """A whole pickle (a CIFAR-10 batch: a dict of bytes, lists and arrays), numpy arrays only."""
    return _ArraysOnly(io.BytesIO(raw), encoding="bytes").load()
