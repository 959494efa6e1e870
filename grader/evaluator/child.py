"""Trusted evaluation of a saved model: ``python -m grader.evaluator.child EVAL_DIR``.

A separate process in which no submission code ever ran. It loads the model with
``safe_mode=True`` (a Lambda layer is refused, as on the certificate), feeds the hidden test
set in the documented input form, and writes measurements as JSON. Judging them (contract,
threshold, points) happens in the grade process, which never imports TensorFlow.

``in/eval.json``: the model file (relative to EVAL_DIR), dataset name, input form; the hidden
data dir comes as ``GRADE_HIDDEN_DATA`` (a runner mounts it read-only). ``out/eval.json``: results.

It starts beside the training sandbox, not after it: TensorFlow's start and the hidden test set's
reading (several seconds) overlap the training, and the evaluator then waits for the model file,
which the grade process renames into ``in/`` whole once training saved it. ``in/cancel``
appearing instead (training ended without a model) ends it at once, even mid-import.
"""

from __future__ import annotations

import os
import threading
import time
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from grader.evaluator.diagnostics import class_labels, confusion, rescaled_score, residuals, training_loss
from grader.evaluator.inputs import (
    FED_STRINGS,
    FED_TOKENS,
    HiddenSet,
    forecast,
    hidden_test_set,
    prepare_inputs,
    takes_strings,
)
from grader.sandbox import keras2, protocol, run_main

# Layers that are an activation themselves, by class name.
_ACTIVATION_LAYERS = {"Softmax": "softmax", "ReLU": "relu", "LeakyReLU": "leaky_relu", "ELU": "elu", "PReLU": "prelu"}
# Layers that pass values through unchanged, add or average them: as an output, they are linear.
_LINEAR_LAYERS = {
    "Add",
    "Subtract",
    "Average",
    "Rescaling",
    "Reshape",
    "Flatten",
    "Identity",
    "Concatenate",
    "AveragePooling1D",
    "GlobalAveragePooling1D",
}


def _activation_name(layer: Any) -> str | None:
    name = type(layer).__name__
    if name in _ACTIVATION_LAYERS:
        return _ACTIVATION_LAYERS[name]
    activation = getattr(layer, "activation", None)
    if activation is not None:
        return getattr(activation, "__name__", None)
    return "linear" if name in _LINEAR_LAYERS else None


def _all_layers(model: Any) -> list[Any]:
    found = []
    for layer in model.layers:
        found.append(layer)
        if hasattr(layer, "layers"):
            found.extend(_all_layers(layer))
        for name in ("layer", "forward_layer", "backward_layer"):  # TimeDistributed, Bidirectional: what they wrap
            inner = getattr(layer, name, None)
            if inner is not None and hasattr(inner, "get_config"):
                found.extend([inner, *(_all_layers(inner) if hasattr(inner, "layers") else [])])
    return found


def score(metric: str, y_true: np.ndarray, predictions: np.ndarray) -> float:
    if metric == "accuracy":
        return float(np.mean(class_labels(predictions) == y_true.reshape(len(y_true))))
    if metric == "r2":
        y = y_true.reshape(len(y_true)).astype(np.float64)
        p = predictions.reshape(len(predictions)).astype(np.float64)
        return float(1.0 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2))
    if metric in ("mae", "mse"):
        y = y_true.reshape(len(y_true)).astype(np.float64)
        p = predictions.reshape(len(predictions)).astype(np.float64)
        return float(np.mean(np.abs(y - p)) if metric == "mae" else np.mean((y - p) ** 2))
    raise ValueError(f"unknown metric {metric!r}")


MESSAGE_CHARS = 3000
ZIP_MAGIC, HDF5_MAGIC = b"PK\x03\x04", b"\x89HDF\r\n\x1a\n"
MAX_CONFIG_BYTES = 16 * 2**20  # config.json / metadata.json in a .keras archive
WAIT_POLL_S = 0.05


def shortened(text: str, limit: int = MESSAGE_CHARS) -> str:
    """The start and the end of a long message: Keras puts a dumped config in the middle and the
    reason ("Exception encountered: ...") last."""
    if len(text) <= limit:
        return text
    head = limit // 3
    return f"{text[:head]} … {text[-(limit - head - 3) :]}"


def not_a_model_file(path: Path) -> str | None:
    """Why ``path`` cannot be a saved Keras model, judged by its first bytes and, for a .keras
    archive, the size of its config (Keras parses it whole: 64 MB of it exhausted memory), if it
    cannot."""
    with open(path, "rb") as fh:
        start = fh.read(8)
    if path.suffix == ".keras" and not start.startswith(ZIP_MAGIC):
        return (
            f"the file is not a Keras archive (a .keras file is a zip; this one begins with {start!r}). "
            "Save the model with model.save('my_model.keras')"
        )
    if path.suffix == ".keras":
        try:
            with zipfile.ZipFile(path) as archive:
                size = max((i.file_size for i in archive.infolist() if i.filename.endswith(".json")), default=0)
        except (zipfile.BadZipFile, OSError, ValueError):
            return None  # Keras says what is wrong with it
        if size > MAX_CONFIG_BYTES:
            return (
                f"the model's config is {size / 2**20:.0f} MB; a Keras model's config takes a few KB, and over "
                f"{MAX_CONFIG_BYTES // 2**20} MB is not loaded. Save a model built from ordinary layers"
            )
    if path.suffix == ".h5" and start != HDF5_MAGIC:
        return f"the file is not an HDF5 file (it begins with {start!r}). Save the model with model.save('my_model.h5')"
    return None


def mark_phase(out: Path | None, phase: str) -> None:
    if out is not None:
        (out / protocol.PHASE_FILE).write_text(phase, encoding="utf-8")


def evaluate(request: dict[str, Any], test_set: HiddenSet, out: Path | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"loaded": False}
    problem = not_a_model_file(Path(request["model"]))
    if problem is not None:
        result["load_error"] = {"kind": "unreadable", "message": problem}
        return result
    import keras

    mark_phase(out, "loading")
    started = time.perf_counter()
    try:
        model = keras.saving.load_model(request["model"], safe_mode=True, compile=False)
    except Exception as exc:  # any refusal is a finding about the file
        text = f"{type(exc).__name__}: {exc}"
        kind = "lambda" if "lambda" in text.lower() else "unreadable"
        result["load_error"] = {"kind": kind, "message": shortened(text)}
        return result
    result["loaded"] = True
    result["load_s"] = time.perf_counter() - started
    if not isinstance(model, keras.Model):
        result["load_error"] = {"kind": "unreadable", "message": f"the file holds a {type(model).__name__}"}
        result["loaded"] = False
        return result

    input_shape = tuple(model.inputs[0].shape) if model.inputs else ()
    output = model.outputs[0] if model.outputs else None
    result["input_shape"] = [d if d is None else int(d) for d in input_shape]
    result["output_shape"] = [d if d is None else int(d) for d in output.shape] if output is not None else []
    result["output_activation"] = _activation_name(model.layers[-1]) if model.layers else None
    result["layers"] = [type(layer).__name__ for layer in _all_layers(model)]
    result["parameters"] = int(model.count_params())
    result["loss"] = training_loss(Path(request["model"]), MAX_CONFIG_BYTES)
    result.update(fixed_parameters(model))

    y_test = test_set.y
    strings = takes_strings(model)
    x, problem = prepare_inputs(test_set, input_shape, strings)
    result["n_test"] = len(y_test)
    if request["input"] == "headlines":
        result["fed"] = FED_STRINGS if strings else FED_TOKENS
    if problem is not None:
        result["input_problem"] = problem
        return result
    mark_phase(out, "predicting")
    t0 = time.perf_counter()
    if x.dtype == object:  # raw headlines: Keras 3 takes no numpy array of strings, a string tensor it does
        import tensorflow as tf

        x = tf.constant(x.astype(str))
    try:
        predictions = np.asarray(model.predict(x, batch_size=256 if strings else 1024, verbose=0))
    except Exception as exc:  # the inputs the statement promises do not go through this model
        if isinstance(exc, MemoryError) or "ResourceExhausted" in type(exc).__name__:
            raise  # out of memory: named as such by the grade process, from the evaluator's end
        result["input_problem"] = shortened(f"the model fails on the test inputs: {type(exc).__name__}: {exc}")
        return result
    result["predict_s"] = time.perf_counter() - t0
    if request["input"] == "series":
        predictions, result["sequence_output"] = forecast(predictions)
    result["prediction_shape"] = list(predictions.shape)
    result["nan_predictions"] = int(np.isnan(predictions).sum())
    if result["nan_predictions"] == 0:
        metric = request["metric"]
        result["metric"] = score(metric, y_test, predictions)
        # For the coach (aggregates only: no example leaves this process).
        t1 = time.perf_counter()
        if metric == "accuracy":
            result["confusion"] = confusion(y_test, predictions)
        else:
            series = request["input"] == "series"
            result["residuals"] = residuals(y_test, predictions, in_time_order=series, previous=x if series else None)
        if request["input"] in ("image", "folders"):
            result["rescaled"] = rescaled_score(
                lambda rescaled: model.predict(rescaled, batch_size=1024, verbose=0),
                x,
                y_test,
                predictions,
                lambda y, p: score(metric, y, p),
            )
        result["diagnose_s"] = time.perf_counter() - t1
    return result


def fixed_parameters(model: Any) -> dict[str, Any]:
    """What the certificate's starters fixed, as the model holds it: each Embedding's vocabulary and
    width, and each TextVectorization's vocabulary and sequence length."""
    embeddings, vectorizers = [], []
    for layer in _all_layers(model):
        name = type(layer).__name__
        if name == "Embedding":
            embeddings.append([int(layer.input_dim), int(layer.output_dim)])
        elif name == "TextVectorization":
            config = layer.get_config()
            vectorizers.append([config.get("max_tokens"), config.get("output_sequence_length")])
    return {"embeddings": embeddings, "vectorizers": vectorizers}


def _end_when_cancelled(in_dir: Path) -> None:
    """End this process the moment ``in/cancel`` appears, whatever it is doing (importing
    TensorFlow included): a learner whose training failed is not kept waiting for it."""

    def watch() -> None:
        while not (in_dir / protocol.CANCEL_FILE).exists():
            time.sleep(WAIT_POLL_S)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def wait_for_model(path: Path) -> None:
    """Return once the grade process has put the model file in place (a rename: it is whole).
    A model that never comes ends this process at its time limit or by ``in/cancel``."""
    while not path.exists():
        time.sleep(WAIT_POLL_S)


def main(argv: list[str]) -> int:
    eval_dir = Path(argv[0])
    _end_when_cancelled(eval_dir / protocol.IN)
    request = asdict(protocol.read_request(eval_dir / protocol.IN / protocol.EVAL_FILE, protocol.EvalRequest))
    request["model"] = str(eval_dir / request["model"])
    request["data_dir"] = os.environ[protocol.HIDDEN_DATA_ENV]
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    # TensorFlow starts while the model trains; on the Keras 2 route `keras` is then tf_keras,
    # the Keras that trained and saved the model (Keras 3 cannot read its .keras file).
    keras2.keras_api()

    test_set = hidden_test_set(request)
    wait_for_model(Path(request["model"]))
    result = evaluate(request, test_set, eval_dir / protocol.OUT)
    protocol.write_json(eval_dir / protocol.OUT / protocol.EVAL_FILE, result)
    return 0


if __name__ == "__main__":
    run_main(main)
