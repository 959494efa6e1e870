"""Write a model the way Keras 2 (TensorFlow 2.13) saved ``.h5`` files, for the "older Keras" case.

No Keras 2 can be installed beside Keras 3, so the file is written by hand with h5py in the
Keras 2.13 layout: its config keys (``batch_input_shape``, plain dtype strings), ``kernel:0``
weight names and the ``layer_names``/``weight_names`` attributes.
"""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np

KERAS2_VERSION = "2.13.1"


def write_keras2_dense_h5(path: Path, kernel: np.ndarray, bias: np.ndarray) -> Path:
    """Flatten(28×28) → Dense(10, softmax) with the given weights."""
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {
                        "batch_input_shape": [None, 28, 28],
                        "dtype": "float32",
                        "sparse": False,
                        "ragged": False,
                        "name": "flatten_input",
                    },
                },
                {
                    "class_name": "Flatten",
                    "config": {
                        "name": "flatten",
                        "trainable": True,
                        "dtype": "float32",
                        "batch_input_shape": [None, 28, 28],
                        "data_format": "channels_last",
                    },
                },
                {
                    "class_name": "Dense",
                    "config": {
                        "name": "dense",
                        "trainable": True,
                        "dtype": "float32",
                        "units": 10,
                        "activation": "softmax",
                        "use_bias": True,
                        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                        "bias_initializer": {"class_name": "Zeros", "config": {}},
                        "kernel_regularizer": None,
                        "bias_regularizer": None,
                        "activity_regularizer": None,
                        "kernel_constraint": None,
                        "bias_constraint": None,
                    },
                },
            ],
        },
        "keras_version": KERAS2_VERSION,
        "backend": "tensorflow",
    }
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = KERAS2_VERSION
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
        weights = f.create_group("model_weights")
        weights.attrs["keras_version"] = KERAS2_VERSION
        weights.attrs["backend"] = "tensorflow"
        weights.attrs["layer_names"] = np.array([b"flatten", b"dense"])
        weights.create_group("flatten").attrs["weight_names"] = np.array([], dtype="S1")
        dense = weights.create_group("dense")
        dense.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
        dense.create_dataset("dense/kernel:0", data=kernel.astype(np.float32))
        dense.create_dataset("dense/bias:0", data=bias.astype(np.float32))
    return path
