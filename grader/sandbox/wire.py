"""Values across the trust boundary as data: a JSON tree plus arrays in ``.npz`` files.

Both sides use this module. It imports only numpy and the standard library, because it is
also imported inside the sandbox where start-up time counts. Nothing here unpickles:
``np.load(..., allow_pickle=False)`` refuses object arrays, and the JSON tree names the Python
type of everything that is not plain data, so the trusted side can say "got a list" or
"got a generator" instead of guessing.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAX_DEPTH = 6
MAX_ITEMS = 1_000_000  # items kept from one list that is not numeric enough to travel as an array
MAX_FILE_BYTES = 256 * 2**20
MAX_JSON_BYTES = 8 * 2**20


class WireError(ValueError):
    """Data from the sandbox is malformed, too large or not a plain file."""


class TooLarge(WireError):
    """A file from the sandbox is over its size limit (as stored, or once expanded)."""

    def __init__(self, name: str, size: int, limit: int, expanded: bool = False) -> None:
        how = "expands to" if expanded else "is"
        super().__init__(f"{name} {how} {size} bytes, over the {limit}-byte limit")
        self.size, self.limit = size, limit


@dataclass(frozen=True)
class Opaque:
    """A value that cannot cross as data (a generator, a model, an object array)."""

    type: str
    repr: str


@dataclass(frozen=True)
class RaisedError:
    """An exception raised by submission code: its class names and message."""

    type: str
    bases: tuple[str, ...]  # the class and its bases, so a subclass of ValueError counts
    message: str
    traceback: str = ""

    def is_a(self, name: str) -> bool:
        return name in self.bases


class Encoder:
    """Turns a Python value into a JSON tree, collecting its arrays for one ``.npz``."""

    def __init__(self, prefix: str = "a") -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self._prefix = prefix

    def _array(self, arr: np.ndarray) -> str:
        key = f"{self._prefix}{len(self.arrays)}"
        self.arrays[key] = arr
        return key

    def encode(self, value: Any, depth: int = 0) -> dict[str, Any]:
        if value is None:
            return {"t": "none"}
        if isinstance(value, (bool, int, float, str)) and not isinstance(value, np.generic):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**62:
                return {"t": "scalar", "v": str(value), "big": True}
            return {"t": "scalar", "v": value}
        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                return _opaque(value, note=f"object array of shape {value.shape}")
            return {"t": "ndarray", "key": self._array(value)}
        if isinstance(value, np.generic):
            return {"t": "npscalar", "key": self._array(np.asarray(value))}
        if isinstance(value, (list, tuple)):
            kind = "list" if isinstance(value, list) else "tuple"
            if depth >= MAX_DEPTH:
                return _opaque(value, note=f"{kind} nested deeper than {MAX_DEPTH}")
            node: dict[str, Any] = {"t": kind, "type": _type_name(value)}
            packed = _as_numeric_array(value)
            if packed is not None and packed.ndim >= 2:
                # A large nested list of numbers travels as one array, not a huge JSON tree.
                node["array"] = self._array(packed)
            else:
                node["items"] = [self.encode(v, depth + 1) for v in value[:MAX_ITEMS]]
            return node
        return _opaque(value)


def _type_name(value: Any) -> str:
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _opaque(value: Any, note: str | None = None) -> dict[str, Any]:
    try:
        text = note or repr(value)
    except Exception:  # a hostile __repr__ must not break the sandbox's own reporting
        text = "<unprintable>"
    return {"t": "opaque", "type": _type_name(value), "repr": text[:300]}


def _as_numeric_array(value: list | tuple) -> np.ndarray | None:
    if not value or not isinstance(value[0], (list, tuple)):
        return None
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError, OverflowError):
        return None
    return arr if arr.dtype.kind in "biuf" else None


def decode(node: dict[str, Any], arrays: dict[str, np.ndarray]) -> Any:
    """The inverse of `Encoder.encode`: lists stay lists, tuples tuples, arrays arrays."""
    t = node.get("t")
    if t == "none":
        return None
    if t == "scalar":
        return int(node["v"]) if node.get("big") else node["v"]
    if t == "ndarray":
        return _lookup(arrays, node["key"])
    if t == "npscalar":
        return _lookup(arrays, node["key"])[()]
    if t in ("list", "tuple"):
        if "array" in node:
            items = list(_lookup(arrays, node["array"]))
            items = [row.tolist() if t == "list" else tuple(row.tolist()) for row in items]
        else:
            items = [decode(item, arrays) for item in node["items"]]
        return items if t == "list" else tuple(items)
    if t == "opaque":
        return Opaque(type=str(node["type"]), repr=str(node["repr"]))
    raise WireError(f"unknown value tag {t!r}")


def _lookup(arrays: dict[str, np.ndarray], key: str) -> np.ndarray:
    if key not in arrays:
        raise WireError(f"array {key!r} missing from the sandbox's output")
    return arrays[key]


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    os.replace(tmp, path)


def read_plain_file(path: Path, limit: int) -> bytes:
    """Read a file the sandbox wrote, refusing links, devices and anything over ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise WireError(f"{path.name}: cannot open ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise WireError(f"{path.name}: not a regular file")
        if info.st_size > limit:
            raise TooLarge(path.name, info.st_size, limit)
        return fh.read(limit + 1)[:limit]


def read_json(path: Path, limit: int = MAX_JSON_BYTES) -> Any:
    return parse_json(read_plain_file(path, limit), path.name)


def _check_header(name: str, info: zipfile.ZipInfo, member) -> None:
    """An ``.npy`` member's claimed size fits in its data; object arrays are refused here too."""
    from numpy.lib import format as npy

    version = npy.read_magic(member)
    read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
    shape, _fortran, dtype = read(member)
    if dtype.hasobject:
        raise WireError(f"{name}: unreadable arrays ({info.filename} holds Python objects, which are not data)")
    claimed = dtype.itemsize
    for n in shape:
        claimed *= int(n)
    if claimed > info.file_size:
        raise WireError(f"{name}: {info.filename} claims {claimed} bytes of data but holds {info.file_size}")


def parse_json(raw: bytes | str, name: str) -> Any:
    """JSON a child wrote, read the one bounded way: nesting as deep as the parser allows (a
    deeper one is a `WireError`, not a RecursionError), integers of at most `MAX_INT_DIGITS`
    digits, and every string, keys included, valid UTF-8: a lone surrogate escape (``"\\ud800"``,
    which no encoder can write out again) becomes U+FFFD."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        value = json.loads(text, parse_int=_bounded_int)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise WireError(f"{name}: not valid JSON ({why})") from None
    return _valid_strings(value)


MAX_INT_DIGITS = 100
_SURROGATE = re.compile("[\ud800-\udfff]")


def _bounded_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS + 1:  # + a sign
        raise ValueError(f"an integer of {len(digits)} digits")
    return int(digits)


def _valid_text(text: str) -> str:
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def _valid_strings(value: Any) -> Any:
    """``value`` with every string made valid UTF-8, walked with a stack (no recursion)."""
    if isinstance(value, str):
        return _valid_text(value)
    stack = [value] if isinstance(value, (dict, list)) else []
    while stack:
        node = stack.pop()
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, item in items:
            if isinstance(item, str):
                item = _valid_text(item)
            elif isinstance(item, (dict, list)):
                stack.append(item)
            if isinstance(key, str) and _valid_text(key) != key:
                del node[key]
                key = _valid_text(key)
            node[key] = item
    return value


def load_arrays(path: Path, limit: int = MAX_FILE_BYTES) -> dict[str, np.ndarray]:
    """Load an ``.npz`` with pickles refused and the uncompressed size bounded: the members' sizes
    as the zip declares them (past which zipfile reads nothing), and each array's shape and dtype
    as its header claims them, checked against its member before numpy allocates anything (a
    header may claim a 2**40-element shape over a few bytes of data)."""
    raw = read_plain_file(path, limit)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            expanded = sum(i.file_size for i in zf.infolist())
            if expanded > limit:
                raise TooLarge(path.name, expanded, limit, expanded=True)
            for info in zf.infolist():
                with zf.open(info) as member:
                    _check_header(path.name, info, member)
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    # zlib.error: a corrupt deflated member; NotImplementedError: a compression zipfile lacks;
    # RuntimeError: a member marked encrypted. All of them the file's doing, none the grader's.
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        if isinstance(exc, WireError):
            raise
        raise WireError(f"{path.name}: unreadable arrays ({type(exc).__name__})") from None
