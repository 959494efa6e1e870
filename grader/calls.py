"""A function exercise's calls on their way into the sandbox, and what came back, as data.

The trusted side writes ``in/inputs.npz`` and then ``in/calls.json`` into a job folder the
child is already running in (`grader.job.make_function_job_dir`): the child imports the
learner's file meanwhile and waits for ``calls.json`` to appear. It reads back ``out/`` with
size limits and no pickles. `grader.sandbox.functions` is the other side.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.check import Call, Returned
from grader.sandbox import wire
from grader.sandbox.wire import CALLS_FILE, RaisedError, WireError

MAX_CALL_RECORDS = 10_000


def write_calls(root: Path, calls: list[Call]) -> None:
    """Hand the child its calls. ``calls.json`` appears whole and last (a rename), so the child
    never reads half of it, and its inputs are in place when it does. An empty list lets a
    child that must not run anything finish at once."""
    enc = wire.Encoder(prefix="i")
    encoded = [
        {
            "id": i,
            "function": c.function,
            "args": [enc.encode(a) for a in c.args],
            "kwargs": {k: enc.encode(v) for k, v in c.kwargs.items()},
            "observe_args": c.observe_args,
        }
        for i, c in enumerate(calls)
    ]
    wire.save_arrays(root / "in" / "inputs.npz", enc.arrays)
    pending = root / "in" / f".{CALLS_FILE}.part"
    pending.write_text(json.dumps(encoded), encoding="utf-8")
    os.replace(pending, root / "in" / CALLS_FILE)


@dataclass
class JobOutput:
    """What the sandbox left behind, read with size limits and no pickles."""

    status: dict[str, Any] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    returned: dict[int, Returned] = field(default_factory=dict)

    def event_time(self, name: str) -> float | None:
        for event in self.events:
            if event.get("event") == name:
                return float(event["t"])
        return None

    @property
    def last_call_started(self) -> int | None:
        started = [e["id"] for e in self.events if e.get("event") == "call"]
        return int(started[-1]) if started else None


def read_job_output(root: Path, calls: list[Call]) -> JobOutput:
    out = root / "out"
    result = JobOutput()
    if (out / "status.json").exists():
        result.status = wire.read_json(out / "status.json")
    if (out / "events.jsonl").exists():
        raw = wire.read_plain_file(out / "events.jsonl", wire.MAX_JSON_BYTES).decode("utf-8", "replace")
        for line in raw.splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a kill
            if isinstance(event, dict):
                result.events.append(event)
    for i, c in enumerate(calls[:MAX_CALL_RECORDS]):
        record_path = out / f"call-{i}.json"
        if not record_path.exists():
            continue
        record = wire.read_json(record_path)
        if record.get("id") != i:
            raise WireError(f"{record_path.name}: holds call {record.get('id')!r}")
        arrays_path = out / f"call-{i}.npz"
        arrays = wire.load_arrays(arrays_path) if arrays_path.exists() else {}
        result.returned[i] = _returned(c, record, arrays)
    return result


def _returned(c: Call, record: dict[str, Any], arrays: dict) -> Returned:
    error = None
    if not record.get("ok"):
        info = record.get("error") or {}
        error = RaisedError(
            type=str(info.get("type", "?")),
            bases=tuple(str(n) for n in info.get("mro", ())),
            message=str(info.get("message", "")),
            traceback=str(info.get("traceback", "")),
        )
    after = record.get("args_after")
    return Returned(
        call=c,
        result=wire.decode(record["result"], arrays) if error is None else None,
        error=error,
        args_after=tuple(wire.decode(a, arrays) for a in after) if after is not None else None,
        seconds=float(record.get("seconds", 0.0)),
        warnings=tuple(str(w) for w in record.get("warnings", ())),
    )
