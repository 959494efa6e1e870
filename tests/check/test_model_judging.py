"""Pure parts of model grading: judging measurements, partial credit, log cleaning (no TensorFlow)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from grader.check.models import judge_model, metric_points
from grader.evaluator.handle import without_tf_noise
from grader.exercise import find_exercise

EX10 = find_exercise("exercise10")
GOOD = {
    "loaded": True,
    "input_shape": [None, 28, 28],
    "output_shape": [None, 10],
    "output_activation": "softmax",
    "layers": ["Flatten", "Dense"],
    "n_test": 10000,
    "nan_predictions": 0,
}


@pytest.mark.parametrize(
    ("value", "points"), [(0.1, 0.0), (0.847, 0.0), (0.85, 0.0), (0.875, 40.0), (0.9, 80.0), (0.99, 80.0)]
)
def test_partial_credit_falls_steeply_below_the_target(value, points) -> None:
    # Fashion-MNIST: none at 0.85 (a Dense-only model), all at 0.90: not a line from chance (0.1).
    assert metric_points(EX10.model, value, 80) == pytest.approx(points)


def test_a_near_miss_says_why_it_failed_beside_its_high_score() -> None:
    verdict, message, checks = judge_model(EX10, {**GOOD, "metric": 0.895})
    assert verdict == "failed" and sum(c.points for c in checks) == 92
    assert "none at 0.85, all at the target" in message.en
    assert "It passes only at its target: the points show how close it came" in message.en
    assert "목표에 닿아야 합격입니다" in message.ko


def test_a_model_at_the_threshold_passes_with_full_marks() -> None:
    verdict, message, checks = judge_model(EX10, {**GOOD, "metric": 0.9})
    assert verdict == "passed" and sum(c.points for c in checks) == 100
    assert "accuracy 0.9000 ≥ 0.9 on 10000 hidden examples" in message.en


@pytest.mark.parametrize(
    ("change", "verdict", "says"),
    [
        ({"output_shape": [None, 1]}, "contract-error", "output: 1 units, expected 10"),
        ({"output_activation": "relu"}, "contract-error", "output activation is relu, expected softmax"),
        ({"input_problem": "the model expects (None, 32, 32, 3)"}, "contract-error", "input: the model expects"),
        ({"nan_predictions": 7}, "failed", "7 predictions are NaN"),
        ({"loaded": False, "load_error": {"kind": "lambda", "message": "x"}}, "contract-error", "Lambda layer"),
        ({"loaded": False, "load_error": {"kind": "unreadable", "message": "bad zip"}}, "submission-error", "bad zip"),
    ],
)
def test_each_problem_has_its_verdict(change, verdict, says) -> None:
    got, message, _ = judge_model(EX10, {**GOOD, "metric": 0.95, **change})
    assert got == verdict and says in message.en and message.ko


def test_tensorflow_startup_noise_is_removed_and_nothing_else() -> None:
    log = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1795457977.778770   25219 port.cc:153] oneDNN custom operations are on. You may see...\n"
        "my own print\n"
        "WARNING: my own warning\n"
        "Epoch 1/3\n"
    )
    assert without_tf_noise(log) == "my own print\nWARNING: my own warning\nEpoch 1/3\n"


EX11 = find_exercise("exercise11")
FORECAST = {**GOOD, "input_shape": [None, 30], "output_shape": [None, 1], "output_activation": "linear", "n_test": 500}


@pytest.mark.parametrize(
    ("mae", "points", "verdict"),
    [
        (4.2, 80.0, "passed"),
        (5.0, 80.0, "passed"),
        (5.625, 40.0, "failed"),
        (6.25, 0.0, "failed"),
        (9.0, 0.0, "failed"),
    ],
)
def test_an_error_metric_scores_downwards_from_baseline_to_threshold(mae, points, verdict) -> None:
    got, message, checks = judge_model(EX11, {**FORECAST, "metric": mae})
    assert got == verdict and checks[2].points == points
    assert ("≤ 5 on 500 hidden examples" in message.en) == (verdict == "passed")
    assert checks[2].title.en == "mae ≤ 5 on the hidden test set"


def test_a_long_load_error_keeps_its_reason_which_keras_puts_last() -> None:
    from grader.evaluator.child import MESSAGE_CHARS, shortened

    config = "{" + '"units": 10, ' * 2000 + "}"
    reason = "Exception encountered: unknown activation 'swishy'"
    text = f"TypeError: Could not deserialize class 'Dense'. Config: {config}. {reason}"
    short = shortened(text)
    assert len(short) <= MESSAGE_CHARS
    assert short.startswith("TypeError: Could not deserialize class 'Dense'")
    assert short.endswith(reason)
    assert shortened("short") == "short"


@pytest.mark.parametrize(("pass_score", "verdict"), [(60.0, "passed"), (60.5, "failed")])
def test_a_model_short_of_its_target_passes_when_its_partial_credit_reaches_the_pass_score(pass_score, verdict) -> None:
    exercise = replace(EX10, pass_score=pass_score)
    got, message, checks = judge_model(exercise, {**GOOD, "metric": 0.875})  # 20 + 40 of 80 for the metric
    assert (got, sum(c.points for c in checks)) == (verdict, 60.0)
    assert "the target is 0.9" in message.en
