"""Make keras' ``get_file`` read the sandbox's public files, never the network.

Runs inside the sandbox only (it imports keras). The public copies are rewritten files, so
their hashes differ from the official ones, and keras' ``get_file`` would then try to download
the originals. The patched ``get_file`` drops the hash check. For ``keras.datasets.*.load_data()``
it refuses to download: a file that is not in ``KERAS_HOME/datasets`` is a clear error instead of
a network call. For a learner's own call (``keras.utils.get_file('rps.zip', origin=URL,
extract=True)``, ``tf.keras.utils.get_file``) keras "downloads" through `offline_urls.urlretrieve`,
which serves the exercise's file the URL names, so keras' own naming and extraction still apply.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from types import ModuleType

from grader.sandbox import offline_urls


class DatasetNotProvided(FileNotFoundError):
    pass


def install(api: ModuleType | None = None) -> None:
    """Patch the ``get_file`` of ``api``: Keras 3's (the default), or tf_keras's on the Keras 2
    route (`grader.sandbox.keras2`), whose loaders import it from ``data_utils``."""
    if api is not None and api.__name__ == "tf_keras":
        from tf_keras.src.utils import data_utils

        _patch(data_utils, "tf_keras.src.datasets", lambda: os.path.join(os.path.expanduser("~"), ".keras"))
        return
    import keras  # noqa: F401 - loads keras.src.datasets.*, whose get_file names we replace
    from keras.src import backend
    from keras.src.utils import file_utils

    _patch(file_utils, "keras.src.datasets", backend.config.keras_home)


def _patch(utils: ModuleType, datasets: str, default_home: Callable[[], str]) -> None:
    """Replace ``utils.get_file`` wherever it is bound: the dataset loaders under ``datasets`` get
    the form that refuses a missing file, every other module (``keras.utils``, ``utils`` itself, so
    modules imported later such as ``tf.keras.utils`` bind it too) the form that serves a URL."""
    original = utils.get_file
    if hasattr(original, "offline"):  # installed already (a test process installs more than once)
        return
    utils.urlretrieve = offline_urls.urlretrieve  # the name get_file downloads with, bound at keras' import
    loaders = _offline(original, default_home, refuse_missing=True)
    public = _offline(original, default_home, refuse_missing=False)
    for name, module in list(sys.modules.items()):
        # vars(), not getattr: a lazy module (TensorFlow's tf.keras) must not load on being looked at.
        if getattr(module, "__dict__", {}).get("get_file") is original:
            module.get_file = loaders if name.startswith(datasets) else public


def _offline(original: Callable[..., str], default_home: Callable[[], str], refuse_missing: bool) -> Callable[..., str]:
    """``original`` without its hash check, reading KERAS_HOME at the call."""
    signature = inspect.signature(original)

    def offline_get_file(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        params = bound.arguments
        params["file_hash"] = params["md5_hash"] = None
        if "force_download" in params:  # Keras 3's; tf_keras's get_file has no such argument
            params["force_download"] = False
        # KERAS_HOME read now, not when keras was imported: the public copy is what counts.
        cache_dir = params.get("cache_dir") or os.environ.get("KERAS_HOME") or default_home()
        params["cache_dir"] = cache_dir
        if refuse_missing:
            _require(params, os.path.join(os.path.expanduser(cache_dir), params["cache_subdir"], str(params["fname"])))
        return original(**params)

    offline_get_file.offline = refuse_missing
    return offline_get_file


def _require(params: dict, target: str) -> None:
    """A dataset loader's file must be in the public copy: it names no file a URL could serve."""
    # An archive (CIFAR-10) is kept as "<fname>_archive" by keras 3; accept the other spellings too.
    archived = params.get("extract") or params.get("untar")
    candidates = [target + "_archive", target, target + ".tar.gz"] if archived else [target]
    if not any(os.path.exists(c) for c in candidates):
        raise DatasetNotProvided(
            f"{params['fname']} is not provided in the grading sandbox (looked in {os.path.dirname(target)}); "
            "only the exercise's own dataset is available, and there is no network"
        )
