"""The child-process side of a function exercise: ``python -m grader.sandbox.functions JOB_DIR``.

This is the only grader module that shares a process with submission code, so it trusts
nothing it gets back from that code: it imports the submission, calls the requested
functions on the hidden inputs and writes what came back as data (JSON + ``.npz``). It never
judges; the trusted side does that from the files alone. Every call's result is written as
soon as it exists, so a later timeout or crash still leaves the finished calls readable.

Job folder layout (declared in `grader.sandbox.protocol`; the child sees it at the path it is given):
    in/job.json     submission path, display name, required functions, aliases (name -> the
                    file's name for it, e.g. split_x -> split_data)
    in/calls.json   the calls to make, values as `grader.sandbox.wire` trees; it may appear
                    only after the submission was imported (`wait_for_calls`)
    in/inputs.npz   the arrays those trees point at (in place before calls.json)
    out/            events.jsonl, status.json, call-<i>.json, call-<i>.npz, calls-output.txt
                    (what the function printed during the calls: shown with --reveal only)
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import json
import os
import sys
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Generic, TypeVar

import numpy as np

from grader.sandbox import flush_all, protocol, run_main, wire

_T0 = time.perf_counter()
Job = TypeVar("Job", protocol.FunctionJob, protocol.TrainingJob)


class Journal:
    """Append-only progress log; the trusted side reads it to say where a run stopped."""

    def __init__(self, out: Path) -> None:
        self._fh = open(out / protocol.EVENTS_FILE, "a", encoding="utf-8")

    def log(self, event: str, **fields: Any) -> None:
        fields.update(event=event, t=round(time.perf_counter() - _T0, 6))
        self._fh.write(json.dumps(fields) + "\n")
        self._fh.flush()


class GraderInternalsBlocked:
    """Refuse ``import grader.check`` and friends from submission code.

    A second wall: neither runner puts the reference implementations where the child can see
    them (the local sandbox binds this package alone, the image leaves them out), and where a
    plain child process runs (no bwrap) this keeps them from being imported by name. A meta
    path finder is any object with ``find_spec``: the ``importlib.abc`` base class would cost
    every child 4 ms of imports (importlib.resources, tempfile, shutil) before it can start.
    """

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.split(".")[0] == "grader" and fullname not in sys.modules:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def trimmed_traceback(exc: BaseException, source: Path, shown_as: str) -> str:
    """The traceback cut to the learner's own frames, with their file name, not our paths."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == source]
    lines = []
    if frames:
        lines.append("Traceback (most recent call last):")
        for frame in frames:
            lines.append(f'  File "{shown_as}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
    if isinstance(exc, SyntaxError) and Path(exc.filename or "") == source:
        lines.append(f'  File "{shown_as}", line {exc.lineno}')
        if exc.text:
            code = exc.text.rstrip("\n")
            lines.append(f"    {code.strip()}")
            if exc.offset:
                indent = len(code) - len(code.lstrip())
                lines.append("    " + " " * max(exc.offset - 1 - indent, 0) + "^")
        lines.append(f"{type(exc).__name__}: {exc.msg}")
    else:
        lines.extend(traceback.format_exception_only(type(exc), exc)[-1:])
    return "\n".join(line.rstrip("\n") for line in lines)


def describe_error(exc: BaseException, source: Path, shown_as: str) -> dict[str, Any]:
    mro = [c.__name__ for c in type(exc).__mro__]
    try:
        message = str(exc)
    except Exception:
        message = "<unprintable message>"
    info: dict[str, Any] = {
        "type": type(exc).__name__,
        "mro": mro,
        "message": message[:2000],
        "traceback": trimmed_traceback(exc, source, shown_as)[:8000],
    }
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        info["missing_module"] = exc.name
    if isinstance(exc, SyntaxError):
        info["lineno"] = exc.lineno
    if isinstance(exc, SystemExit):
        info["exit_code"] = exc.code if isinstance(exc.code, (int, type(None))) else str(exc.code)
    return info


def import_submission(path: Path, journal: Journal) -> tuple[ModuleType | None, dict[str, Any] | None]:
    """Execute the learner's file as a module named ``submission`` (so ``__main__`` blocks stay off).

    ``sys.exit(0)`` at the end of a script is common and harmless: what the module defined
    before it is kept. Anything else that escapes is the submission's error.
    """
    spec = importlib.util.spec_from_file_location("submission", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["submission"] = module
    try:
        spec.loader.exec_module(module)
    except SystemExit as exc:
        if exc.code in (0, None):
            journal.log("import-exit", code=0)
            return module, None
        return None, describe_error(exc, path, path.name)
    except BaseException as exc:
        return None, describe_error(exc, path, path.name)
    return module, None


def describe_function(module: ModuleType, name: str) -> dict[str, Any]:
    """What the trusted side needs to judge the contract, as data."""
    if not hasattr(module, name):
        return {"name": name, "present": False}
    obj = getattr(module, name)
    info: dict[str, Any] = {"name": name, "present": True, "callable": callable(obj)}
    if callable(obj):
        try:
            sig = inspect.signature(obj)
        except (TypeError, ValueError):
            info["parameters"] = None  # builtins without a signature: calls will tell
        else:
            info["parameters"] = [
                {"name": p.name, "kind": p.kind.name, "has_default": p.default is not p.empty}
                for p in sig.parameters.values()
            ]
    return info


def run_call(call: dict[str, Any], module: ModuleType, arrays: dict[str, np.ndarray], source: Path, out: Path) -> None:
    i = call["id"]
    # Fresh copies per call: one call mutating its input must not change the next call's.
    fresh = {k: v.copy() for k, v in arrays.items()}
    args = [wire.decode(a, fresh) for a in call["args"]]
    kwargs = {k: wire.decode(v, fresh) for k, v in call["kwargs"].items()}
    func = getattr(module, call["function"])
    record: dict[str, Any] = {"id": i}
    enc = wire.Encoder(prefix="r")
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:
            record["ok"] = False
            record["error"] = describe_error(exc, source, source.name)
        else:
            record["ok"] = True
            try:
                record["result"] = enc.encode(result)
            except Exception as exc:  # a hostile object that breaks encoding is still a result
                record["result"] = {"t": "opaque", "type": type(result).__name__, "repr": f"<{exc!r}>"}
    record["seconds"] = time.perf_counter() - started
    record["warnings"] = [f"{w.category.__name__}: {w.message}"[:300] for w in caught[:5]]
    if call.get("observe_args"):
        record["args_after"] = [enc.encode(a) for a in args]
    size = sum(a.nbytes for a in enc.arrays.values())
    if size > wire.MAX_FILE_BYTES:  # the trusted side would refuse the file: say why, write nothing
        limit = wire.MAX_FILE_BYTES
        record = {"id": i, "ok": False, "seconds": record["seconds"], "warnings": record["warnings"]}
        record["error"] = {
            "type": "ResultTooLarge",
            "mro": ["ResultTooLarge"],
            "message": f"{size / 2**20:.0f} MB, over the {limit / 2**20:.0f} MB limit",
        }
        enc.arrays.clear()
    if enc.arrays:
        wire.save_arrays(out / f"call-{i}.npz", enc.arrays)
    protocol.write_json(out / f"call-{i}.json", record)


@dataclass
class OpenedJob(Generic[Job]):
    """A job as the child starts it: its folder, its request, the submission, the journal."""

    dir: Path
    spec: Job
    source: Path
    journal: Journal

    @property
    def out(self) -> Path:
        return self.dir / protocol.OUT


def open_job(argv: list[str], kind: type[Job]) -> OpenedJob[Job]:
    """Read the job named by ``argv``, start its journal, and give the learner's script its own name.
    A request of another protocol version ends the child with exit code 3: the grader's fault."""
    job_dir = Path(argv[0])
    try:
        spec = protocol.read_request(job_dir / protocol.IN / protocol.JOB_FILE, kind)
    except protocol.ProtocolMismatch as exc:
        sys.stderr.write(f"grader protocol mismatch: {exc}\n")
        raise SystemExit(3) from None
    journal = Journal(job_dir / protocol.OUT)
    sys.argv = [spec.display_name]
    journal.log("start")
    return OpenedJob(job_dir, spec, job_dir / spec.submission, journal)


class BoundedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters written to it and drops the rest."""

    def __init__(self, target: io.TextIOBase, limit: int) -> None:
        self._target, self._left = target, limit

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._left > 0:
            kept = str(text)[: self._left]
            self._target.write(kept)
            self._left -= len(kept)
        return len(text)

    def flush(self) -> None:
        self._target.flush()


@contextlib.contextmanager
def descriptors_into(target: io.TextIOWrapper) -> Iterator[None]:
    """File descriptors 1 and 2 write into ``target`` meanwhile. What bypasses ``sys.stdout``
    (``print(..., file=sys.__stdout__)``, ``os.write(1, ...)``, a subprocess, a C library) would
    otherwise reach the output the learner sees, and it may show the hidden inputs. A descriptor
    the file closed at import is pointed at ``target`` too, and closed again after."""
    flush_all(sys.__stdout__, sys.__stderr__)  # what the import printed stays in the learner's output
    saved: dict[int, int | None] = {}
    for fd in (1, 2):
        try:
            saved[fd] = os.dup(fd)
        except OSError:  # closed by the submission
            saved[fd] = None
        os.dup2(target.fileno(), fd)
    try:
        yield
    finally:
        flush_all(sys.__stdout__, sys.__stderr__, target)
        for fd, original in saved.items():
            if original is None:
                os.close(fd)
            else:
                os.dup2(original, fd)
                os.close(original)


def wait_for_calls(in_dir: Path) -> Path:
    """The calls file, once the trusted side has written it: it plans the checks (fresh hidden
    inputs) while this process starts and imports the submission, and renames the file into
    place last and whole. A run that never gets it ends at the runner's time limit."""
    path = in_dir / protocol.CALLS_FILE
    while not path.exists():
        time.sleep(0.002)
    return path


def main(argv: list[str]) -> int:
    opened = open_job(argv, protocol.FunctionJob)
    job_dir, out, job, source, journal = opened.dir, opened.out, opened.spec, opened.source, opened.journal
    sys.meta_path.insert(0, GraderInternalsBlocked())

    module, error = import_submission(source, journal)
    journal.log("imported")
    if error is not None:
        protocol.write_status(out, protocol.FunctionStatus("import", error=error))
        return 0
    assert module is not None
    for name, defined_as in job.aliases.items():  # last year's name for this year's function
        if hasattr(module, defined_as):  # asked for by name: it wins over a same-named definition
            setattr(module, name, getattr(module, defined_as))
    functions = {name: describe_function(module, name) for name in job.functions}
    protocol.write_status(out, protocol.FunctionStatus("calls", functions=functions))
    sys.stdout.flush()
    sys.stderr.flush()
    (out / protocol.IMPORTED_FILE).touch()  # the trusted side writes the hidden inputs only now

    calls = json.loads(wait_for_calls(job_dir / protocol.IN).read_text(encoding="utf-8"))
    with np.load(job_dir / protocol.IN / protocol.INPUTS_FILE, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    # What the function prints while it runs on hidden inputs would show them: it goes to its own
    # file, which the trusted side shows only to instructors (--reveal), at the Python level
    # (bounded) and at the file descriptors' (bounded by the output quota).
    with open(out / protocol.CALLS_OUTPUT_FILE, "w", encoding="utf-8", buffering=1) as printed:
        bounded = BoundedText(printed, protocol.CALLS_OUTPUT_BYTES)
        with contextlib.redirect_stdout(bounded), contextlib.redirect_stderr(bounded), descriptors_into(printed):
            for call in calls:
                info = functions.get(call["function"], {})
                if not info.get("callable"):
                    continue  # the contract check reports it; calling would only repeat that
                journal.log("call", id=call["id"])
                run_call(call, module, arrays, source, out)
    protocol.write_status(out, protocol.FunctionStatus("done", functions=functions))
    journal.log("done")
    return 0


if __name__ == "__main__":
    run_main(main)
