"""The Keras 2 route, child side: under ``TF_USE_LEGACY_KERAS=1`` a learner's ``import keras`` is tf_keras.

TensorFlow documents ``TF_USE_LEGACY_KERAS=1`` with the ``tf-keras`` package as the way to run
Keras 2 code: ``tensorflow.keras`` is then tf_keras. A 2020 script also writes ``import keras``
and ``from keras.layers.core import Dense`` (Keras 2.4's module paths), which would reach Keras 3.
`keras_api` makes every ``keras`` import name the same tf_keras modules, the old paths included,
so one script never mixes the two Kerases (a Keras 3 layer in a tf_keras model fails).

The training child and the trusted evaluator both call `keras_api`; the runner sets the variable
for the whole process (TensorFlow reads it when it is imported). Child package: standard library only.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from types import ModuleType
from typing import Any

LEGACY_KERAS_ENV = "TF_USE_LEGACY_KERAS"

# Keras 2.4's module paths (2020 courses import from them) and where tf_keras keeps their names.
OLD_PATHS = {
    **{
        f"keras.layers.{old}": "tf_keras.layers"
        for old in (
            "core",
            "recurrent",
            "convolutional",
            "convolutional_recurrent",
            "pooling",
            "embeddings",
            "normalization",
            "merge",
            "advanced_activations",
            "noise",
            "local",
            "wrappers",
        )
    },
    "keras.utils.np_utils": "tf_keras.utils",
    "keras.utils.generic_utils": "tf_keras.utils",
    "keras.utils.data_utils": "tf_keras.utils",
}


def legacy_keras() -> bool:
    """Whether this process runs the Keras 2 route (the runner set ``TF_USE_LEGACY_KERAS=1``)."""
    return os.environ.get(LEGACY_KERAS_ENV) == "1"


def tf_keras_name(name: str) -> str:
    """The tf_keras module a ``keras`` module name means on the route:

    >>> tf_keras_name("keras.layers.core"), tf_keras_name("keras.preprocessing.text")
    ('tf_keras.layers', 'tf_keras.preprocessing.text')
    """
    return OLD_PATHS.get(name) or "tf_keras" + name[len("keras") :]


class KerasIsTfKeras(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers ``import keras[.x]`` with the tf_keras module itself (one module object under
    both names, not a second copy); a path tf_keras lacks is a ModuleNotFoundError, as usual."""

    def __init__(self) -> None:
        self._specs: dict[str, Any] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "keras" and not fullname.startswith("keras."):
            return None
        try:
            found = importlib.util.find_spec(tf_keras_name(fullname))
        except ImportError:
            return None
        if found is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(tf_keras_name(spec.name))
        self._specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system set the alias's spec on the module: it keeps its own.
        own = self._specs.get(getattr(module.__spec__, "name", ""))
        if own is not None:
            module.__spec__ = own


def _name_old_paths() -> None:
    """``from keras.utils import np_utils`` asks tf_keras.utils for the name itself (an import
    from a module looks it up under the module's own name): each old path is also an attribute."""
    for old, new in OLD_PATHS.items():
        parent, _, leaf = old.rpartition(".")
        module = importlib.import_module(tf_keras_name(parent))
        if not hasattr(module, leaf):
            setattr(module, leaf, importlib.import_module(new))


def keras_api() -> ModuleType:
    """The Keras this process uses: tf_keras on the Keras 2 route (and ``keras`` then imports it),
    else Keras 3. Call it before anything imports keras or TensorFlow."""
    if legacy_keras():
        if not any(isinstance(finder, KerasIsTfKeras) for finder in sys.meta_path):
            sys.meta_path.insert(0, KerasIsTfKeras())
        import tf_keras

        _name_old_paths()
        return tf_keras
    import keras

    return keras
