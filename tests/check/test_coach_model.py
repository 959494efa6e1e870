"""The coach's rules on the evaluator's measurements, each on both sides of its line (no TensorFlow)."""

from __future__ import annotations

import pytest

from grader.check.coach_model import diagnose_model
from grader.exercise import find_exercise
from tests.grading.test_corpus import assert_particles_follow_the_word_before

FASHION = find_exercise("exercise10").model  # 10 classes, softmax, pixels / 255
REGRESSION = find_exercise("exercise4").model
MEASURED = {"output_shape": [None, 10], "output_activation": "softmax", "metric": 0.85}


def names(measured: dict, contract=FASHION) -> list[str]:
    return [f.name for f in diagnose_model(contract, {**MEASURED, **measured})]


def balanced(n: int = 10, per_class: int = 100) -> list[list[int]]:
    return [[per_class if i == j else 0 for j in range(n)] for i in range(n)]


def test_a_clean_model_gets_no_finding() -> None:
    measured = {
        "confusion": balanced(),
        "rescaled": {"scale": 255.0, "examples": 2000, "as_fed": 0.86, "rescaled": 0.10},
        "loss": {"name": "sparse_categorical_crossentropy", "from_logits": False},
    }
    assert names(measured) == []


def test_a_model_that_scores_far_better_on_raw_pixels_was_trained_on_them() -> None:
    (finding,) = diagnose_model(
        FASHION, {**MEASURED, "rescaled": {"scale": 255.0, "examples": 2000, "as_fed": 0.31, "rescaled": 0.84}}
    )
    assert finding.name == "input-scale"
    assert "scores 0.840 when fed raw 0–255 pixels but 0.310" in finding.evidence.en
    assert "x_train / 255.0" in finding.next_step.en and "x_train / 255.0" in finding.next_step.ko


@pytest.mark.parametrize(
    ("as_fed", "raw"),
    [
        (0.70, 0.80),  # better on raw pixels, but not sharply: noise of a weak model
        (0.91, 0.99),  # it meets the target as fed: nothing to fix
        (0.31, 0.30),
    ],
)
def test_no_input_scale_finding_without_a_sharp_gain_on_a_model_that_falls_short(as_fed, raw) -> None:
    rescaled = {"scale": 255.0, "examples": 2000, "as_fed": as_fed, "rescaled": raw}
    assert "input-scale" not in names({"rescaled": rescaled, "metric": as_fed})


def test_a_sigmoid_or_linear_output_over_ten_classes_is_explained() -> None:
    (sigmoid,) = diagnose_model(FASHION, {**MEASURED, "output_activation": "sigmoid"})
    assert sigmoid.name == "output-activation" and "do not add up to 1" in sigmoid.evidence.en
    assert "Dense(10, activation='softmax')" in sigmoid.next_step.en
    (linear,) = diagnose_model(FASHION, {**MEASURED, "output_activation": "linear"})
    assert "logits" in linear.evidence.en
    assert names({"output_activation": "softmax"}) == []


def test_a_softmax_regression_output_is_explained_as_a_regression_problem() -> None:
    measured = {"output_shape": [None, 1], "output_activation": "softmax", "metric": 0.1}
    (finding,) = diagnose_model(REGRESSION, measured)
    assert finding.name == "output-activation" and "Dense(1, activation='linear')" in finding.next_step.en


@pytest.mark.parametrize(
    ("loss", "says"),
    [
        ({"name": "sparse_categorical_crossentropy", "from_logits": True}, "applies it a second time"),
        ({"name": "binary_crossentropy", "from_logits": False}, "binary accuracy"),
        ({"name": "mean_squared_error", "from_logits": False}, "a regression loss, on class labels"),
    ],
)
def test_a_loss_that_does_not_fit_the_output_or_the_labels_is_named(loss, says) -> None:
    (finding,) = diagnose_model(FASHION, {**MEASURED, "loss": loss})
    assert finding.name == "loss-mismatch" and says in finding.evidence.en


def test_logits_with_a_linear_output_and_a_classification_loss_on_regression() -> None:
    logits = {"output_activation": "linear", "loss": {"name": "sparse_categorical_crossentropy", "from_logits": True}}
    assert "loss-mismatch" not in names(logits)  # a consistent pair (the contract asks for softmax: said apart)
    measured = {"output_shape": [None, 1], "output_activation": "linear", "metric": 0.2}
    crossentropy = {"name": "categorical_crossentropy", "from_logits": False}
    (finding,) = diagnose_model(REGRESSION, {**measured, "loss": crossentropy})
    assert "a classification loss, on a regression target" in finding.evidence.en
    assert diagnose_model(REGRESSION, {**measured, "loss": {"name": "mse", "from_logits": False}}) == ()


def test_predicting_one_class_for_most_of_the_test_set_is_collapse() -> None:
    collapsed = [[0] * 10 for _ in range(10)]
    for true_class in range(10):
        collapsed[true_class][3] = 90
        collapsed[true_class][true_class] += 10
    (finding,) = diagnose_model(FASHION, {**MEASURED, "confusion": collapsed, "metric": 0.19})
    assert finding.name == "collapse"
    assert "predicted class 3 for 91% of the 1000 hidden test examples (it is 10% of them)" in finding.evidence.en
    assert "0 of 10 classes were never predicted" in finding.evidence.en


def test_a_class_that_is_most_of_the_data_being_predicted_most_is_not_collapse() -> None:
    skewed = balanced(10, 10)
    skewed[0][0] = 600  # class 0 is 87 % of the test set, and predicted for exactly those
    assert "collapse" not in names({"confusion": skewed})
    leaning = balanced(10, 100)
    for true_class in range(1, 4):  # class 0 predicted for 45 %: a lean, not a collapse
        leaning[true_class][true_class], leaning[true_class][0] = 0, 100
    leaning[4][4], leaning[4][0] = 50, 50
    assert "collapse" not in names({"confusion": leaning})


def test_every_model_finding_reads_right_in_korean() -> None:
    collapsed = [[0, 100, 0], [0, 100, 0], [0, 100, 0]]
    cases = [
        (FASHION, {"rescaled": {"scale": 255.0, "examples": 2000, "as_fed": 0.3, "rescaled": 0.8}}),
        (FASHION, {"output_activation": "sigmoid"}),
        (FASHION, {"output_activation": "relu"}),
        (REGRESSION, {"output_shape": [None, 1], "output_activation": "softmax"}),
        (FASHION, {"loss": {"name": "sparse_categorical_crossentropy", "from_logits": True}}),
        (FASHION, {"loss": {"name": "binary_crossentropy"}}),
        (FASHION, {"loss": {"name": "mse"}}),
        (
            REGRESSION,
            {"output_shape": [None, 1], "output_activation": "linear", "loss": {"name": "binary_crossentropy"}},
        ),
        (FASHION, {"confusion": collapsed}),
    ]
    for contract, measured in cases:
        (finding,) = diagnose_model(contract, {**MEASURED, **measured})
        for text in (finding.title, finding.evidence, finding.next_step, finding.concept):
            assert text.en and text.ko
            assert_particles_follow_the_word_before(text.ko)


FORECAST = find_exercise("exercise11").model  # MAE <= 5, the hidden tail in time order


def residual_names(contract, metric: float, **found) -> list[str]:
    measured = {"output_shape": [None, 1], "output_activation": "linear", "metric": metric, "residuals": found}
    return [f.name for f in diagnose_model(contract, measured)]


def test_a_regression_that_predicts_one_value_for_everything_is_named() -> None:
    (finding,) = diagnose_model(
        REGRESSION,
        {
            "output_activation": "linear",
            "metric": 0.01,
            "residuals": {"bias": 0.1, "target_sd": 9.0, "prediction_sd": 0.4},
        },
    )
    assert finding.name == "flat-predictions" and "spread 0.4 (standard deviation) where the true values spread 9" in (
        finding.evidence.en
    )
    assert residual_names(REGRESSION, 0.01, bias=0.1, target_sd=9.0, prediction_sd=2.0) == []  # spread enough


def test_a_forecast_that_falls_behind_the_trend_is_named_with_its_error_by_quarter() -> None:
    behind = {"bias": -4.0, "target_sd": 6.0, "prediction_sd": 5.5, "mae_by_quarter": [2.0, 3.5, 5.0, 7.5]}
    (finding,) = diagnose_model(FORECAST, {"output_activation": "linear", "metric": 5.9, "residuals": behind})
    assert finding.name == "biased-predictions"
    assert "lie 4 below the true values" in finding.evidence.en and "2 → 3.5 → 5 → 7.5" in finding.evidence.en
    assert "last input + a learned correction" in finding.next_step.en and "편향" in finding.concept.ko


@pytest.mark.parametrize(
    ("metric", "found"),
    [
        (4.2, {"bias": -4.0, "target_sd": 6.0, "prediction_sd": 5.5, "mae_by_quarter": [2, 3, 5, 8]}),  # met
        (5.5, {"bias": -1.0, "target_sd": 6.0, "prediction_sd": 5.5, "mae_by_quarter": [5.0, 5.4, 5.6, 6.0]}),  # even
        (5.5, {"bias": 0.0, "target_sd": 0.0, "prediction_sd": 0.0}),  # a constant target: nothing to compare
    ],
)
def test_errors_that_do_not_lean_or_grow_or_a_met_target_say_nothing(metric, found) -> None:
    assert residual_names(FORECAST, metric, **found) == []


def test_residual_findings_read_right_in_korean() -> None:
    cases = [
        {"bias": 3.0, "target_sd": 4.0, "prediction_sd": 3.0, "mae_by_quarter": [1.0, 2.0, 3.0, 4.0]},
        {"bias": -3.0, "target_sd": 4.0, "prediction_sd": 3.0},
        {"bias": 0.0, "target_sd": 4.0, "prediction_sd": 0.1},
    ]
    for found in cases:
        (finding,) = diagnose_model(FORECAST, {"output_activation": "linear", "metric": 9.0, "residuals": found})
        for text in (finding.title, finding.evidence, finding.next_step, finding.concept):
            assert_particles_follow_the_word_before(text.ko)


@pytest.mark.parametrize(
    "odd",
    [
        {"confusion": [[1, 2], [3]]},
        {"rescaled": {"as_fed": "x"}},
        {"loss": {"name": 5}},
        {"residuals": {"bias": None}},
        {"output_shape": 7},
    ],
)
def test_measurements_out_of_shape_skip_the_advice_and_never_fail_the_grading(odd) -> None:
    assert isinstance(diagnose_model(FASHION, {**MEASURED, **odd}), tuple)
    assert isinstance(diagnose_model(FORECAST, {**MEASURED, "metric": 9.0, **odd}), tuple)


# --- the common slips, right (issue 24, item 4) --------------------------------------------


def test_raw_pixels_are_named_from_the_range_fit_was_given_even_where_the_rescaled_probe_is_silent() -> None:
    from grader.check.coach import diagnose

    # A ReLU network's argmax barely changes with the input scale: the probe saw nothing, but fit()
    # was given 0-255 and the loss says confident and wrong. Training longer is not the advice.
    history = {"loss": [9.1, 3.2, 2.4], "val_loss": [7.2, 6.8, 6.1], "accuracy": [0.7, 0.77, 0.8],
               "val_accuracy": [0.74, 0.78, 0.79]}  # fmt: skip
    from_fit = diagnose(history, False, FASHION, [0.0, 255.0])
    assert [f.name for f in from_fit] == ["input-scale", "underfitting"]
    assert "fit() was given pixels from 0 to 255" in from_fit[0].evidence.en and "/ 255" in from_fit[0].next_step.en
    from_loss = diagnose(history, False, FASHION, None)  # a dataset, not an array: the loss tells
    assert from_loss[0].name == "input-scale" and "above the 2.30 that guessing gives" in from_loss[0].evidence.en
    from grader.grading.models import _findings

    told = _findings(from_fit, ())
    assert [f.name for f in told] == ["input-scale"]  # a cause named: no "train for more epochs"


def test_a_collapse_that_follows_from_the_input_scale_points_at_it() -> None:
    from grader.grading.models import _findings

    matrix = [[0] * 10 for _ in range(10)]
    for true in range(10):
        matrix[true][3] = 52
        matrix[true][6] = 46
        matrix[true][true] += 2
    found = diagnose_model(FASHION, {**MEASURED, "metric": 0.11, "confusion": matrix,
                                     "rescaled": {"as_fed": 0.11, "rescaled": 0.8, "examples": 2000}})  # fmt: skip
    assert [f.name for f in found] == ["input-scale", "collapse"]
    collapse = found[1]
    assert collapse.title.en.startswith("The model predicts almost only two classes")  # the numbers say two
    assert "class 3 for 52%" in collapse.evidence.en and "class 6 for 46%" in collapse.evidence.en
    told = _findings((), found)
    assert "fix that first" in told[1].next_step.en and "learning rate" not in told[1].next_step.en


def test_a_dense_only_model_short_of_its_target_with_nothing_else_found_is_told_to_use_a_cnn() -> None:
    from grader.check.coach_model import capacity

    dense = {**MEASURED, "metric": 0.846, "layers": ["Flatten", "Dense", "Dense"]}
    finding = capacity(FASHION, dense, met=False)
    assert finding is not None and "Conv2D" in finding.next_step.en and "0.8460" in finding.evidence.en
    assert capacity(FASHION, {**dense, "layers": ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]}, False) is None
    assert capacity(FASHION, dense, met=True) is None
    assert capacity(REGRESSION, {**dense, "metric": 0.5}, met=False) is None  # not images


def test_an_overfit_model_on_scaled_pixels_is_not_told_about_the_scale_and_other_fixes_stay_their_own() -> None:
    from grader.check.coach import diagnose
    from grader.grading.models import _findings

    overfit = {
        "loss": [1.0, 0.6, 0.4, 0.2, 0.1, 0.05],
        "val_loss": [1.0, 0.9, 1.4, 2.2, 3.0, 3.6],
        "accuracy": [0.6, 0.7, 0.8, 0.9, 0.95, 0.98],
        "val_accuracy": [0.6, 0.65, 0.68, 0.7, 0.7, 0.7],
    }
    assert [f.name for f in diagnose(overfit, False, FASHION, [0.0, 1.0])] == ["overfitting"]
    assert [f.name for f in diagnose(overfit, False, FASHION, None)] == ["overfitting"]  # high val_loss: overfit
    odd = {"loss": [1.0, 0.5], "val_loss": [0.9, None], "val_accuracy": [0.5, None]}
    assert diagnose(odd, False, FASHION, None) == ()  # a None in the record: no finding, no crash
    scale = diagnose({"loss": [9.0, 3.0]}, False, FASHION, [0.0, 255.0])
    sigmoid = diagnose_model(FASHION, {**MEASURED, "output_activation": "sigmoid"})
    told = _findings(scale, sigmoid)
    assert [f.name for f in told] == ["input-scale", "output-activation", "no-validation"]
    assert "Dense(10, activation='softmax')" in told[1].next_step.en  # its own fix, not the scale's


def test_a_task_that_passed_below_full_marks_still_counts_five_of_five() -> None:
    from grader.exam.template import Task

    task = Task("task1", "exercise10", 5)
    assert task.points_for(85, 100, passed=True) == 5  # an exercise whose pass_score is below its points
    assert task.points_for(99, 100, passed=False) == 4 and task.points_for(39, 100, passed=False) == 1
