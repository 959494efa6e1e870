"""What the evaluator measures for the coach, beside the metric: aggregates of the hidden test
set only (a confusion matrix, a score on rescaled inputs, where the errors lie), never an example,
and what the saved model's own config says about how it was trained (read as data from the archive).

Pure numpy and zipfile: tested directly, and cheap next to the prediction itself (the rescaled
score predicts a subset of at most `RESCALED_EXAMPLES` once more).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

RESCALED_EXAMPLES = 2000  # enough for a sharp difference to show, a fifth of MNIST's test set
RAW_PIXEL_SCALE = 255.0  # the contract feeds pixels / 255; a model trained on raw pixels wants them back


def class_labels(predictions: np.ndarray) -> np.ndarray:
    """The class each prediction names: the largest output, or a single output above 0.5."""
    if predictions.ndim > 1 and predictions.shape[-1] > 1:
        return predictions.argmax(axis=-1)
    return (predictions.reshape(len(predictions)) > 0.5).astype(int)


def confusion(y_true: np.ndarray, predictions: np.ndarray) -> list[list[int]]:
    """Counts: row = true class, column = predicted class, over every class either side names."""
    truth = y_true.reshape(len(y_true)).astype(int)
    predicted = class_labels(predictions)
    classes = max(int(truth.max(initial=0)), int(predicted.max(initial=0)), predictions.shape[-1] - 1) + 1
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (truth, predicted), 1)
    return counts.tolist()


def rescaled_score(
    predict, x: np.ndarray, y_true: np.ndarray, predictions: np.ndarray, score
) -> dict[str, float] | None:
    """The metric on the first examples fed as raw pixels (x × 255) beside the same examples as
    the contract feeds them: a model trained on unscaled pixels shows it by scoring far better on
    the former. ``predictions`` are the contract's, already made."""
    n = min(len(x), RESCALED_EXAMPLES)
    if n == 0:
        return None
    raw = np.asarray(predict(x[:n] * RAW_PIXEL_SCALE))
    if np.isnan(raw).any():
        return None
    return {
        "scale": RAW_PIXEL_SCALE,
        "examples": n,
        "as_fed": score(y_true[:n], predictions[:n]),
        "rescaled": score(y_true[:n], raw),
    }


def residuals(
    y_true: np.ndarray, predictions: np.ndarray, in_time_order: bool, previous: np.ndarray | None = None
) -> dict[str, Any]:
    """Where a regression's or a forecast's errors lie: their mean (prediction - truth), the spread
    of the predictions beside the targets', and, for a forecast (the hidden tail in time order), the
    mean absolute error in each quarter of the tail and, given each window (``previous``), beside
    the value before each target: a forecast that lags a step matches that one better."""
    y = y_true.reshape(len(y_true)).astype(np.float64)
    p = predictions.reshape(len(predictions)).astype(np.float64)
    found: dict[str, Any] = {
        "bias": float(np.mean(p - y)),
        "target_sd": float(np.std(y)),
        "prediction_sd": float(np.std(p)),
    }
    if in_time_order and len(y) >= 8:
        found["mae_by_quarter"] = [float(np.mean(np.abs(q))) for q in np.array_split(p - y, 4)]
    if previous is not None and len(previous) == len(y) and len(y):
        last = previous.reshape(len(y), -1)[:, -1].astype(np.float64)
        found["mae"] = float(np.mean(np.abs(p - y)))
        found["mae_to_previous"] = float(np.mean(np.abs(p - last)))
    return found


def training_loss(model_file: Path, max_bytes: int) -> dict[str, Any] | None:
    """The loss the model was compiled with, from a .keras archive's config (never executed):
    ``{"name": "sparse_categorical_crossentropy", "from_logits": False}``, or None when the file
    does not say (an .h5 file, a model saved uncompiled, a config this cannot read)."""
    if model_file.suffix != ".keras":
        return None
    try:
        with zipfile.ZipFile(model_file) as archive:
            info = archive.getinfo("config.json")
            if info.file_size > max_bytes:
                return None
            config = json.loads(archive.read(info))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RecursionError):  # the file's config, any shape
        return None
    compiled = config.get("compile_config") if isinstance(config, dict) else None
    loss = compiled.get("loss") if isinstance(compiled, dict) else None
    if isinstance(loss, list) and len(loss) == 1:
        loss = loss[0]
    if isinstance(loss, str) and _LOSS_NAME.match(loss):
        return {"name": _snake(loss.rsplit(".", 1)[-1]), "from_logits": False}
    if isinstance(loss, dict):
        settings = loss.get("config")
        if loss.get("class_name") == "function" and isinstance(settings, str) and _LOSS_NAME.match(settings):
            return {"name": _snake(settings), "from_logits": False}  # keras.losses.mse itself
        name = loss.get("class_name")
        if isinstance(name, str) and _LOSS_NAME.match(name) and isinstance(settings, dict):
            return {"name": _snake(name), "from_logits": bool(settings.get("from_logits", False))}
    return None


# A loss is named by an identifier, dotted at most (keras.losses.mse): anything else in a config,
# a 10 MB string say, names no loss this grader knows, and would only travel back as text.
_LOSS_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,99}$")


def _snake(name: str) -> str:
    """``SparseCategoricalCrossentropy`` and ``sparse_categorical_crossentropy`` name one loss."""
    if "_" in name or name.islower() or name.isupper():
        return name.lower()
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))
