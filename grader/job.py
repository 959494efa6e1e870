"""A job folder: what the trusted side hands a runner, and reads back afterwards.

Writing inputs and reading outputs live together here so the folder layout has one owner
(`grader.sandbox.functions` documents it from the child's side).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.check import Call, Returned
from grader.sandbox import wire
from grader.sandbox.wire import RaisedError, WireError

MAX_CALL_RECORDS = 10_000
JOB_PREFIX = "grade-"
OWNER_FILE = "owner.pid"  # the grade process a job folder belongs to; a folder whose owner is gone is stale


def new_job_root(prefix: str = JOB_PREFIX) -> Path:
    """A fresh private folder under the temporary dir, marked with the pid of this process."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    mark_owner(root)
    return root


def mark_owner(folder: Path) -> None:
    """Say which process a ``grade-*`` folder belongs to, so a later grade can tell it is stale."""
    (folder / OWNER_FILE).write_text(str(os.getpid()))


@contextmanager
def snapshot(submission: Path) -> Iterator[tuple[Path, str]]:
    """A private copy of ``submission`` (same name) and the sha256 of its bytes, read once:
    everything after grades the copy, so the digest names exactly what was graded."""
    root = new_job_root(f"{JOB_PREFIX}snapshot-")
    try:
        copy = root / submission.name
        digest = hashlib.sha256()
        with open(submission, "rb") as src, open(copy, "wb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
        yield copy, digest.hexdigest()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` ends (Linux): a bulk worker must not
    outlive a killed ``grade bulk``, or the sandboxes it started would run on."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before the line above took effect
        os._exit(1)


def remove_stale_job_dirs(temp_dir: Path) -> list[Path]:
    """Remove job folders whose grade process is gone (killed with ``kill -9``, say)."""
    removed = []
    for folder in temp_dir.glob(f"{JOB_PREFIX}*"):
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.geteuid():
                continue
            pid = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if not process_exists(pid):
            remove_job_dir(folder)
            removed.append(folder)
    return removed


def process_exists(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its reaper is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (macOS): the signal said it exists
    return state not in ("Z", "X")


def _new_job_dir(submission: Path, source: str | None) -> tuple[Path, Path]:
    """A fresh private folder with a read-only copy of the submission (``source`` replaces its text)."""
    root = new_job_root()
    for name in ("in", "out", "submission"):
        (root / name).mkdir()
    copy = root / "submission" / (submission.stem + ".py")
    if source is None:
        shutil.copyfile(submission, copy)
    else:
        copy.write_text(source, encoding="utf-8")
    copy.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return root, copy


def _relative(path: Path, root: Path) -> str:
    """Paths in a job are relative to its folder: a container sees the folder elsewhere."""
    return path.relative_to(root).as_posix()


def make_job_dir(submission: Path, functions: list[str], calls: list[Call], source: str | None = None) -> Path:
    """A job folder for a function exercise: the submission and the encoded calls."""
    root, copy = _new_job_dir(submission, source)

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
    (root / "in" / "calls.json").write_text(json.dumps(encoded), encoding="utf-8")
    wire.save_arrays(root / "in" / "inputs.npz", enc.arrays)
    job = {"submission": _relative(copy, root), "display_name": submission.name, "functions": functions}
    (root / "in" / "job.json").write_text(json.dumps(job), encoding="utf-8")
    return root


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


def remove_job_dir(root: Path) -> None:
    # The submission copy is read-only; rmtree needs write permission on its folder only.
    shutil.rmtree(root, ignore_errors=True)


def make_model_job_dir(submission: Path, model_var: str, source: str | None = None) -> Path:
    """A job folder for the training sandbox."""
    root, copy = _new_job_dir(submission, source)
    job = {"submission": _relative(copy, root), "display_name": submission.name, "model_var": model_var}
    (root / "in" / "job.json").write_text(json.dumps(job), encoding="utf-8")
    return root
