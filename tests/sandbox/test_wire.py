"""Data across the trust boundary: round trips, and refusals of what is not plain data."""

from __future__ import annotations

import os

import numpy as np
import pytest

from grader.sandbox import wire


def roundtrip(value, tmp_path):
    enc = wire.Encoder()
    tree = enc.encode(value)
    wire.save_arrays(tmp_path / "a.npz", enc.arrays)
    return wire.decode(tree, wire.load_arrays(tmp_path / "a.npz"))


def test_values_keep_their_python_types(tmp_path) -> None:
    value = ((np.arange(6).reshape(2, 3), np.float32(1.5)), [1, 2.5, None, "s"], (), 2**70)
    back = roundtrip(value, tmp_path)
    assert isinstance(back, tuple) and isinstance(back[1], list)
    assert np.array_equal(back[0][0], value[0][0]) and back[0][0].dtype == np.int64
    assert back[0][1] == np.float32(1.5) and back[1] == [1, 2.5, None, "s"] and back[3] == 2**70


def test_a_large_nested_list_travels_as_one_array_and_stays_a_list(tmp_path) -> None:
    value = np.arange(146 * 5 * 4).reshape(146, 5, 4).tolist()
    enc = wire.Encoder()
    tree = enc.encode(value)
    assert tree["t"] == "list" and "array" in tree
    assert roundtrip(value, tmp_path) == value


def test_objects_that_are_not_data_come_back_opaque(tmp_path) -> None:
    gen = (i for i in range(3))
    back = roundtrip([gen, np.array([object()], dtype=object)], tmp_path)
    assert back[0].type == "generator"
    assert "object array" in back[1].repr


def test_pickled_arrays_are_refused(tmp_path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, x=np.array([{"a": 1}], dtype=object))  # numpy pickles object arrays
    with pytest.raises(wire.WireError, match="unreadable"):
        wire.load_arrays(path)


def test_links_and_oversized_files_are_refused(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("hidden")
    os.symlink(secret, tmp_path / "status.json")
    with pytest.raises(wire.WireError, match="cannot open"):
        wire.read_json(tmp_path / "status.json")
    big = tmp_path / "big.json"
    big.write_text("[" + "0," * 1000 + "0]")
    with pytest.raises(wire.WireError, match="over the 100-byte limit"):
        wire.read_json(big, limit=100)
