"""The evaluator's measurements for the coach, on arrays and archives in Keras's own format."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from grader.evaluator.child import score
from grader.evaluator.diagnostics import confusion, rescaled_score, residuals, training_loss


def test_the_confusion_matrix_counts_true_class_by_predicted_class() -> None:
    y = np.array([0, 0, 1, 2, 2, 2])
    probabilities = np.eye(3)[[0, 1, 1, 2, 2, 0]]
    assert confusion(y, probabilities) == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    binary = confusion(np.array([0, 1, 1]), np.array([[0.2], [0.7], [0.4]]))  # one sigmoid output
    assert binary == [[1, 0], [1, 1]]


def test_a_model_trained_on_raw_pixels_scores_better_when_fed_them_on_a_subset() -> None:
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (3000, 4)).astype(np.float32) / 255.0  # as the contract feeds them
    y = (x[:, 0] * 255 > 127).astype(int)

    def predict(inputs):  # "trained" on 0-255: the class is whether the first pixel is above 127
        return np.stack([inputs[:, 0] <= 127, inputs[:, 0] > 127], axis=1).astype(np.float32)

    found = rescaled_score(predict, x, y, predict(x), lambda t, p: score("accuracy", t, p))
    assert found is not None and found["examples"] == 2000
    assert found["rescaled"] == 1.0 and found["as_fed"] < 0.6


def _archive(tmp_path, compile_config) -> object:
    path = tmp_path / "model.keras"
    config = {"module": "keras", "class_name": "Sequential", "config": {}, "compile_config": compile_config}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", b"")
    return path


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ("sparse_categorical_crossentropy", {"name": "sparse_categorical_crossentropy", "from_logits": False}),
        (
            {
                "module": "keras.losses",
                "class_name": "SparseCategoricalCrossentropy",
                "config": {"name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size",
                           "from_logits": True, "ignore_class": None},
                "registered_name": None,
            },
            {"name": "sparse_categorical_crossentropy", "from_logits": True},
        ),
        (
            {"module": "keras.losses", "class_name": "function", "config": "mean_squared_error"},
            {"name": "mean_squared_error", "from_logits": False},
        ),
        ("MSE", {"name": "mse", "from_logits": False}),
    ],
)  # fmt: skip
def test_the_loss_is_read_from_the_archive_s_config_as_data(tmp_path, loss, expected) -> None:
    assert training_loss(_archive(tmp_path, {"loss": loss, "metrics": ["accuracy"]}), 2**20) == expected


def test_an_archive_that_does_not_say_gives_no_loss(tmp_path) -> None:
    assert training_loss(_archive(tmp_path, {}), 2**20) is None  # saved uncompiled
    assert training_loss(_archive(tmp_path, {"loss": {"class_name": 7}}), 2**20) is None
    assert training_loss(_archive(tmp_path, {"loss": "mse"}), 10) is None  # a config over the limit is not read
    not_zip = tmp_path / "x.keras"
    not_zip.write_bytes(b"not a zip")
    assert training_loss(not_zip, 2**20) is None
    assert training_loss(tmp_path / "model.h5", 2**20) is None


def test_residuals_say_where_the_errors_lie_and_a_forecast_s_by_quarter() -> None:
    y = np.arange(16, dtype=np.float32)
    behind = y - np.linspace(0, 3, 16)  # falls further behind along the tail
    found = residuals(y, behind.reshape(16, 1), in_time_order=True)
    assert found["bias"] == pytest.approx(-1.5) and found["target_sd"] == pytest.approx(np.std(y))
    quarters = found["mae_by_quarter"]
    assert len(quarters) == 4 and quarters == sorted(quarters) and quarters[-1] > 4 * quarters[0]
    assert "mae_by_quarter" not in residuals(y, behind, in_time_order=False)  # a regression's test set has no order


@pytest.mark.parametrize(
    "loss",
    [
        "x" * 10_000_000,  # a 10 MB loss name
        {"class_name": "function", "config": "a b c"},
        {"class_name": "Loss<script>", "config": {}},
    ],
)
def test_a_config_that_names_no_loss_one_could_write_gives_no_loss(tmp_path, loss) -> None:
    assert training_loss(_archive(tmp_path, {"loss": loss}), 2**26) is None


def test_a_config_nested_past_the_parsers_reach_gives_no_loss(tmp_path) -> None:
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "[" * 200_000 + "]" * 200_000)
    assert training_loss(path, 2**20) is None
