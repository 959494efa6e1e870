"""The child's Keras 2 route: under TF_USE_LEGACY_KERAS=1 every ``keras`` import is tf_keras (Keras
2.4's module paths included), and keras.datasets read the sandbox's files offline there too.
Runs in a child process: the route renames modules for the whole interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytest.importorskip("tf_keras")

PROBE = """
import sys
from grader.sandbox import keras2, keras_offline
keras = keras2.keras_api()
keras_offline.install(keras)
import tf_keras
import keras as plain
from keras.layers.core import Dense
from keras.layers.recurrent import LSTM
from keras.utils import np_utils
from keras.preprocessing.text import Tokenizer
from keras.optimizers import Adam
import tensorflow as tf
assert keras is tf_keras and plain is tf_keras and Dense is tf_keras.layers.Dense and LSTM is tf_keras.layers.LSTM
assert tf.keras.layers.Dense is Dense and np_utils.to_categorical([1])[0][1] == 1
assert tf_keras.layers.__spec__.name == "tf_keras.layers"  # one module under both names, its own spec kept
Adam(lr=0.01)  # Keras 2 spelling, accepted
try:
    import keras.wrappers.scikit_learn
except ModuleNotFoundError as exc:
    assert exc.name.startswith("keras.wrappers"), exc.name
else:
    raise AssertionError("tf_keras has no scikit_learn wrapper")
from tf_keras.src.datasets import fashion_mnist
assert fashion_mnist.get_file.__name__ == "offline_get_file"
assert not any(name == "keras.src" or name.startswith("keras.src.") for name in sys.modules), "Keras 3 was loaded"
try:
    keras.datasets.mnist.load_data()
except keras_offline.DatasetNotProvided as exc:
    assert "mnist.npz is not provided" in str(exc), exc
else:
    raise AssertionError("a file not in KERAS_HOME was not refused")
print("route ok")
"""


def test_keras_imports_are_tf_keras_on_the_route_and_datasets_stay_offline(tmp_path) -> None:
    env = {**os.environ, "TF_USE_LEGACY_KERAS": "1", "KERAS_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "route ok" in done.stdout, done.stderr[-3000:]
