"""Data across the trust boundary: round trips, and refusals of what is not plain data."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- the one bounded JSON reader ---------------------------------------------------------


def test_a_lone_surrogate_becomes_a_replacement_character_keys_included() -> None:
    value = wire.parse_json(b'{"m": "\\ud800 x", "\\udcff": ["\\ud83d\\ude00", "ok"]}', "call-0.json")
    assert value == {"m": "\ufffd x", "\ufffd": ["\U0001f600", "ok"]}  # a real pair stays the emoji
    json_text = json.dumps(value, ensure_ascii=False)
    json_text.encode("utf-8")  # writable again: to a terminal, a store, a file


@pytest.mark.parametrize(
    "raw, why",
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"n": ' + b"9" * 5000 + b"}", "an integer of 5000 digits"),
        (b"\xff\xfe", "not valid JSON"),
        (b'{"a": ', "not valid JSON"),
    ],
)
def test_records_out_of_bounds_are_a_wire_error_never_a_crash(raw: bytes, why: str) -> None:
    with pytest.raises(wire.WireError, match=why):
        wire.parse_json(raw, "events.jsonl")


# Text with lone surrogates, which json.dumps writes as \\ud800 escapes (hypothesis's text() has none).
surrogates = st.lists(st.integers(0xD800, 0xDFFF), max_size=3).map(lambda cs: "".join(map(chr, cs)))
texts = st.one_of(st.text(), surrogates, st.tuples(st.text(), surrogates).map("".join))
records = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=30,
).map(lambda v: json.dumps(v).encode())


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.binary(max_size=400), records))
def test_any_bytes_give_valid_utf8_data_or_a_wire_error(raw: bytes) -> None:
    try:
        value = wire.parse_json(raw, "x.json")
    except wire.WireError:
        return
    json.dumps(value, ensure_ascii=False).encode("utf-8")  # never a UnicodeEncodeError


def _npz_with_header(path, shape: tuple[int, ...]) -> None:
    """An .npz whose one member's header claims ``shape`` of float64 over 16 bytes of data."""
    import zipfile

    header = np.lib.format.header_data_from_array_1_0(np.zeros(2))
    header["shape"] = shape
    member = io.BytesIO()
    np.lib.format.write_array_header_1_0(member, header)
    member.write(np.zeros(2).tobytes())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a0.npy", member.getvalue())


def test_an_array_header_that_claims_more_than_its_data_is_refused_before_allocation(tmp_path) -> None:
    _npz_with_header(tmp_path / "call-0.npz", (2**40,))
    with pytest.raises(wire.WireError, match=r"a0.npy claims 8796093022208 bytes of data but holds"):
        wire.load_arrays(tmp_path / "call-0.npz")
    _npz_with_header(tmp_path / "call-1.npz", (2,))
    assert wire.load_arrays(tmp_path / "call-1.npz")["a0"].tolist() == [0.0, 0.0]


def test_arrays_that_expand_past_what_is_left_of_the_budget_are_too_large(tmp_path) -> None:
    np.savez_compressed(tmp_path / "call-0.npz", a0=np.zeros(2**20))  # 8 MB of zeros, a few KB on disk
    assert (tmp_path / "call-0.npz").stat().st_size < 2**20
    with pytest.raises(wire.TooLarge):
        wire.load_arrays(tmp_path / "call-0.npz", limit=2**20)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=600))
def test_any_bytes_as_arrays_give_arrays_or_a_wire_error(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("npz") / "call-0.npz"
    path.write_bytes(raw)
    try:
        arrays = wire.load_arrays(path)
    except wire.WireError:
        return
    assert all(isinstance(a, np.ndarray) for a in arrays.values())
