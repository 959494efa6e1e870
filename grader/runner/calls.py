"""A function exercise's calls on their way into the sandbox, and what came back, as data.

The trusted side writes ``in/inputs.npz`` and then ``in/calls.json`` into a job folder the
child is already running in (`grader.runner.jobs.make_function_job_dir`): the child imports the
learner's file meanwhile and waits for ``calls.json`` to appear. It reads back ``out/`` with
size limits and no pickles. `grader.sandbox.functions` is the other side.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.check import UNREADABLE_RESULTS, Call, Returned
from grader.runner import OUTPUT_TAIL_BYTES, Running, read_tail
from grader.sandbox import protocol, wire
from grader.sandbox.protocol import (
    CALLS_FILE,
    CALLS_OUTPUT_BYTES,
    CALLS_OUTPUT_FILE,
    EVENTS_FILE,
    INPUTS_FILE,
    STATUS_FILE,
)
from grader.sandbox.wire import RaisedError, WireError

MAX_CALL_RECORDS = 10_000
# All the calls' arrays together, as the grade process holds them while it judges: a few MB of
# deflated arrays per call would otherwise grow it by gigabytes (it runs under no limit of its own).
TOTAL_ARRAY_BYTES = 2 * 256 * 2**20


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
    wire.save_arrays(root / "in" / INPUTS_FILE, enc.arrays)
    protocol.write_json(root / "in" / CALLS_FILE, encoded)  # whole, by a rename


@dataclass
class ChildRecords:
    """What a function exercise's child wrote into ``out/`` (its status, its events, each call's
    returned value, what it printed during the calls), read with size limits and no pickles."""

    status: protocol.FunctionStatus | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    returned: dict[int, Returned] = field(default_factory=dict)
    unreadable: str | None = None  # why status.json or events.jsonl could not be read, if so
    calls_output: str = ""  # what the function printed during the hidden calls (instructors only)

    def event_time(self, name: str) -> float | None:
        for event in self.events:
            if event.get("event") == name:
                return float(event["t"])
        return None

    @property
    def last_call_started(self) -> int | None:
        started = [e["id"] for e in self.events if e.get("event") == "call" and type(e.get("id")) is int]
        return started[-1] if started else None


def read_child_records(root: Path, calls: list[Call]) -> ChildRecords:
    """What the child left in ``out/``. Everything there was writable by the submission, so
    nothing in it can fail the grader: a file that is not what the child writes (a link, too
    large, not JSON, the wrong shape) is named in ``unreadable`` or in that call's result."""
    out = root / "out"
    result = ChildRecords()
    try:
        if os.path.lexists(out / STATUS_FILE):
            result.status = protocol.FunctionStatus.from_json(wire.read_json(out / STATUS_FILE))
        if os.path.lexists(out / EVENTS_FILE):
            result.events = _events(out / EVENTS_FILE)
    except (WireError, protocol.ProtocolMismatch) as exc:
        result.status, result.unreadable = None, str(exc)
    try:
        if os.path.lexists(out / CALLS_OUTPUT_FILE):
            raw = wire.read_plain_file(out / CALLS_OUTPUT_FILE, 4 * CALLS_OUTPUT_BYTES)
            result.calls_output = raw.decode("utf-8", "replace")
    except WireError:
        pass  # only ever shown to an instructor: a replaced file is simply not shown
    left = [TOTAL_ARRAY_BYTES]  # what the calls' arrays may still take in this (unlimited) process
    for i, c in enumerate(calls[:MAX_CALL_RECORDS]):
        if os.path.lexists(out / f"call-{i}.json"):
            result.returned[i] = _read_call(out, i, c, left)
    return result


def _events(path: Path) -> list[dict[str, Any]]:
    raw = wire.read_plain_file(path, wire.MAX_JSON_BYTES).decode("utf-8", "replace")
    events = []
    for line in raw.splitlines():
        try:
            event = wire.parse_json(line, path.name)
        except WireError:
            continue  # a line cut short by a kill, or out of the reader's bounds
        if isinstance(event, dict) and isinstance(event.get("t", 0.0), (int, float)):
            events.append(event)
    return events


def _read_call(out: Path, i: int, c: Call, left: list[int]) -> Returned:
    try:
        record = wire.read_json(out / f"call-{i}.json")
        if not isinstance(record, dict) or record.get("id") != i:
            raise WireError(f"call-{i}.json does not hold call {i}")
        arrays_path = out / f"call-{i}.npz"
        limit = min(wire.MAX_FILE_BYTES, left[0])
        arrays = wire.load_arrays(arrays_path, limit) if os.path.lexists(arrays_path) else {}
        left[0] -= sum(a.nbytes for a in arrays.values())
        return _returned(c, record, arrays)
    except wire.TooLarge as exc:
        sizes = f"{exc.size / 2**20:.0f} MB, over the {exc.limit / 2**20:.0f} MB limit"
        return _unreadable(c, "ResultTooLarge", sizes)
    except RecursionError:  # a value nested deeper than decode walks: the file's doing
        return _unreadable(c, "ResultUnreadable", "nested too deeply")
    except (WireError, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        return _unreadable(c, "ResultUnreadable", str(exc) or type(exc).__name__)


def _unreadable(c: Call, kind: str, why: str) -> Returned:
    return Returned(call=c, error=RaisedError(type=kind, bases=(kind,), message=why))


_SIZES = re.compile(r"^\d{1,9} MB, over the \d{1,9} MB limit$")


def _returned(c: Call, record: dict[str, Any], arrays: dict) -> Returned:
    error = None
    if not record.get("ok"):
        info = record.get("error") or {}
        kind, message = str(info.get("type", "?")), str(info.get("message", ""))
        # The reader's kinds (ResultTooLarge, …) are shown with their message, so a child's record
        # may use one only as the child's own code writes it: the sizes of a result too large.
        if kind in UNREADABLE_RESULTS and not (kind == "ResultTooLarge" and _SIZES.match(message)):
            kind = f"{kind} (raised)"
        error = RaisedError(
            type=kind,
            bases=tuple(str(n) for n in info.get("mro", ())),
            message=message,
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


def output_once_imported(root: Path, running: Running) -> int | None:
    """Wait until the child has imported the file or ended (the runner's clock ends it at the
    time limit); the size of its output log then, or None when it ended first. The marker is
    the child's to write, so the file's own code may write it early: that only hides more of its
    own output, and the hidden inputs are still written after everything it printed."""
    marker = root / protocol.OUT / protocol.IMPORTED_FILE
    while not os.path.lexists(marker):
        if running.ended():
            return None
        time.sleep(0.002)
    return _settled_size(root / "output.log", getattr(running, "output_lags", False))


def _settled_size(log: Path, lags: bool) -> int:
    """The output log's size; where it arrives late (a container's log stream), once it has not
    grown for 0.3 s (at most 2 s: a file that keeps printing gets what came by then)."""
    size, stable_since, deadline = -1, time.monotonic(), time.monotonic() + 2.0
    while True:
        try:
            now = os.stat(log).st_size
        except OSError:
            now = 0
        if not lags:
            return now
        if now != size:
            size, stable_since = now, time.monotonic()
        if time.monotonic() - stable_since >= 0.3 or time.monotonic() >= deadline:
            return size
        time.sleep(0.01)


def output_before(root: Path, mark: int | None, whole: str) -> tuple[str, bool]:
    """What the child printed before its hidden inputs were written (its top-level code's
    output), and whether it printed more after: that part could show those inputs."""
    if mark is None:
        return whole, False
    try:
        with open(root / "output.log", "rb") as log:
            printed = os.fstat(log.fileno()).st_size
            return read_tail(log, OUTPUT_TAIL_BYTES, end=mark)[0], printed > mark
    except OSError:
        return "", False
