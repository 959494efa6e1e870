"""The hidden test set in the form each statement promises, fed to the learner's model.

Read before the model exists (the evaluator starts beside the training): keras.datasets arrays,
and the certificate's raw files (`grader.data.raw`): PNGs from a test folder zip, decoded and
resized as ``image_dataset_from_directory`` does; headlines, encoded as the sarcasm starter's
``Tokenizer`` does (and kept raw for a model that carries its own ``TextVectorization``); a
series, normalised as the sunspots starter does and cut into windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grader.data import raw
from grader.data.formats import read_splits
from grader.data.registry import RAW_FORMATS, get_dataset
from grader.evaluator.tokenizer import encode_headlines, pad

START_CHAR, OOV_CHAR, INDEX_FROM = 1, 2, 3  # keras.datasets' defaults for imdb and reuters
FED_TOKENS, FED_STRINGS = "token ids", "raw strings"


@dataclass
class HiddenSet:
    x: np.ndarray  # as the contract feeds it (pixels 0-1, padded token ids, windows, points)
    y: np.ndarray
    strings: np.ndarray | None = None  # headlines: the raw sentences, for a model that reads strings


def series_windows(history: np.ndarray, tail: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Each hidden value with the ``window`` values before it: (n, window) inputs, (n,) targets."""
    series = np.concatenate([history, tail]).astype(np.float32)
    start = len(history)
    x = np.stack([series[t - window : t] for t in range(start, len(series))])
    return x, series[start:]


def scaled_series(history: np.ndarray, tail: np.ndarray, scale: str) -> tuple[np.ndarray, np.ndarray]:
    """The certificate's normalisation, ``series -= min; series /= max``, with the min and max of
    the history: the part a learner's code reads in the sandbox (for the real sunspots file they are
    also the whole series')."""
    if scale == "raw":
        return history, tail
    low, high = float(np.min(history)), float(np.max(history)) or 1.0
    return (history - low) / high, (tail - low) / high


def encode_text(sequences: np.ndarray, text: dict[str, Any]) -> np.ndarray:
    """Raw word indexes → what ``load_data(num_words=N)`` then ``pad_sequences(maxlen=…)`` give."""
    num_words = int(text["num_words"])
    indexed = [
        [w if w < num_words else OOV_CHAR for w in [START_CHAR, *(int(v) + INDEX_FROM for v in seq)]]
        for seq in sequences
    ]
    return pad(indexed, int(text["maxlen"]), str(text["padding"]), str(text["truncating"]))


def decode_images(images: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Each PNG as RGB, resized to ``size`` (bilinear, as ``image_dataset_from_directory``), 0-1."""
    import tensorflow as tf  # the evaluator runs TensorFlow already; only this form needs it here

    out = np.empty((len(images), *size, 3), dtype=np.float32)
    for i, data in enumerate(images):
        image = tf.io.decode_image(bytes(data), channels=3, expand_animations=False)
        out[i] = tf.image.resize(image, size).numpy() / 255.0
    return out


def hidden_test_set(request: dict[str, Any]) -> HiddenSet:
    """The hidden test inputs and targets in the statement's form, read before any model exists."""
    dataset = get_dataset(request["dataset"])
    root = Path(request["data_dir"])
    form = request["input"]
    if dataset.format in RAW_FORMATS:
        x, y = raw.hidden_test(dataset, root)  # a series: its history and its hidden tail
    else:
        splits = read_splits(dataset, root)
        x, y = (splits.y_train, splits.y_test) if form == "series" else (splits.x_test, splits.y_test)
    if form == "series":  # the hidden tail, each value after its window of history
        history, tail = scaled_series(x, y, request.get("scale") or "raw")
        return HiddenSet(*series_windows(history, tail, int(request["window"])))
    if form == "folders":
        height, width = (request.get("input_shape") or [150, 150])[:2]
        return HiddenSet(decode_images(x, (height, width)), y)
    if form == "headlines":
        headlines = [str(s) for s in x]
        tokens = encode_headlines(raw.public_texts(dataset, root), headlines, request["text"])
        return HiddenSet(tokens, y, strings=np.asarray(headlines, dtype=object))
    if form == "text":
        return HiddenSet(encode_text(x, request["text"]), y)
    x = x.astype(np.float32) / 255.0 if form == "image" else x.astype(np.float32)
    return HiddenSet(x.reshape(len(x), 1) if form == "points" else x, y)


def takes_strings(model: Any) -> bool:
    """Whether the model's input is text itself (it starts with a ``TextVectorization``)."""
    dtype = str(getattr(model.inputs[0], "dtype", "")) if getattr(model, "inputs", None) else ""
    return "string" in dtype


def prepare_inputs(
    hidden: HiddenSet, input_shape: tuple[Any, ...], strings: bool = False
) -> tuple[np.ndarray | None, str | None]:
    """The test inputs reshaped to the model's input when sizes agree, else why they cannot be."""
    wanted = tuple(input_shape[1:])
    if strings and hidden.strings is not None:
        x = hidden.strings
        return (x.reshape(len(x), 1) if wanted == (1,) else x), None
    x = hidden.x
    if all(d is not None for d in wanted):
        per_example = int(np.prod(wanted)) if wanted else 1
        if per_example != int(np.prod(x.shape[1:])):
            return None, (
                f"the model expects inputs of shape {('None', *wanted)}, but each test example has shape "
                f"{x.shape[1:]} ({int(np.prod(x.shape[1:]))} values), which cannot be reshaped to it"
            )
        return x.reshape((len(x), *wanted)), None
    if len(wanted) == x.ndim and wanted[-1] in (1, None):  # a window (30,) for a model of [None, 1], as the exam's
        return x[..., np.newaxis], None
    if len(wanted) != x.ndim - 1:
        return None, f"the model expects {len(wanted)}-D examples, the test examples are {x.ndim - 1}-D {x.shape[1:]}"
    return x, None


def forecast(predictions: np.ndarray) -> tuple[np.ndarray, bool]:
    """One value per window: an (n, 1) output's value, or a sequence output's last step (the
    certificate's ``rnn_forecast[..., -1, 0]``, for a model trained on shifted windows). Also
    whether it was a sequence."""
    flat = predictions.reshape(len(predictions), -1)
    return flat[:, -1], predictions.ndim == 3 and predictions.shape[1] > 1
