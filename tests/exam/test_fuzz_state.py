"""Exam states with any field changed (hypothesis): a value of another type, a missing key, an
extra one, in the template, its tasks, the attempts or the issued token.

Read as the learner's `grade exam status` does (after the learner re-signs it with their own
key, which they can), and as `grade bulk` does: the result is an exam or a clear `ExamError`
(exit 2 with the reason; a listed problem in bulk), never another exception.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from grader import api, config, exam
from grader.bulk import exam_info
from grader.exam import state as exam_state
from tests.conftest import SOLUTIONS
from tests.exam.test_exam import FakeClock, put, template

BUDGET = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON tree, as a key path."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


def _resign(state: dict[str, Any]) -> None:
    """What the learner's own key (or an issued exam's derived one) allows: sign anything."""
    body = json.dumps({k: v for k, v in state.items() if k != "hmac"}, sort_keys=True, ensure_ascii=False).encode()
    try:
        key = exam_state.exam_key(state["exam_id"])  # the local key file, or one derived from an issued token
    except exam.ExamError:
        return  # no key for an id changed beyond recognition: the state stays unsigned
    state["hmac"] = hmac.new(key, body, hashlib.sha256).hexdigest()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("exam") / "ws"
    clock = FakeClock()
    api.exam_start(folder, template=template(folder.parent), lang="en", clock=clock)
    put(folder, "task1", SOLUTIONS / "exercise5.py")
    api.exam_submit(folder, ["task1"], clock=clock, runner="local")
    return folder, json.loads((folder / exam.STATE_FILE).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True, scope="module")
def keys_here(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        patch.delenv(config.EXAM_SECRET_ENV, raising=False)
        yield


@BUDGET
@given(data=st.data())
def test_any_changed_field_is_an_exam_or_a_clear_error(workspace, data) -> None:
    folder, original = workspace
    state = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        places = _paths(state)
        where = data.draw(st.sampled_from(places), label="where")
        parent = state
        for key in where[:-1]:
            parent = parent[key]
        how = data.draw(st.sampled_from(["replace", "delete", "extra", "issued"]), label="how")
        if how == "issued":  # a token, one of its fields changed
            token = {"version": 1, "exam_id": state.get("exam_id"), "student": "kim", "template": "mini",
                     "duration_s": 3600.0, "issued_at": 1.9e9, "signature": "0" * 64}  # fmt: skip
            token[data.draw(st.sampled_from(sorted(token)), label="token field")] = data.draw(json_values)
            state["issued"] = token
        elif how == "replace":
            parent[where[-1]] = data.draw(json_values, label="value")
        elif how == "delete" and isinstance(parent, dict):
            del parent[where[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=6), label="key")] = data.draw(json_values, label="value")
        if not isinstance(state, dict) or "exam_id" not in state:
            break
    if isinstance(state, dict) and isinstance(state.get("exam_id"), str):
        _resign(state)
    (folder / exam.STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    try:
        try:
            current = api.exam_open(folder, clock=FakeClock())  # `grade exam status`
        except api.UsageError as refused:
            assert str(refused)
            event("refused: " + str(refused).split(" (")[0][:40])
        else:
            exam.final_report(current)
            event("opened")
        info = exam_info(folder, "kim")  # `grade bulk` over a collected workspace
        assert isinstance(info["state"], str)
    finally:
        (folder / exam.STATE_FILE).write_text(json.dumps(original), encoding="utf-8")
