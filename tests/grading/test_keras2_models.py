"""The Keras 2 route end to end: a 2020-era script trains under tf-keras and is scored by the
trusted evaluator under the same route (safe_mode=True), the route named in the report.

Synthetic Fashion-MNIST in the real file format (tests/synthetic.py); each grading starts
TensorFlow in two or three children (~15-25 s on 2 cores).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import api
from tests.conftest import SUBMISSIONS
from tests.synthetic import write_image_dataset

pytest.importorskip("tf_keras")  # the route's package (the `models` extra); the grade process never imports it

KERAS2 = SUBMISSIONS / "keras2"
MODELS = SUBMISSIONS / "models"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("keras2-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        write_image_dataset("fashion-mnist", root / "datasets", n_train=3000, n_test=600)
        yield root / "datasets"


def route_notes(report) -> list:
    return [n for n in report.notes if "Keras 2 API" in n.en]


def test_a_2020_script_trains_on_the_keras_2_route_and_is_scored(data_dir) -> None:
    report = api.grade("exercise10", KERAS2 / "fashion_2020.py", data_dir=data_dir)
    assert report.verdict == "passed", report.message.en + report.output[-2000:]
    assert report.score == 100
    [note] = route_notes(report)
    assert "keras.layers.core" in note.en and "line 6" in note.en and "from keras.layers import" in note.en
    assert "Keras 2 API(tf-keras)로 채점했습니다" in note.ko and "6번째 줄" in note.ko
    assert "accuracy" in report.model.history and "val_accuracy" in report.model.history  # metrics='acc', one name
    assert report.model.epochs == 3


def test_a_file_the_route_cannot_run_names_the_idiom_and_its_keras_3_spelling(data_dir) -> None:
    report = api.grade("exercise10", KERAS2 / "fashion_2020_decay.py", data_dir=data_dir)
    assert report.verdict == "submission-error" and report.score == 0
    assert "decay" in report.message.en and "InverseTimeDecay" in report.message.en and "line 13" in report.message.en
    assert "Keras 2 API(tf-keras)에서도" in report.message.ko
    [note] = route_notes(report)
    assert "Adam(learning_rate=0.001)" in note.en  # what moved it to the route: lr=


def test_keras_2_asked_trains_a_keras_3_script_there_and_the_evaluator_keeps_safe_mode(data_dir) -> None:
    report = api.grade("exercise10", MODELS / "script_global.py", data_dir=data_dir, keras=2)
    assert report.verdict == "passed", report.message.en + report.output[-2000:]
    assert "as --keras 2 asked" in route_notes(report)[0].en
    refused = api.grade("exercise10", MODELS / "lambda_layer.py", data_dir=data_dir, keras=2)
    assert refused.verdict == "contract-error" and "Lambda layer" in refused.checks[0].message.en
