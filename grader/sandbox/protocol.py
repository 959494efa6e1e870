"""What crosses the boundary between the grade process and a child, declared once for both sides.

A job folder holds ``in/`` (the trusted side's, read-only to the child) and ``out/`` (the
child's, and so the submission's: the trusted side reads it with `grader.sandbox.wire`'s
limits and trusts none of it). The requests the trusted side writes are typed here and carry
`PROTOCOL_VERSION`: a child of another version (a docker image built from older grader code)
refuses the job instead of misreading it.

    in/job.json       FunctionJob | TrainingJob       in/calls.json, in/inputs.npz   the calls
    in/eval.json      EvalRequest (the evaluator)     in/model.keras | .h5, in/cancel
    out/status.json   FunctionStatus | TrainingStatus                    out/events.jsonl
    out/history.json  one record per fit()            out/model.keras, out/eval.json, out/phase
    out/epochs.json   EpochRecord (the fit under way)  out/epoch-model.keras (its latest kept epoch)

This module is in the child package: it imports nothing of the trusted side.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

PROTOCOL_VERSION = 2  # 2: the certificate's raw forms (input_shape, scale)

IN, OUT = "in", "out"
JOB_FILE = "job.json"  # in/: what to run (FunctionJob, TrainingJob)
CALLS_FILE = "calls.json"  # in/: written last and whole by the trusted side; the child waits for it
INPUTS_FILE = "inputs.npz"  # in/: the arrays the calls point at, in place before calls.json
EVAL_FILE = "eval.json"  # in/: the evaluator's request; out/: its measurements
CANCEL_FILE = "cancel"  # in/: no model will come; the evaluator ends at once
STATUS_FILE = "status.json"  # out/: how far the child got, and what it found
# out/: the file imported (a function exercise's child): only now are the hidden inputs written, so
# nothing the file's top level did could have seen them, and only what it printed until now is shown.
IMPORTED_FILE = "imported"
EVENTS_FILE = "events.jsonl"  # out/: the child's journal (start, imported, each call, done)
HISTORY_FILE = "history.json"  # out/: each fit()'s seconds and metrics per epoch
MODEL_FILE = "model.keras"  # out/: the trained model
# out/: the fit under way, as it stood at its latest kept epoch, so a run the time limit stops is
# still graded as far as it got (EpochRecord; the model, overwritten whole at each kept epoch).
EPOCHS_FILE = "epochs.json"
EPOCH_MODEL_FILE = "epoch-model.keras"
MAX_RECORDED_EPOCHS = 10_000  # epochs.json keeps each metric's first this many values
MAX_RECORDED_METRICS = 16  # 16 × 10,000 values stay well within the reader's 8 MB for JSON
PHASE_FILE = "phase"  # out/: what the evaluator was doing, should it be stopped
CALLS_OUTPUT_FILE = "calls-output.txt"  # out/: what the function printed on hidden inputs
CALLS_OUTPUT_BYTES = 64 * 1024
# The evaluator's environment: where the runner mounted the hidden data (a path only it knows).
HIDDEN_DATA_ENV = "GRADE_HIDDEN_DATA"

# status.json's phase: how far a child got. "done" is the only one that means it finished.
PHASES = ("import", "calls", "model", "done")
# A described function's parameter kinds (inspect.Parameter's names).
PARAMETER_KINDS = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD", "VAR_POSITIONAL", "KEYWORD_ONLY", "VAR_KEYWORD")


class ProtocolMismatch(ValueError):
    """A request of another protocol version, or not in its shape."""


@dataclass(frozen=True)
class FunctionJob:
    """A function exercise: import the file, describe these functions, make the calls."""

    submission: str  # relative to the job folder
    display_name: str  # the learner's file name, for tracebacks
    functions: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # contract name -> the file's name for it

    def __post_init__(self) -> None:
        object.__setattr__(self, "functions", tuple(self.functions))  # JSON brings a list back


@dataclass(frozen=True)
class TrainingJob:
    """A model exercise: run the file, find its model, save it."""

    submission: str
    display_name: str
    model_var: str = "model"


@dataclass(frozen=True)
class EvalRequest:
    """The trusted evaluator: score this model on the hidden test set, in this input form."""

    model: str  # relative to the evaluator's folder, e.g. in/model.keras
    dataset: str
    input: str  # image, tabular, text, series, folders, headlines or points
    metric: str
    text: dict[str, Any] | None = None  # num_words, maxlen, padding, truncating (oov_token, embedding_dim)
    window: int | None = None
    input_shape: list[int] | None = None  # folders: the size images are resized to
    scale: str = "raw"  # series: raw, or max ((x - min) / max, as the certificate's starter)


@dataclass(frozen=True)
class ChildStatus:
    """What every child's ``out/status.json`` says first: how far it got."""

    phase: str  # one of PHASES

    @property
    def finished(self) -> bool:
        return self.phase == "done"


@dataclass(frozen=True)
class FunctionStatus(ChildStatus):
    """``out/status.json`` of a function exercise's child: how far it got (``phase``) and what it
    found: once the file imported, each function's description (name -> callable, parameters);
    if the import failed, its error (type, mro, traceback, ...). The trusted side reads it back
    with `from_json`, which checks its shape: the submission could have written it."""

    functions: dict[str, dict[str, Any]] | None = None
    error: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, data: Any) -> FunctionStatus:
        """The status as the child writes it, or `ProtocolMismatch` saying what is off."""
        phase, error = _phase_and_error(data)
        functions = data.get("functions")
        if functions is not None and (
            not isinstance(functions, dict) or not all(isinstance(v, dict) for v in functions.values())
        ):
            raise ProtocolMismatch("status.json: 'functions' is not a table of functions")
        for info in (functions or {}).values():
            params = info.get("parameters")
            if params is not None and not (isinstance(params, list) and all(_is_parameter(p) for p in params)):
                raise ProtocolMismatch("status.json: a function's 'parameters' are not a list of parameters")
        return cls(phase, functions, error)


@dataclass(frozen=True)
class TrainedModel:
    """What a training child found as the learner's model, and whether it saved it."""

    origin: str  # "solution_model()", "global `model`" (the --model-var), or "nothing"
    type: str  # its class name
    is_keras: bool
    saved: bool = False
    save_error: str = ""


@dataclass(frozen=True)
class TrainingStatus(ChildStatus):
    """``out/status.json`` of a model exercise's child: how far it got (``phase``), the import's
    or ``solution_model()``'s error, or the model it found. Read back with `from_json`, like
    `FunctionStatus`."""

    error: dict[str, Any] | None = None
    model: TrainedModel | None = None

    @classmethod
    def from_json(cls, data: Any) -> TrainingStatus:
        """The status as the child writes it, or `ProtocolMismatch` saying what is off."""
        phase, error = _phase_and_error(data)
        model = data.get("model")
        if model is None:
            return cls(phase, error)
        kinds = {"origin": str, "type": str, "is_keras": bool, "saved": bool, "save_error": str}  # TrainedModel's
        if not (
            isinstance(model, dict)
            and {"origin", "type", "is_keras"} <= set(model) <= set(kinds)
            and all(isinstance(value, kinds[key]) for key, value in model.items())
        ):
            raise ProtocolMismatch("status.json: 'model' is not the model record the child writes")
        return cls(phase, error, TrainedModel(**model))


@dataclass(frozen=True)
class EpochRecord:
    """``out/epochs.json``: the ``fit()`` under way, rewritten whole at each epoch the child keeps.
    ``fit`` counts the fits that had returned before it began; ``epochs_asked`` is its ``epochs``
    (less ``initial_epoch``; None where that was no integer); ``seconds`` since it began, at its
    latest kept epoch; ``model_epoch`` the epoch whose model is in `EPOCH_MODEL_FILE` (None: none
    kept, e.g. a model too large to copy each epoch); ``ended``: the fit returned. Read back with
    `from_json`, which checks every field: the submission could have written it."""

    fit: int
    epochs_asked: int | None
    epochs_done: int
    seconds: float
    history: dict[str, list[float | None]]
    model_epoch: int | None = None
    ended: bool = False
    x_range: list[float] | None = None

    @classmethod
    def from_json(cls, data: Any) -> EpochRecord:
        """The record as the child writes it, or `ProtocolMismatch` saying what is off."""
        known = {f.name for f in fields(cls)}
        required = {f.name for f in fields(cls) if f.default is MISSING}
        if not isinstance(data, dict) or not required <= set(data) <= known:
            raise ProtocolMismatch(f"{EPOCHS_FILE}: not the record of epochs the child writes")
        record = cls(**data)
        done, asked, kept = record.epochs_done, record.epochs_asked, record.model_epoch
        history, span = record.history, record.x_range
        problems = {
            "'fit' is not a count": not _count(record.fit),
            "'epochs_done' is not a count": not _count(done),
            "'epochs_asked' is not a count": asked is not None and not _count(asked),
            "'seconds' is not a duration": not (_number(record.seconds) and 0 <= record.seconds < 1e9),
            "'model_epoch' is not an epoch done": kept is not None and not (_count(kept) and 1 <= kept <= done),
            "'ended' is not true or false": not isinstance(record.ended, bool),
            "'history' is not each metric's values per epoch": not (
                isinstance(history, dict)
                and len(history) <= MAX_RECORDED_METRICS
                and all(len(name) <= 100 for name in history)
                and all(
                    isinstance(values, list)
                    and len(values) <= min(done, MAX_RECORDED_EPOCHS)
                    and all(v is None or type(v) in (int, float) for v in values)  # NaN: a diverged run
                    for values in history.values()
                )
            ),
            "'x_range' is not a low and a high": span is not None
            and not (isinstance(span, list) and len(span) == 2 and all(_number(v) for v in span)),
        }
        wrong = [why for why, bad in problems.items() if bad]
        if wrong:
            raise ProtocolMismatch(f"{EPOCHS_FILE}: {wrong[0]}")
        return record


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value < 2**31


def _number(value: Any) -> bool:
    """A finite float or int (not a bool); JSON's NaN and Infinity, which Python's parser takes, are not."""
    return type(value) in (int, float) and math.isfinite(value)


def _phase_and_error(data: Any) -> tuple[str, dict[str, Any] | None]:
    if not isinstance(data, dict):
        raise ProtocolMismatch(f"status.json holds a {type(data).__name__}, not an object")
    phase, error = data.get("phase"), data.get("error")
    if phase not in PHASES:
        raise ProtocolMismatch(f"status.json: phase {str(phase)[:40]!r} is not one of {', '.join(PHASES)}")
    if error is not None and not isinstance(error, dict):
        raise ProtocolMismatch("status.json: 'error' is not an object")
    return phase, error


def _is_parameter(p: Any) -> bool:
    return (
        isinstance(p, dict)
        and isinstance(p.get("name"), str)
        and p.get("kind") in PARAMETER_KINDS
        and isinstance(p.get("has_default"), bool)
    )


Request = TypeVar("Request", FunctionJob, TrainingJob, EvalRequest)


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON whole: a reader (the other side, the judge after a kill) never sees
    half a file. No numpy here: the trusted side writes a job before it has imported numpy."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def write_status(out: Path, status: ChildStatus) -> None:
    """A child's ``out/status.json``, written whole."""
    write_json(out / STATUS_FILE, asdict(status))


def write_request(path: Path, request: FunctionJob | TrainingJob | EvalRequest) -> None:
    """Write ``request`` whole (a rename), with the protocol version."""
    write_json(path, {"version": PROTOCOL_VERSION, **asdict(request)})


def read_request(path: Path, kind: type[Request]) -> Request:
    """The request in ``path``, or `ProtocolMismatch`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("version") != PROTOCOL_VERSION:
        found = data.get("version") if isinstance(data, dict) else None
        raise ProtocolMismatch(f"{path.name}: protocol version {found!r}, this side speaks {PROTOCOL_VERSION}")
    names = {f.name for f in fields(kind)}
    try:
        request = kind(**{k: v for k, v in data.items() if k in names})
    except TypeError as exc:
        raise ProtocolMismatch(f"{path.name}: {exc}") from None
    return request
