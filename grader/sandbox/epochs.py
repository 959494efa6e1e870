"""The child keeps the fit under way as it stands after each epoch, so that a training the time
limit stops is still graded as far as it got (`grader.sandbox.protocol.EpochRecord`).

`keep_epochs` wraps ``Model.fit`` (over `grader.sandbox.training`'s recording wrapper) and adds a
callback: at an epoch's end it rewrites ``out/epochs.json`` (the curves so far, the epochs asked
and done, the seconds) and overwrites ``out/epoch-model.keras`` with the model, each whole (a
temporary name in ``out/``, then a rename), since the time limit kills without warning. One model
copy at a time, a second only while the next is written; none for a model too large to copy
each epoch within the output quota. A copy may take at most about a tenth of the time between
two (`_Pace`): a fit of many short epochs keeps one every few epochs, not one each.

Part of the child package: it imports nothing of the trusted side.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from grader.sandbox import protocol

# Past this (parameters × 4 bytes × 3: the weights and an optimiser's two slots), a model is not
# copied each epoch: its copies would take the output quota's room the final model needs.
# The exercises' models are a few MB.
EPOCH_MODEL_MAX_BYTES = 512 * 2**20
COPY_SHARE = 0.1  # at most this share of training time goes into the copies
# Model.fit's first parameters, in this order in Keras 2 and 3: where epochs and callbacks sit when
# they are passed by position.
_EPOCHS_AT, _CALLBACKS_AT = 3, 5


class _Pace:
    """Whether a periodic copy is due: the time since the last must be at least (1 / share - 1)
    times what the last took, so the copies take at most ``share`` of the time."""

    def __init__(self, share: float = COPY_SHARE) -> None:
        self.factor = 1 / share - 1
        self.cost, self.done_at = 0.0, float("-inf")

    def due(self) -> bool:
        return time.perf_counter() - self.done_at >= self.factor * self.cost

    def timed(self, write: Any) -> None:
        started = time.perf_counter()
        try:
            write()
        finally:
            self.done_at = time.perf_counter()
            self.cost = self.done_at - started


def keep_epochs(keras: Any, out: Path, fits: list[dict[str, Any]], value_range: Callable[[Any], Any]) -> None:
    """Wrap ``keras.Model.fit`` so each fit leaves its epochs in ``out`` (see the module), and
    ``out/history.json`` holds every fit that has returned: a run stopped later keeps them too.
    ``fits`` is the list the recording wrapper beneath appends each returned fit to;
    ``value_range`` says what range of inputs ``fit`` was given, for the coach."""
    recorded = keras.Model.fit
    keeper_class = _keeper_class(keras)

    def fit_keeping_epochs(self, *args, **kwargs):
        args = list(args)
        epochs = args[_EPOCHS_AT] if len(args) > _EPOCHS_AT else kwargs.get("epochs", 1)
        at = _CALLBACKS_AT if len(args) > _CALLBACKS_AT else None
        given = args[at] if at is not None else kwargs.get("callbacks")
        if given is None or isinstance(given, (list, tuple)):  # another form (a CallbackList) is left as it is
            keeper = keeper_class(out, len(fits), _epochs_asked(epochs, kwargs.get("initial_epoch", 0)))
            keeper.x_range = value_range(args[0] if args else kwargs.get("x"))
            if at is not None:
                args[at] = [*(given or ()), keeper]
            else:
                kwargs["callbacks"] = [*(given or ()), keeper]
        history = recorded(self, *args, **kwargs)
        protocol.write_json(out / protocol.HISTORY_FILE, fits)
        return history

    keras.Model.fit = fit_keeping_epochs


def drop_epoch_model(out: Path) -> None:
    """The final model is saved: the epoch copy is not needed, and its room is the quota's."""
    for name in (protocol.EPOCH_MODEL_FILE, _PART):
        try:
            os.unlink(out / name)
        except FileNotFoundError:
            pass


_PART = "epoch-model.part.keras"  # Keras saves only to a name that ends in .keras


def _epochs_asked(epochs: Any, initial_epoch: Any) -> int | None:
    """How many epochs ``fit`` was asked for; None where ``epochs`` is no whole number."""
    try:
        asked = int(epochs) - int(initial_epoch or 0)
        whole = asked == epochs - (initial_epoch or 0)
    except Exception:  # a string, None, an object of the learner's: not said
        return None
    return asked if whole and 0 <= asked < 2**31 else None


def _keeper_class(keras: Any) -> type:
    class EpochKeeper(keras.callbacks.Callback):
        """Writes the record at each epoch's end (as often as `_Pace` allows, and whenever the
        model was copied), and copies the model as often as `_Pace` allows."""

        def __init__(self, out: Path, fit: int, asked: int | None) -> None:
            super().__init__()
            self.out, self.fit, self.asked = out, fit, asked
            self.started = time.perf_counter()
            self.x_range: list[float] | None = None
            self.done, self.seconds, self.kept, self.ended = 0, 0.0, None, False
            self.history: dict[str, list[float | None]] = {}  # appended to in place: no copy per epoch
            self.copies: bool | None = None  # None: not decided yet (the model's size is known once built)
            self.record_pace, self.model_pace = _Pace(), _Pace()

        def on_train_begin(self, logs=None) -> None:
            self._write_record()  # fit began: a run stopped in its first epoch was training, not stuck

        def on_epoch_end(self, epoch, logs=None) -> None:
            self.done += 1
            self.seconds = time.perf_counter() - self.started
            for name, value in list((logs or {}).items())[: protocol.MAX_RECORDED_METRICS]:
                values = self.history.setdefault(str(name)[:100], [])
                if len(values) < protocol.MAX_RECORDED_EPOCHS:
                    values.append(_float(value))
            if self.copies is None:
                self.copies = _small_enough(self.model)
            if self.copies and self.model_pace.due():
                self.model_pace.timed(self._copy_model)
            if self.record_pace.due() or self.kept == self.done:
                self.record_pace.timed(self._write_record)

        def on_train_end(self, logs=None) -> None:
            self.ended = True
            self._write_record()

        def _copy_model(self) -> None:
            try:
                self.model.save(self.out / _PART)
                os.replace(self.out / _PART, self.out / protocol.EPOCH_MODEL_FILE)
                self.kept = self.done
            except Exception:  # not savable (a subclassed model), or no room: the run goes on uncopied
                self.copies, self.kept = False, None
                drop_epoch_model(self.out)

        def _write_record(self) -> None:
            record = protocol.EpochRecord(
                self.fit, self.asked, self.done, self.seconds, self.history, self.kept, self.ended, self.x_range
            )
            try:
                protocol.write_json(self.out / protocol.EPOCHS_FILE, asdict(record))
            except (OSError, ValueError):  # no room: the record is the grader's extra, never the run's end
                pass

    return EpochKeeper


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _small_enough(model: Any) -> bool:
    try:
        return model.count_params() * 4 * 3 <= EPOCH_MODEL_MAX_BYTES
    except Exception:  # not built, or a model that cannot count: not copied
        return False
