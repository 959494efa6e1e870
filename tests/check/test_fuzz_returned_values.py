"""Every function exercise's checks, fed whatever a submission can send back (hypothesis).

What crosses the wire decodes to None, Python scalars, numpy arrays of any plain dtype (empty,
0-d, NaN/inf, strings, bytes, dates, complex), numpy scalars, nested lists and tuples, opaque
objects (object arrays, generators...) and raised exceptions. Whatever comes, a check passes or
fails with a message: it never raises, which the learner would see as exit 3 ("the grader
failed"). Runs in-process on the trusted side, on a fixed budget and a fixed seed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.check import Returned, checks_for
from grader.check.functions import judge_checks, judge_contract, plan_checks
from grader.exercise import find_exercise
from grader.runner.calls import ChildRecords
from grader.sandbox import wire
from grader.sandbox.wire import Opaque, RaisedError
from grader.text import EMPTY

FUNCTION_EXERCISES = ("exercise1", "exercise2", "exercise3", "exercise5")
BUDGET = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)

plain_dtypes = st.one_of(
    hnp.integer_dtypes(),
    hnp.unsigned_integer_dtypes(),
    hnp.floating_dtypes(),
    hnp.complex_number_dtypes(),
    hnp.boolean_dtypes(),
    hnp.unicode_string_dtypes(max_len=3),
    hnp.byte_string_dtypes(max_len=3),
    hnp.datetime64_dtypes(),
)
arrays = hnp.arrays(plain_dtypes, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5))
float_arrays = hnp.arrays(  # the dtype learners return, with the values that break arithmetic
    st.sampled_from([np.float64, np.float32]),
    hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=8),
    elements=st.floats(allow_nan=True, allow_infinity=True, width=32),
)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    arrays,
    float_arrays,
    arrays.map(lambda a: a.reshape(-1)[:1].reshape(()) if a.size else a),
    st.sampled_from([Opaque("numpy.ndarray", "object array of shape (3,)"), Opaque("generator", "<gen>")]),
)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple),
    max_leaves=12,
)
raised = st.builds(
    RaisedError,
    type=st.sampled_from(["ValueError", "IndexError", "MemoryError", "ResultTooLarge", "ResultUnreadable"]),
    bases=st.sampled_from([("ValueError", "Exception"), ("IndexError", "LookupError"), ("MemoryError",)]),
    message=st.text(max_size=20),
)


def near_the_inputs(data, inputs: list[np.ndarray]):
    """Something shaped like an answer: the call's own inputs cut, cast, bent, windowed, paired."""
    if not inputs:
        return data.draw(values)
    base = data.draw(st.sampled_from(inputs), label="input")
    ops = data.draw(st.lists(st.sampled_from(["slice", "cast", "nan", "flat", "axis", "window", "str"]), max_size=3))
    value = base.copy()
    for op in ops:
        if op == "slice" and value.ndim:
            a, b = sorted(data.draw(st.tuples(st.integers(0, len(value)), st.integers(0, len(value)))))
            value = value[a:b]
        elif op == "cast":
            dtype = data.draw(st.sampled_from([np.int8, np.float16, np.complex64, np.bool_, np.uint8]))
            try:
                with np.errstate(all="ignore"):
                    value = value.astype(dtype)
            except (ValueError, OverflowError):  # "1.5" to int8: a learner's cast would have failed too
                pass
        elif op == "nan" and value.size and value.dtype.kind == "f":
            value.reshape(-1)[0] = np.nan
        elif op == "flat":
            value = value.reshape(-1)
        elif op == "axis":
            value = value[:, None] if value.ndim else value
        elif op == "window" and value.ndim and len(value) >= 2:
            value = np.stack([value[:-1], value[1:]], axis=data.draw(st.sampled_from([0, 1])))
        elif op == "str":
            value = value.astype(str)
    shape = data.draw(st.sampled_from(["one", "pairs", "three"]))
    if shape == "pairs":
        return tuple((value, value[: len(value) // 2] if value.ndim else value) for _ in range(3))
    if shape == "three":
        return (value, value, value)
    return value


def as_received(value):
    """The value as the trusted side gets it: encoded by the child's wire, decoded here."""
    enc = wire.Encoder(prefix="r")
    return wire.decode(enc.encode(value), enc.arrays)


@pytest.mark.parametrize("exercise_id", FUNCTION_EXERCISES)
@BUDGET
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_no_returned_value_makes_a_check_raise(exercise_id, data, seed) -> None:
    exercise = find_exercise(exercise_id)
    planned, calls = plan_checks(checks_for(exercise), seed)
    returned = {}
    for i, c in enumerate(calls):
        after = None
        if c.observe_args:  # the child sends the arguments back whether the call returned or raised
            after = tuple(
                as_received(data.draw(st.sampled_from([a.copy(), a[:0]]) if isinstance(a, np.ndarray) else values))
                for a in c.args
            )
        if data.draw(st.integers(0, 9), label="raises") == 0:
            returned[i] = Returned(c, error=data.draw(raised, label="error"), args_after=after)
            continue
        inputs = [a for a in (*c.args, *c.kwargs.values()) if isinstance(a, np.ndarray)]
        value = near_the_inputs(data, inputs) if data.draw(st.booleans(), label="near") else data.draw(values)
        returned[i] = Returned(c, result=as_received(value), args_after=after)
    results = judge_checks(planned, ChildRecords(returned=returned), True, {}, EMPTY)
    assert len(results) == len(planned)
    for result in results:
        assert result.status in ("passed", "failed", "error")
        if result.status != "passed":
            assert result.message.en and result.message.ko


json_trees = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["t", "v", "key", "items", "array",
                  "type", "repr", "id", "ok", "result", "error", "seconds", "args_after", "x"]), inner, max_size=4),
    max_leaves=10,
)  # fmt: skip
records = st.fixed_dictionaries(
    {"id": st.integers(0, 3) | json_trees, "ok": st.booleans() | json_trees},
    optional={"result": json_trees, "error": json_trees, "seconds": json_trees, "warnings": json_trees,
              "args_after": json_trees},
)  # fmt: skip


@BUDGET
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_no_file_the_submission_leaves_in_out_makes_the_grader_fail(tmp_path_factory, data, seed) -> None:
    # The child's out/ folder is writable by the submission: whatever lies there is read as
    # data, named where it is wrong, and judged; it never raises.
    import json as jsonlib

    from grader.runner.calls import read_child_records
    from grader.sandbox.protocol import PARAMETER_KINDS

    out_root = tmp_path_factory.mktemp("job")
    (out_root / "out").mkdir()
    planned, calls = plan_checks(checks_for(find_exercise("exercise5")), seed)
    for i in range(len(calls)):
        kind = data.draw(st.sampled_from(["record", "junk", "none", "arrays"]), label=f"call {i}")
        if kind == "record":
            (out_root / "out" / f"call-{i}.json").write_text(jsonlib.dumps(data.draw(records)))
        elif kind == "junk":
            (out_root / "out" / f"call-{i}.json").write_bytes(data.draw(st.binary(max_size=40)))
        elif kind == "arrays":
            (out_root / "out" / f"call-{i}.json").write_text(
                jsonlib.dumps({"id": i, "ok": True, "result": {"t": "ndarray", "key": "r0"}})
            )
            (out_root / "out" / f"call-{i}.npz").write_bytes(data.draw(st.binary(max_size=60)))
    parameter = st.fixed_dictionaries(
        {
            "name": st.sampled_from(["seq", "size", "1x", "", "a", "class"]),
            "kind": st.sampled_from(PARAMETER_KINDS),
            "has_default": st.booleans(),
        }
    )
    parameters = st.lists(parameter, max_size=4) | json_trees
    split_x = st.fixed_dictionaries({"present": json_trees, "callable": json_trees, "parameters": parameters})
    status = data.draw(
        st.none() | json_trees | st.fixed_dictionaries({"functions": st.fixed_dictionaries({"split_x": split_x})})
    )
    if status is not None:
        (out_root / "out" / "status.json").write_text(jsonlib.dumps(status))
    output = read_child_records(out_root, calls)
    contract = judge_contract(find_exercise("exercise5"), (output.status or {}).get("functions", {}))
    results = judge_checks(planned, output, True, contract, EMPTY)
    assert all(r.status in ("passed", "failed", "error", "not-run") for r in results)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_exercise1_parts_of_any_shape_or_dtype_never_make_a_check_raise(data, seed) -> None:
    """Three (x, y) pairs, as asked, but each part 0-d, 1-d, strings, ragged lists or anything:
    the shuffle checks must look at a part before they index its rows."""
    exercise = find_exercise("exercise1")
    planned, calls = plan_checks(checks_for(exercise), seed)
    part = st.one_of(arrays, float_arrays, values, st.lists(st.lists(st.floats(), max_size=3), max_size=3))
    returned = {}
    for i, c in enumerate(calls):
        pairs = tuple((data.draw(part), data.draw(part)) for _ in range(3))
        returned[i] = Returned(c, result=as_received(pairs), args_after=tuple(as_received(a) for a in c.args))
    results = judge_checks(planned, ChildRecords(returned=returned), True, {}, EMPTY)
    for result in results:
        assert result.status in ("passed", "failed", "error")
