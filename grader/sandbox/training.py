"""The child-process side of a model exercise: ``python -m grader.sandbox.training JOB_DIR``.

Untrusted, like `grader.sandbox.functions`: it runs the learner's file with the public data, gets the
model (``solution_model()`` in the certificate's form, else a global such as ``model`` left by
a script), records what ``fit()`` reported, and saves the model as a ``.keras`` file. It never
sees the hidden test set and never judges; a separate trusted process evaluates the file.

Job folder: ``in/job.json`` (submission, display name, model variable), ``out/`` (events,
status.json, model.keras, history.json; epochs.json and epoch-model.keras while a fit runs:
`grader.sandbox.epochs`).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import Any

from grader.sandbox import protocol, run_main
from grader.sandbox.functions import GraderInternalsBlocked, describe_error, import_submission, open_job


def _record_fits(keras: Any, fits: list[dict[str, Any]]) -> None:
    """Wrap ``Model.fit`` to keep each call's history and duration (for the report and its curve)."""
    original = keras.Model.fit

    def recording_fit(self, *args, **kwargs):
        started = time.perf_counter()
        history = original(self, *args, **kwargs)
        logs = getattr(history, "history", None) or {}
        fits.append(
            {
                "seconds": time.perf_counter() - started,
                "history": {k: [float(v) for v in values] for k, values in logs.items()},
                "x_range": _value_range(args[0] if args else kwargs.get("x")),
            }
        )
        return history

    keras.Model.fit = recording_fit


def _value_range(x: Any) -> list[float] | None:
    """The smallest and largest input ``fit`` was given, for the coach (pixels 0-255 or 0-1?);
    None for what is not one numeric array (a dataset, a generator, a dict of inputs)."""
    import numpy as np

    if not isinstance(x, np.ndarray) or x.size == 0 or x.dtype.kind not in "biuf":
        return None
    low, high = float(np.min(x)), float(np.max(x))
    return [low, high] if np.isfinite(low) and np.isfinite(high) else None


def _find_model(module: Any, model_var: str) -> tuple[Any, str]:
    if callable(getattr(module, "solution_model", None)):
        return module.solution_model(), "solution_model()"
    if hasattr(module, model_var):
        return getattr(module, model_var), f"global `{model_var}`"
    return None, "nothing"


def main(argv: list[str]) -> int:
    opened = open_job(argv, protocol.TrainingJob)
    out, job, source, journal = opened.out, opened.spec, opened.source, opened.journal

    from grader.sandbox import epochs, keras2, keras_offline, offline_urls

    keras = keras2.keras_api()  # tf_keras on the Keras 2 route (TF_USE_LEGACY_KERAS=1), else Keras 3
    keras_offline.install(keras)
    offline_urls.install()  # a starter that downloads its data (urlretrieve, urlopen) gets the public copy
    fits: list[dict[str, Any]] = []
    _record_fits(keras, fits)
    epochs.keep_epochs(keras, out, fits, _value_range)  # a run the time limit stops is graded as far as it got
    sys.meta_path.insert(0, GraderInternalsBlocked())
    journal.log("keras-ready")

    phase = "import"
    module, error = import_submission(source, journal)
    if error is None:
        phase = "model"
        try:
            model, origin = _find_model(module, job.model_var)
        except BaseException as exc:  # solution_model() raising is the learner's error
            model, origin, error = None, "solution_model()", describe_error(exc, source, source.name)
    journal.log("trained")
    if error is not None:
        status = protocol.TrainingStatus(phase, error=error)
    else:
        found = protocol.TrainedModel(origin, type(model).__qualname__, isinstance(model, keras.Model))
        if found.is_keras:
            try:
                model.save(out / protocol.MODEL_FILE)
                found = replace(found, saved=True)
                epochs.drop_epoch_model(out)
            except Exception as exc:  # e.g. a subclassed model without get_config
                found = replace(found, save_error=f"{type(exc).__name__}: {exc}"[:2000])
        status = protocol.TrainingStatus("done", model=found)
    protocol.write_json(out / protocol.HISTORY_FILE, fits)
    protocol.write_status(out, status)
    journal.log("done")
    return 0


if __name__ == "__main__":
    run_main(main)
