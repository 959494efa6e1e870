"""What a training child left in ``out/``, read as hostile input: the submission ran in that
process and could have written, replaced or linked any of these files. Each is read with
`grader.sandbox.wire`'s limits (a plain file, bounded in size) and checked against the shape the
child writes; anything else is a `WireError` naming what is off, never a grader error.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from grader.sandbox import wire
from grader.sandbox.protocol import (
    EPOCHS_FILE,
    HISTORY_FILE,
    STATUS_FILE,
    EpochRecord,
    ProtocolMismatch,
    TrainingStatus,
)
from grader.sandbox.wire import WireError


def read_training_record(out: Path) -> tuple[TrainingStatus, list[dict[str, Any]]]:
    """``status.json`` and ``history.json`` from a training job, in the shapes the child writes,
    or a `WireError` saying what is off (a link, too large, the wrong shape). No status.json: the
    child never got to its end (a kill, a timeout)."""
    status: Any = wire.read_json(out / STATUS_FILE) if os.path.lexists(out / STATUS_FILE) else None
    fits: Any = wire.read_json(out / HISTORY_FILE) if os.path.lexists(out / HISTORY_FILE) else []
    if not isinstance(fits, list) or not all(_is_fit(f) for f in fits):
        raise WireError("history.json is not in the shape the sandbox writes")
    if status is None:
        return TrainingStatus("import"), fits
    try:
        return TrainingStatus.from_json(status), fits
    except ProtocolMismatch as exc:
        raise WireError(str(exc)) from None


def read_epoch_record(out: Path) -> EpochRecord | None:
    """``epochs.json``: the fit under way when the run stopped, as of its latest kept epoch; None
    where no fit began. A `WireError` where it is not the record the child writes."""
    if not os.path.lexists(out / EPOCHS_FILE):
        return None
    data = wire.read_json(out / EPOCHS_FILE)
    try:
        return EpochRecord.from_json(data)
    except ProtocolMismatch as exc:
        raise WireError(str(exc)) from None


def _is_fit(fit: Any) -> bool:
    """One ``fit()`` as the child records it: seconds, and each metric's values per epoch."""
    if not isinstance(fit, dict) or not isinstance(fit.get("seconds"), (int, float)):
        return False
    history = fit.get("history")
    span = fit.get("x_range")
    return (
        isinstance(history, dict)
        and all(
            isinstance(values, list) and all(isinstance(v, (int, float)) or v is None for v in values)
            for values in history.values()
        )
        and (span is None or (isinstance(span, list) and len(span) == 2 and all(_real(v) for v in span)))
    )


def _real(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
