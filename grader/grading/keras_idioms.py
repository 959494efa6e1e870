"""Keras 2 habits Keras 3 refuses, each with its Keras 3 spelling: the catalogue behind the Keras 2 route.

A 2020 course file fails under Keras 3 on a handful of idioms (``Adam(lr=0.001)``,
``from keras.layers.core import Dense``, ``metrics='mae'``, ``model.fit_generator``…). Each
`Idiom` is recognised by the error it raises (type and message, as the sandbox reports them),
says how Keras 3 writes it, and whether the Keras 2 route (tf-keras) runs it as written: only
then does grading try the file again on the route (`grader.grading.keras_route`). A few are
refused by tf-keras too (Keras 1 names, ``predict_classes``, an optimizer's ``decay``): those are
named, with their spelling, and never retried.

>>> found = find_idiom({"type": "ValueError", "message": "Argument(s) not recognized: {'lr': 0.001}",
...                     "traceback": 'File "hw.py", line 12, in <module>\\n    opt = Adam(lr=0.001)'})
>>> found.idiom.name, found.line, found.idiom.route_runs
('optimizer-lr', 12, True)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from grader.text import Text

_KERAS = r"(?:tensorflow\.)?keras(?:\._tf_keras\.keras)?"  # keras, tensorflow.keras, Keras 3's tf.keras module
_OLD_LAYER_MODULES = (
    "core|recurrent|convolutional|convolutional_recurrent|pooling|embeddings|normalization|merge"
    "|advanced_activations|noise|local|wrappers"
)
_KERAS1_ARGUMENTS = (
    "init|border_mode|nb_filter|nb_row|nb_col|subsample|dim_ordering|W_regularizer|b_regularizer|output_dim"
)


@dataclass(frozen=True)
class Idiom:
    """One habit: ``pattern`` finds it in ``"Type: message"`` of the error it raises (under Keras 3,
    or under tf-keras for those the route refuses too); ``keras2`` and ``keras3`` show it as a file
    writes it and as Keras 3 does (``{0}``: the pattern's first group, e.g. the module named)."""

    name: str
    pattern: re.Pattern[str]
    keras2: str
    keras3: str
    route_runs: bool = True

    def __post_init__(self) -> None:
        if "{0}" in self.keras2 + self.keras3 and self.pattern.groups < 1:
            raise ValueError(f"idiom {self.name!r} spells with {{0}} but its pattern has no group")


def _idiom(name: str, pattern: str, keras2: str, keras3: str, route_runs: bool = True) -> Idiom:
    return Idiom(name, re.compile(pattern, re.DOTALL), keras2, keras3, route_runs)


IDIOMS: tuple[Idiom, ...] = (
    _idiom("optimizer-lr", r"Argument\(s\) not recognized: \{.*'lr'", "Adam(lr=0.001)", "Adam(learning_rate=0.001)"),
    _idiom(
        "input-length",
        r"Unrecognized keyword arguments passed to (\w+): \{.*'input_length'",
        "{0}(..., input_length=N)",
        "keras.Input(shape=(N, features)) first, then {0}(...)",
    ),
    _idiom(
        "batch-input-shape",
        r"Unrecognized keyword arguments passed to (\w+): \{.*'batch_input_shape'",
        "{0}(..., batch_input_shape=(None, ...))",
        "keras.Input(batch_shape=(None, ...)) first, then {0}(...)",
    ),
    _idiom(
        "metrics-string",
        r"Expected `metrics` argument to be a list, tuple, or dict\. Received instead: metrics=(\S+)",
        "metrics='{0}'",
        "metrics=['{0}']",
    ),
    _idiom(
        "fit-generator",
        r"AttributeError: '\w+' object has no attribute '(fit|evaluate|predict)_generator'",
        "model.{0}_generator(generator, ...)",
        "model.{0}(generator, ...)",
    ),
    _idiom(
        "old-layer-module",
        rf"No module named '(keras\.layers\.(?:{_OLD_LAYER_MODULES}))'",
        "from {0} import ...",
        "from keras.layers import ...",
    ),
    _idiom(
        "np-utils",
        r"No module named '(keras\.utils\.np_utils)'|cannot import name '(np_utils)' from 'keras\.utils'",
        "from keras.utils.np_utils import to_categorical",
        "from keras.utils import to_categorical",
    ),
    _idiom(
        "preprocessing-module",
        r"No module named '(keras\.preprocessing\.(?:text|image))'"
        r"|cannot import name '\w+' from '(keras\.preprocessing\.image)'"
        rf"|module '({_KERAS}\.preprocessing)' has no attribute '(?:text|image)'",
        "{0}.Tokenizer / ImageDataGenerator",
        "keras.layers.TextVectorization; keras.utils.image_dataset_from_directory with augmentation layers",
    ),
    _idiom(
        "experimental-preprocessing",
        rf"No module named '({_KERAS}\.layers\.experimental)'"
        rf"|module '{_KERAS}\.layers' has no attribute '(experimental)'",
        "layers.experimental.preprocessing.Rescaling(1/255)",
        "layers.Rescaling(1/255)",
    ),
    _idiom(
        "backend-set-value",
        rf"module '{_KERAS}\.backend' has no attribute '(set_value|get_value)'",
        "keras.backend.{0}(model.optimizer.lr, ...)",
        "model.optimizer.learning_rate.assign(...) / float(model.optimizer.learning_rate)",
    ),
    _idiom(
        "sample-weight-mode",
        r"compile\(\) got an unexpected keyword argument 'sample_weight_mode'",
        "model.compile(..., sample_weight_mode=...)",
        "model.compile(...) without it (Keras 3 reads sample_weight's shape)",
    ),
    # Refused by tf-keras as well: named with their spelling, never retried.
    _idiom(
        "optimizer-decay",
        r"decay is deprecated in the new TF-Keras optimizer",
        "Adam(lr=lr, decay=d)",
        "Adam(learning_rate=keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=d))",
        route_runs=False,
    ),
    _idiom(
        "predict-classes",
        r"AttributeError: '\w+' object has no attribute '(predict_classes|predict_proba)'",
        "model.{0}(x)",
        "np.argmax(model.predict(x), axis=-1) (predict_classes) / model.predict(x) (predict_proba)",
        route_runs=False,
    ),
    _idiom(
        "cudnn-layer",
        r"(?:has no attribute|cannot import name) '(CuDNNLSTM|CuDNNGRU)'",
        "{0}(...)",
        "LSTM(...) / GRU(...) (they use cuDNN by themselves on a GPU)",
        route_runs=False,
    ),
    _idiom(
        "keras1-nb-epoch",
        r"fit\(\) got an unexpected keyword argument 'nb_epoch'",
        "model.fit(..., nb_epoch=N)",
        "model.fit(..., epochs=N)",
        route_runs=False,
    ),
    _idiom(
        "keras1-argument",
        rf"(?:Unrecognized keyword arguments passed to \w+: \{{.*|Keyword argument not understood:.*)"
        rf"'({_KERAS1_ARGUMENTS})'",
        "{0}=...",
        "the Keras 2+ name (init → kernel_initializer, border_mode → padding, nb_filter → filters, "
        "subsample → strides, W_regularizer → kernel_regularizer, output_dim → units)",
        route_runs=False,
    ),
    _idiom(
        "scikit-learn-wrapper",
        r"No module named '(keras\.wrappers(?:\.scikit_learn)?)'",
        "from {0} import KerasClassifier",
        "the scikeras package's KerasClassifier, or a plain training loop",
        route_runs=False,
    ),
)

_FRAME = re.compile(r'File "[^"\n]*", line (\d+)[^\n]*\n(?: {4}([^\n]*))?')


@dataclass(frozen=True)
class FoundIdiom:
    """An idiom met in a run: where (the learner's line, from the traceback) and as written."""

    idiom: Idiom
    detail: str = ""  # the pattern's first group that matched ('' when none)
    line: int | None = None
    code: str = ""  # the learner's line, stripped (from the traceback)

    @property
    def keras2(self) -> str:
        return self.idiom.keras2.format(self.detail)

    @property
    def keras3(self) -> str:
        return self.idiom.keras3.format(self.detail)

    def said(self) -> Text:
        """`Adam(lr=0.001)` (line 12: `opt = Adam(lr=0.001)`); Keras 3 spells it `Adam(learning_rate=0.001)`."""
        code = f": `{self.code[:120]}`" if self.code else ""
        where_en = f" (line {self.line}{code})" if self.line is not None else ""
        where_ko = f" ({self.line}번째 줄{code})" if self.line is not None else ""
        return Text(
            f"`{self.keras2}`{where_en}; Keras 3 spells it `{self.keras3}`",
            f"`{self.keras2}`{where_ko}; Keras 3에서는 `{self.keras3}`처럼 씁니다",
        )


def find_idiom(error: Mapping[str, Any]) -> FoundIdiom | None:
    """The catalogue's idiom behind a run's error (the sandbox's ``{"type", "message",
    "traceback", ...}``), with the learner's line where the traceback gives it; None: the error
    is not one of them (and grading does not try again)."""
    said = f"{error.get('type', '')}: {error.get('message', '')}"
    for idiom in IDIOMS:
        match = idiom.pattern.search(said)
        if match is not None:
            detail = next((g for g in match.groups() if g), "")
            line, code = _last_frame(str(error.get("traceback", "")))
            return FoundIdiom(idiom, detail, line, code)
    return None


def _last_frame(traceback: str) -> tuple[int | None, str]:
    """The line number and code of the traceback's last frame (the learner's: the sandbox keeps no other)."""
    frames = list(_FRAME.finditer(traceback))
    if not frames:
        return None, ""
    last = frames[-1]
    return int(last[1]), (last[2] or "").strip()
