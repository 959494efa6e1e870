"""The coach's rules on training histories built to sit on each side of every line."""

from __future__ import annotations

import io
import math

import pytest
from rich.console import Console

from grader.check.coach import diagnose
from grader.report import Finding, ModelSummary, Report
from grader.report.terminal import render_report
from grader.text import Text
from tests.grading.test_corpus import assert_particles_follow_the_word_before

FALLING = [1.0, 0.6, 0.4, 0.3, 0.2, 0.1]


def names(history: dict[str, list[float]], met: bool = False) -> list[str]:
    return [f.name for f in diagnose(history, met)]


def test_validation_loss_rising_past_its_best_while_training_loss_falls_is_overfitting() -> None:
    (finding,) = diagnose({"loss": FALLING, "val_loss": [0.9, 0.6, 0.5, 0.55, 0.6, 0.7]}, met=False)
    assert finding.name == "overfitting"
    assert "lowest at epoch 3 (0.5) and rose to 0.7 by epoch 6" in finding.evidence.en
    assert "EarlyStopping" in finding.next_step.en and "과적합" in finding.concept.ko


@pytest.mark.parametrize(
    "val_loss",
    [
        [0.9, 0.6, 0.5, 0.52, 0.53, 0.54],  # 8 % above its best: noise, not a trend
        [0.9, 0.6, 0.5, 0.4, 0.3, 0.2],  # still falling
    ],
)
def test_a_validation_loss_that_did_not_clearly_rise_is_not_called_overfitting(val_loss) -> None:
    assert "overfitting" not in names({"loss": FALLING, "val_loss": val_loss}, met=True)


def test_a_noisy_plateau_after_early_stopping_is_not_overfitting() -> None:
    # The shape the exercise11 reference drew once in CI: EarlyStopping(patience=20) ran 20 epochs past the
    # best, the validation loss wandered up by 14 % at the last one while the training loss was flat (-1 %).
    # restore_best_weights kept the best epoch's model; there is nothing to fix.
    val = [6.0] * 110 + [4.435] + [4.6, 4.5, 4.7, 4.55, 4.8, 4.6, 4.65, 4.7, 4.5, 4.9] * 2
    val[-1] = 5.067
    loss = [6.0] * 110 + [4.414] + [4.41 - 0.0025 * i for i in range(20)]
    loss[-1] = 4.362
    assert names({"loss": loss, "val_loss": val}, met=True) == []
    assert names({"loss": loss, "val_loss": val}, met=False) == []


def test_one_late_jump_in_validation_loss_is_not_a_trend() -> None:
    jump = {"loss": FALLING, "val_loss": [0.9, 0.6, 0.5, 0.49, 0.48, 0.7]}  # best at epoch 5, one epoch after
    assert "overfitting" not in names(jump, met=True)


def test_three_epochs_are_too_few_to_call_a_trend() -> None:
    assert names({"loss": [1.0, 0.5, 0.2], "val_loss": [0.5, 0.9, 1.5]}, met=True) == []


def test_a_wide_gap_between_training_and_validation_accuracy_is_overfitting_a_narrow_one_is_not() -> None:
    train = [0.7, 0.8, 0.9, 0.99]
    assert names({"loss": FALLING[:4], "accuracy": train, "val_accuracy": [0.7, 0.75, 0.8, 0.85]}, True) == [
        "overfitting"
    ]
    assert names({"loss": FALLING[:4], "accuracy": train, "val_accuracy": [0.7, 0.8, 0.88, 0.9]}, True) == []


def test_a_loss_that_became_nan_is_divergence_and_nothing_else_is_said() -> None:
    (finding,) = diagnose({"loss": [2.3, math.nan, math.nan]}, met=False)  # no validation either: not said
    assert finding.name == "diverged"
    assert "became nan at epoch 2" in finding.evidence.en
    assert "learning_rate" in finding.next_step.en


def test_a_finite_loss_that_exploded_is_divergence_a_large_honest_one_is_not() -> None:
    (finding,) = diagnose({"loss": [6.5e28, 2.8e26, 2.0e24], "val_loss": [1e27, 7.5e24, 5.6e22]}, met=False)
    assert finding.name == "diverged" and "reached 6.5e+28 at epoch 1" in finding.evidence.en
    assert names({"loss": [5e5, 9e4, 3e4, 2e4], "val_loss": [4e5, 8e4, 3e4, 2.5e4]}, met=True) == []


def test_a_loss_that_only_rose_is_divergence_one_that_fell_somewhere_is_not() -> None:
    assert names({"loss": [1.0, 1.5, 2.5, 4.0], "val_loss": [1.0, 1.5, 2.5, 4.0]}) == ["diverged"]
    assert "diverged" not in names({"loss": [1.0, 1.5, 1.2, 4.0], "val_loss": [1.0, 1.1, 1.2, 1.3]})


def test_training_without_validation_data_is_named_with_the_argument_to_add() -> None:
    (finding,) = diagnose({"loss": FALLING, "accuracy": [0.5, 0.6, 0.7, 0.8, 0.85, 0.9]}, met=True)
    assert finding.name == "no-validation"
    assert "validation_split=0.1" in finding.next_step.en and "validation_split=0.1" in finding.next_step.ko


def test_a_short_model_still_improving_at_its_last_epoch_is_told_to_train_longer() -> None:
    still = {"loss": [1.0, 0.8, 0.6, 0.5], "val_loss": [0.9, 0.7, 0.5, 0.4]}
    assert names(still, met=False) == ["underfitting"]
    assert names(still, met=True) == []  # it met the target: nothing to fix
    flat = {"loss": [1.0, 0.8, 0.6, 0.5], "val_loss": [0.9, 0.7, 0.5, 0.499]}
    assert names(flat, met=False) == []  # the last epoch barely moved: more epochs is not the answer


def test_a_run_that_met_the_target_on_its_own_validation_data_is_not_told_to_train_longer() -> None:
    from grader.exercise import find_exercise

    fashion = find_exercise("exercise10").model  # accuracy >= 0.9
    still = {"loss": [1.0, 0.8, 0.6, 0.5], "val_loss": [0.9, 0.7, 0.5, 0.4]}
    assert names({**still, "val_accuracy": [0.5, 0.7, 0.8, 0.99]}, met=False) == ["underfitting"]  # no contract
    assert diagnose({**still, "val_accuracy": [0.5, 0.7, 0.8, 0.99]}, False, fashion) == ()
    assert [f.name for f in diagnose({**still, "val_accuracy": [0.5, 0.6, 0.7, 0.8]}, False, fashion)] == [
        "underfitting"
    ]


def test_a_clean_run_and_an_empty_history_say_nothing() -> None:
    assert names({"loss": FALLING, "val_loss": [0.8, 0.5, 0.4, 0.35, 0.33, 0.33]}, met=True) == []
    assert names({}, met=False) == []


def test_every_finding_reads_right_in_korean() -> None:
    histories = [
        {"loss": FALLING, "val_loss": [0.9, 0.6, 0.5, 0.55, 0.6, 0.7]},
        {"loss": FALLING[:4], "accuracy": [0.7, 0.8, 0.9, 0.99], "val_accuracy": [0.7, 0.75, 0.8, 0.85]},
        {"loss": [2.3, math.nan]},
        {"loss": [1.0, 1.5, 2.5, 3.0]},
        {"loss": FALLING},
        {"loss": [1.0, 0.8, 0.6, 0.5], "val_loss": [0.9, 0.7, 0.5, 0.3]},
    ]
    found = [f for h in histories for f in diagnose(h, met=False)]
    assert len(found) == len(histories)
    for finding in found:
        for text in (finding.title, finding.evidence, finding.next_step, finding.concept):
            assert text.en and text.ko
            assert_particles_follow_the_word_before(text.ko)


def test_findings_travel_in_the_report_and_are_shown_in_both_languages() -> None:
    (finding,) = diagnose({"loss": FALLING, "val_loss": [0.9, 0.6, 0.5, 0.55, 0.6, 0.7]}, met=False)
    summary = ModelSummary("accuracy", 0.85, 0.9, 10.0, 6, {"loss": FALLING}, [], (finding,))
    report = Report(
        "exercise10", "fashion-mnist", Text("Fashion", "패션"), "m.py", "0" * 64, "0.1.0", "local", "failed",
        model=summary,
    )  # fmt: skip
    assert Report.from_json(report.to_json()).model.findings == (finding,)
    assert Finding.from_json(finding.to_json()) == finding
    shown = (("en", "The model overfits", "try: stop at the best epoch"), ("ko", "과적합입니다", "해 볼 것:"))
    for lang, title, step in shown:
        screen = io.StringIO()
        render_report(report, Console(file=screen, width=200, color_system=None), lang=lang)
        assert title in screen.getvalue() and step in screen.getvalue()
