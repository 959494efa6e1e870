"""Domain check helpers: each passes quietly or raises `CheckFailed` with expected vs got.

Messages name the call, say what was expected and what came, and where a common slip is
recognisable (one window short, axes swapped, a list instead of an array) they say so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.check import CheckFailed, Returned, raised_on_hidden_input
from grader.sandbox.wire import Opaque
from grader.text import Text, with_particle

PREVIEW_CHARS = 160


def preview(value: Any) -> str:
    """A short, single-line picture of a value for a message."""
    if isinstance(value, np.ndarray) and value.size == 0:
        text = f"[] (shape {value.shape})"  # "[]" alone would hide which axis is empty
    elif isinstance(value, np.ndarray):
        with np.printoptions(threshold=12, edgeitems=2, precision=4, suppress=True):
            text = np.array2string(value, separator=", ").replace("\n", "")
    elif isinstance(value, Opaque):
        text = f"<{value.type}>"
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def full(value: Any) -> str:
    """The whole value, for ``--reveal``."""
    if isinstance(value, np.ndarray):
        with np.printoptions(threshold=2000, precision=6):
            return f"{value.dtype} {value.shape}\n{value}"
    return repr(value)


def outline(value: Any) -> str:
    """What a value is without what it holds: type, dtype and shape (``numpy.ndarray float64
    (146, 5, 4)``, ``list of 3``). For a value a call on hidden inputs returned, which may hold
    those inputs (a function that returns its argument): its contents are for ``--reveal``."""
    if isinstance(value, np.ndarray):
        return f"numpy.ndarray {value.dtype} {value.shape}"
    if isinstance(value, (list, tuple, dict, set, str, bytes)):
        return f"{type(value).__name__} of {len(value)}"
    return type_name(value)


def scalar(value: Any) -> str:
    """``6.2`` rather than numpy 2's ``np.float64(6.2)``, and a float32 with its own digits
    (``0.1``, not the ``0.10000000149011612`` it becomes as a Python float)."""
    if isinstance(value, np.floating):
        return str(value)
    return repr(value.item()) if isinstance(value, np.generic) else repr(value)


def type_name(value: Any) -> str:
    if isinstance(value, Opaque):
        return value.type
    if isinstance(value, np.ndarray):
        return "numpy.ndarray"
    return type(value).__name__


def expect_ndarray(got: Any, what: str) -> np.ndarray:
    """``got`` must be a numpy array; a list/tuple is named, with the shape it would have."""
    if isinstance(got, np.ndarray):
        return got
    hint_en = hint_ko = ""
    if isinstance(got, Opaque) and got.type == "numpy.ndarray":  # only object arrays travel as opaque
        raise CheckFailed(
            Text(
                f"{what}: expected a numpy.ndarray of numbers, got an array of Python objects ({got.repr}; "
                "dtype=object). Windows of unequal length, or None among them, make one: give every "
                "window the same length and build the result with np.array(windows)",
                f"{what}: 숫자로 된 numpy.ndarray를 반환해야 하는데 파이썬 객체 배열({got.repr}; dtype=object)을 "
                "반환했습니다. 길이가 다른 윈도우나 None이 섞이면 이렇게 됩니다: 모든 윈도우의 길이를 같게 하고 "
                "np.array(windows)로 만드세요",
            ),
            reveal=got.repr,
            slip="ragged-windows",
        )
    if isinstance(got, (list, tuple)):
        try:
            shape = np.asarray(got).shape
        except ValueError:
            shape = None
        if shape is not None:
            hint_en = f" (as an array it would have shape {shape}; wrap it in np.array(...))"
            hint_ko = f" (배열로 바꾸면 shape {shape}; np.array(...)로 감싸세요)"
    raise CheckFailed(
        Text(
            f"{what}: expected a numpy.ndarray, got {type_name(got)}{hint_en}",
            f"{what}: numpy.ndarray를 반환해야 하는데 {with_particle(type_name(got), '을/를')} 반환했습니다{hint_ko}",
        ),
        reveal=full(got),
        slip="returned-list" if isinstance(got, (list, tuple)) else None,
    )


def _shape_diagnosis(expected: tuple[int, ...], got: tuple[int, ...]) -> tuple[str | None, Text]:
    """What a wrong shape says of how it was made: the slip's name (`grader.check.slips`), if it
    is one, and the hint for the learner."""
    if len(expected) == len(got) and sorted(expected) == sorted(got):
        return "axes-swapped", Text(
            " — the axes are in a different order (np.lib.stride_tricks.sliding_window_view puts "
            "the window axis last; move it to axis 1 with np.moveaxis(windows, -1, 1))",
            " — 축 순서가 다릅니다 (sliding_window_view는 윈도우 축을 마지막에 둡니다; "
            "np.moveaxis(windows, -1, 1)로 1번 축으로 옮기세요)",
        )
    if len(expected) == len(got) and expected[1:] == got[1:] and expected and abs(expected[0] - got[0]) == 1:
        few = got[0] < expected[0]
        return "off-by-one", Text(
            f" — one {'row too few' if few else 'row too many'}: windows of `size` over n items number n - size + 1",
            f" — 행이 하나 {'부족합니다' if few else '많습니다'}: 길이 n에서 크기 size의 윈도우는 n - size + 1개입니다",
        )
    if len(expected) != len(got):  # a fact, not a slip: many mistakes end here
        return None, Text(
            f" — {len(got)} dimension{'' if len(got) == 1 else 's'} instead of {len(expected)}",
            f" — 차원 수가 {with_particle(len(expected), '이/가')} 아니라 {len(got)}입니다",
        )
    return None, Text("", "")


def expect_shape(got: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    arr = expect_ndarray(got, what)
    if arr.shape != tuple(shape):
        slip, hint = _shape_diagnosis(tuple(shape), arr.shape)
        raise CheckFailed(
            Text(
                f"{what}: expected shape {tuple(shape)}, got {arr.shape}",
                f"{what}: 기대한 shape {tuple(shape)}, 실제 {arr.shape}",
            )
            + hint,
            reveal=f"got:\n{full(arr)}",
            slip=slip,
        )
    return arr


def expect_array_equal(
    got: Any, expected: np.ndarray, what: str, *, rtol: float = 1e-6, atol: float = 1e-9, public: bool = False
) -> np.ndarray:
    """Same shape and values (exact for integers, ``allclose`` for floats, NaN never equal).
    The first differing values are named only where the inputs are ``public`` (written in
    ``what``); otherwise they come from hidden inputs, and the message names the index only."""
    arr = expect_shape(got, expected.shape, what)
    if arr.dtype.kind not in "biuf":
        raise CheckFailed(
            Text(
                f"{what}: expected numbers ({expected.dtype}), got dtype {arr.dtype}",
                f"{what}: 숫자 배열({expected.dtype})이어야 하는데 dtype이 {arr.dtype}입니다",
            )
        )
    if expected.dtype.kind in "biu" and arr.dtype.kind in "biu":
        same = np.equal(arr, expected)
    else:
        same = np.isclose(arr.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol)
    if not same.all():
        bad = np.argwhere(~same)
        first = tuple(int(i) for i in bad[0])
        values = (
            Text(
                f": expected {scalar(expected[first])}, got {scalar(arr[first])}",
                f": 기대값 {scalar(expected[first])}, 실제 {scalar(arr[first])}",
            )
            if public
            else Text(
                " (values held back: they come from hidden inputs; instructors: --reveal)",
                " (숨겨진 입력에서 나온 값이라 보여 주지 않습니다; 강사: --reveal)",
            )
        )
        raise CheckFailed(
            Text(
                f"{what}: {len(bad)} of {same.size} values differ; first at index {first}",
                f"{what}: {same.size}개 중 {len(bad)}개 값이 다릅니다; 첫 위치 {first}",
            )
            + values,
            reveal=f"expected:\n{full(expected)}\ngot:\n{full(arr)}",
        )
    return arr


def expect_finite(got: np.ndarray, what: str) -> None:
    if got.dtype.kind not in "biufc":  # strings, bytes, dates: not numbers at all
        raise CheckFailed(
            Text(
                f"{what}: expected numbers, got an array of {got.dtype} values",
                f"{what}: 숫자 배열이어야 하는데 {got.dtype} 값의 배열을 반환했습니다",
            ),
            reveal=full(got),
        )
    bad = ~np.isfinite(got)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise CheckFailed(
            Text(
                f"{what}: {int(bad.sum())} values are NaN or inf (first at {first}); "
                "a constant column has range/std 0 — divide by 1 there instead",
                f"{what}: NaN 또는 inf 값이 {int(bad.sum())}개 있습니다 (첫 위치 {first}); "
                "상수 열은 범위/표준편차가 0이므로 그 열은 1로 나누세요",
            ),
            reveal=full(got),
            slip="constant-column-nan",
        )


def expect_raises(returned: Returned, error: str, what: str) -> None:
    """The call must raise ``error`` (a subclass counts)."""
    if returned.error is not None:
        if returned.error.is_a(error):
            return
        raise CheckFailed(
            Text(f"{what}: expected {error}; ", f"{what}: {with_particle(error, '이/가')} 발생해야 하는데, ")
            + raised_on_hidden_input(returned.call.describe(), returned.error),
            reveal=returned.error.traceback or None,
        )
    raise CheckFailed(
        Text(
            f"{what}: expected {error}, but it returned {outline(returned.result)}",
            f"{what}: {with_particle(error, '이/가')} 발생해야 하는데 "
            f"{with_particle(outline(returned.result), '을/를')} 반환했습니다",
        ),
        reveal=full(returned.result),
    )


def expect_unchanged(returned: Returned, what: str) -> None:
    """The call must leave its array arguments as they were (needs ``observe_args=True``)."""
    assert returned.args_after is not None, "expect_unchanged needs call(..., observe_args=True)"
    returned.value()  # a call that raised has not shown it leaves its inputs alone
    before = list(returned.call.args) + list(returned.call.kwargs.values())
    for position, (old, new) in enumerate(zip(before, returned.args_after, strict=False)):
        if isinstance(old, np.ndarray) and not (
            isinstance(new, np.ndarray) and new.shape == old.shape and np.array_equal(new, old, equal_nan=True)
        ):
            raise CheckFailed(
                Text(
                    f"{what}: argument {position + 1} was modified in place; "
                    "work on a copy (x.copy()) and leave the caller's arrays as they are",
                    f"{what}: {position + 1}번째 인자가 제자리에서(in place) 수정되었습니다; "
                    "복사본(x.copy())으로 작업하고 호출자의 배열은 그대로 두세요",
                ),
                reveal=f"before:\n{full(old)}\nafter:\n{full(new)}",
                slip="input-modified",
            )


def expect_sequence(got: Any, length: int, what: str) -> tuple[Any, ...]:
    """A tuple or list of exactly ``length`` items (e.g. the three (x, y) pairs of a split)."""
    if not isinstance(got, (tuple, list)) or len(got) != length:
        found = f"{type_name(got)} of length {len(got)}" if isinstance(got, (tuple, list)) else type_name(got)
        raise CheckFailed(
            Text(
                f"{what}: expected a tuple of {length} items, got {found}",
                f"{what}: 항목 {length}개짜리 튜플이어야 하는데 {found}입니다",
            ),
            reveal=preview(got),
        )
    return tuple(got)
