"""The certificate's contracts and scoring, judged from measurements (no TensorFlow): what a
starter fixed ("DO NOT CHANGE"), the sunspots formula's steps, and the coach's two findings on
raw-file tasks. Contracts are built here, so these run without the exercise folders."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.check.coach_cert import lagging_forecast, memorised_images
from grader.check.models import fixed_problems, metric_points
from grader.exam.template import Task
from grader.exercise import ModelContract, Steps, TextForm

SARCASM = ModelContract(
    dataset="sarcasm",
    metric="accuracy",
    threshold=0.8,
    credit_from=0.65,
    input="headlines",
    output_units=1,
    output_activation="sigmoid",
    required_layers=("Embedding",),
    text=TextForm(1000, 120, "post", "post", oov_token="<OOV>", embedding_dim=16),
)
RPS = ModelContract("rps", "accuracy", 0.85, 0.6, "folders", 3, "softmax", input_shape=(150, 150, 3))
SUNSPOTS = ModelContract(
    "sunspots", "mae", 0.13, 0.17, "series", 1, "linear", window=30, scale="max", steps=Steps(17, 100)
)


def _said(problems) -> str:
    return "\n".join(p.en for p in problems)


def test_a_changed_max_length_is_named_by_the_starter_s_variable() -> None:
    measured = {"input_shape": [None, 100], "embeddings": [[1000, 16]], "vectorizers": []}
    said = _said(fixed_problems(SARCASM, measured))
    assert said.startswith("max_length:") and "max_length = 120" in said and "sequences of 100" in said
    assert all(p.ko for p in fixed_problems(SARCASM, measured))


@pytest.mark.parametrize(
    ("embeddings", "vectorizers", "named"),
    [
        ([[10000, 16]], [], ["vocab_size"]),
        ([[1000, 64]], [], ["embedding_dim"]),
        ([[1000, 16]], [[1000, 100]], ["max_length"]),
        ([[1000, 16]], [[5000, 120]], ["vocab_size"]),
        ([[1000, 16]], [[1000, 120]], []),
    ],
)
def test_each_fixed_text_parameter_is_named_when_changed(embeddings, vectorizers, named) -> None:
    shape = [None, 1] if vectorizers else [None, 120]
    problems = fixed_problems(SARCASM, {"input_shape": shape, "embeddings": embeddings, "vectorizers": vectorizers})
    assert [p.en.split(":")[0] for p in problems] == named


def test_an_unknown_sequence_length_accepts_what_the_tests_feed() -> None:
    assert fixed_problems(SARCASM, {"input_shape": [None, None], "embeddings": [[1000, 16]]}) == []


def test_images_of_another_size_are_a_named_contract_problem() -> None:
    said = _said(fixed_problems(RPS, {"input_shape": [None, 300, 300, 3]}))
    assert "150×150×3" in said and "300×300×3" in said
    assert fixed_problems(RPS, {"input_shape": [None, 150, 150, 3]}) == []
    assert fixed_problems(RPS, {"input_shape": [None, None, None, 3]}) == []  # takes any size: fed 150×150


@pytest.mark.parametrize(
    ("mae", "steps"), [(0.0, 5), (0.12, 5), (0.125, 5), (0.13, 4), (0.141, 3), (0.1649, 1), (0.17, 0), (3.0, 0)]
)
def test_sunspots_steps_follow_the_certificate_s_formula(mae, steps) -> None:
    assert SUNSPOTS.steps.of(mae) == steps
    assert metric_points(SUNSPOTS, mae, 80) == 16 * steps
    assert SUNSPOTS.meets(mae) == (steps == 5)


@pytest.mark.parametrize(("mae", "steps"), [(3.0, 5), (15.0, 5), (15.5, 5), (16.0, 4), (19.9, 1), (20.0, 0)])
def test_the_raw_variant_scores_ceil_twenty_minus_mae(mae, steps) -> None:
    assert Steps(20, 1).of(mae) == steps


def test_an_infinite_or_missing_error_earns_no_step() -> None:
    assert SUNSPOTS.steps.of(float("inf")) == 0 and SUNSPOTS.steps.of(float("nan")) == 0
    assert metric_points(SUNSPOTS, float("inf"), 80) == 0 and not SUNSPOTS.meets(float("inf"))


@given(st.floats(0, 1, allow_nan=False), st.floats(0, 1, allow_nan=False))
def test_a_smaller_error_never_scores_fewer_steps(a, b) -> None:
    low, high = sorted((a, b))
    assert SUNSPOTS.steps.of(low) >= SUNSPOTS.steps.of(high)


def test_an_exam_task_with_the_formula_counts_its_steps() -> None:
    task = Task("task5", "exercise16", weight=5)
    assert task.points_for(20, 100, passed=False, steps=0) == 0  # the report's 20 load/contract points give no step
    assert task.points_for(84, 100, passed=False, steps=4) == 4
    assert task.points_for(100, 100, passed=True, steps=5) == 5


HISTORY = {"accuracy": [0.6, 0.99], "val_accuracy": [0.5, 0.98]}


def test_a_cnn_right_on_its_folder_and_wrong_on_the_test_folder_memorised_images() -> None:
    finding = memorised_images(RPS, {"metric": 0.41, "n_test": 372}, HISTORY)
    assert finding is not None and finding.name == "memorised-images"
    assert "0.99" in finding.evidence.en and "0.41" in finding.evidence.en and "372" in finding.evidence.en
    assert "RandomFlip" in finding.next_step.en and finding.next_step.ko


@pytest.mark.parametrize(
    ("metric", "history"),
    [
        (0.9, HISTORY),  # met its target
        (0.8, HISTORY),  # short, but close to what it did on its own images
        (0.41, {"accuracy": [0.7, 0.8]}),  # never learned its own images either
        (0.41, {}),
    ],
)
def test_memorised_images_keeps_quiet_where_it_is_not_shown(metric, history) -> None:
    assert memorised_images(RPS, {"metric": metric, "n_test": 372}, history) is None


def test_a_forecast_that_repeats_the_last_value_is_named_lagging() -> None:
    measured = {"metric": 0.16, "residuals": {"mae": 0.16, "mae_to_previous": 0.01}}
    finding = lagging_forecast(SUNSPOTS, measured)
    assert finding is not None and finding.name == "lagging-forecast" and "w[-1]" in finding.next_step.en
    assert lagging_forecast(SUNSPOTS, {"metric": 0.16, "residuals": {"mae": 0.16, "mae_to_previous": 0.12}}) is None
    assert lagging_forecast(SUNSPOTS, {"metric": 0.05, "residuals": {"mae": 0.05, "mae_to_previous": 0.001}}) is None


def test_a_value_just_short_of_the_target_never_earns_all_the_metric_points() -> None:
    linear = ModelContract("linear-points", "mse", 1e-4, 1e-2, "points", 1, "linear", input_shape=(1,))
    assert metric_points(linear, 1.001e-4, 80) == 79.9 and metric_points(linear, 1e-4, 80) == 80


def test_a_symptom_points_at_its_cause_by_name() -> None:
    from grader.check.coach_model import input_scale, symptom_of_the_cause
    from grader.report import Finding
    from grader.text import Text

    collapse = Finding("collapse", Text("a", "a"), Text("b", "b"), Text("its own step", "자체"), Text("c", "c"))
    cause = memorised_images(RPS, {"metric": 0.41, "n_test": 372}, HISTORY)
    pointed = symptom_of_the_cause(collapse, cause)
    assert "the memorised training images above" in pointed.next_step.en and "외운 학습 이미지" in pointed.next_step.ko
    scale = symptom_of_the_cause(collapse, input_scale(Text("e", "e"))).next_step
    assert scale.en == "this follows from the input scale above: fix that first, then grade again"
