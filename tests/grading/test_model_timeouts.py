"""A model training the time limit stops is graded as far as it got (`grader.grading.model_endings`):
the rules on records built by hand (no TensorFlow), then two trainings end to end (slow)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest

from grader.check.coach import out_of_time
from grader.exercise import find_exercise
from grader.grading.model_endings import as_far_as_it_got, short_of_full, time_ran_out
from grader.grading.training_record import read_epoch_record
from grader.report import CheckResult, Finding, ModelSummary
from grader.runner import Limits, SandboxRun
from grader.sandbox.protocol import EPOCH_MODEL_FILE, EPOCHS_FILE, EpochRecord
from grader.sandbox.wire import WireError
from grader.text import Text
from tests.conftest import SUBMISSIONS

MODELS = SUBMISSIONS / "models"
LIMITS = Limits(timeout_s=1200)
TIMED_OUT = SandboxRun(exit_code=None, signal="SIGKILL", timed_out=True, wall_s=1200.0, output="")
NEVER_ENDS = ("loop that never ends", "끝나지 않는 반복문")


def _record(**changes) -> EpochRecord:
    curves = {"loss": [0.6, 0.4, 0.35], "val_loss": [0.5, 0.42, 0.38], "val_accuracy": [0.85, 0.88, 0.9]}
    fields = {"fit": 0, "epochs_asked": 100, "epochs_done": 3, "seconds": 99.3, "history": curves, "model_epoch": 3}
    return EpochRecord(**{**fields, **changes})


def _write(out: Path, record: EpochRecord | None, model: bool = True) -> Path:
    out.mkdir(exist_ok=True)
    if record is not None:
        (out / EPOCHS_FILE).write_text(json.dumps(asdict(record)))
    if model:
        (out / EPOCH_MODEL_FILE).write_bytes(b"a model")
    return out


def _forged(**changes) -> str:
    return json.dumps({"fit": 0, "epochs_asked": 9, "epochs_done": 2, "seconds": 1.0, "history": {}, **changes})


def _said(text: Text) -> str:
    return text.en + "\n" + text.ko


def test_a_timed_out_fit_is_evaluated_on_its_latest_kept_epoch_with_its_curves(tmp_path) -> None:
    earlier = {"seconds": 4.0, "history": {"loss": [1.0]}, "x_range": None}  # a first fit that returned
    stop = time_ran_out(_write(tmp_path, _record(fit=1)), [earlier], TIMED_OUT, LIMITS)
    assert stop.ending is None and stop.record == _record(fit=1)
    assert [f["history"]["loss"] for f in stop.fits] == [[1.0], [0.6, 0.4, 0.35]]
    ended = time_ran_out(_write(tmp_path, _record(fit=0, ended=True)), [earlier], TIMED_OUT, LIMITS)
    assert ended.ending is None and len(ended.fits) == 1  # that fit is history.json's already


def test_no_fit_begun_keeps_the_old_message_and_a_fit_in_its_first_epoch_was_too_slow(tmp_path) -> None:
    assert time_ran_out(tmp_path, [], TIMED_OUT, LIMITS).ending[1].en.endswith("look for a loop that never ends.")
    first = time_ran_out(_write(tmp_path, _record(epochs_done=0, seconds=0.0, history={}, model_epoch=None)), [],
                         TIMED_OUT, LIMITS)  # fmt: skip
    verdict, message = first.ending
    assert verdict == "timeout" and "during the first epoch of training (100 asked)" in message.en
    assert "too slow for this limit, not stuck" in message.en and "첫 에포크 중에" in message.ko
    assert not any(words in _said(message) for words in NEVER_ENDS)
    uncopied = time_ran_out(_write(tmp_path / "big", _record(model_epoch=None), model=False), [], TIMED_OUT, LIMITS)
    assert "after 3 of 100 epochs (33.1 s per epoch). No copy of the model was kept" in uncopied.ending[1].en


@pytest.mark.parametrize(
    ("forged", "why"),
    [
        ('{"fit": 0, "epochs_done": 2}', "not the record of epochs"),
        (_forged(secret=1), "not the record of epochs"),
        (_forged(history={"loss": [1, 2, 3]}), "'history' is not"),
        (_forged(history={"loss": ["x"]}), "'history' is not"),
        (_forged(history={"x" * 101: []}), "'history' is not"),
        (_forged(seconds=float("nan")), "'seconds' is not a duration"),
        (_forged(model_epoch=7), "'model_epoch' is not"),
        (_forged(fit=True), "'fit' is not a count"),
        (_forged(epochs_asked=-1), "'epochs_asked' is not a count"),
        (_forged(ended="yes"), "'ended' is not"),
        (_forged(x_range=[0]), "'x_range' is not"),
        ("[]", "not the record of epochs"),
        ("{", "not valid JSON"),
    ],
)
def test_a_forged_epoch_record_is_named_never_a_grader_error(tmp_path, forged, why) -> None:
    (tmp_path / EPOCHS_FILE).write_text(forged)
    with pytest.raises(WireError, match=r"^epochs\.json") as named:
        read_epoch_record(tmp_path)
    assert why in str(named.value)
    verdict, message = time_ran_out(tmp_path, [], TIMED_OUT, LIMITS).ending
    assert verdict == "crashed" and "could not be read (epochs.json" in message.en and message.ko


def test_an_epoch_record_too_large_or_planted_as_a_link_is_never_read(tmp_path) -> None:
    with open(tmp_path / EPOCHS_FILE, "wb") as big:
        big.truncate(64 * 2**20)  # sparse: 64 MB that take no disk
    assert time_ran_out(tmp_path, [], TIMED_OUT, LIMITS).ending[0] == "crashed"
    os.unlink(tmp_path / EPOCHS_FILE)
    os.symlink("/etc/passwd", tmp_path / EPOCHS_FILE)
    verdict, message = time_ran_out(tmp_path, [], TIMED_OUT, LIMITS).ending
    assert verdict == "crashed" and "epochs.json: cannot open" in message.en


def _judged(status: str, points: float) -> tuple[CheckResult, ...]:
    return (
        CheckResult("loads", Text.same("loads"), 10.0, 10.0, "passed"),
        CheckResult("contract", Text.same("contract"), 10.0, 10.0, "passed"),
        CheckResult("metric", Text.same("metric"), points, 80.0, status, Text.same("accuracy 0.9012")),
    )


def test_a_timed_out_model_is_judged_but_never_keeps_the_full_score() -> None:
    exercise = find_exercise("exercise10")
    still = Finding("underfitting", Text.same("t"), Text.same("e"), Text.same("train for more epochs"), Text.same("c"))
    summary = ModelSummary("accuracy", 0.9012, 0.9, findings=(still,))
    judged = Text("accuracy 0.9012 on 600 hidden examples", "숨겨진 예제 600개에서 accuracy 0.9012")
    verdict, message, checks, shown = as_far_as_it_got(_record(), LIMITS, judged, _judged("passed", 80.0), summary)
    assert verdict == "timeout" and sum(c.points for c in checks) == 99 < exercise.points
    assert checks[2].status == "failed" and "met, but training ran out of time" in checks[2].message.en
    assert message.en.startswith(
        "The time limit of 1200 s ran out while training, after 3 of 100 epochs (33.1 s per epoch); the model as "
        "it stood after epoch 3 was evaluated: accuracy 0.9012 on 600 hidden examples"
    )
    assert "제한 시간 1200초를 넘겼습니다. 에포크 100개 중 3개를 마친 뒤였습니다" in message.ko
    assert "3번째 에포크 직후의 모델을 평가했습니다: 숨겨진 예제 600개에서 accuracy 0.9012" in message.ko
    assert [f.name for f in shown.findings] == ["out-of-time"]  # "train for more epochs" would contradict it
    # short of the target: the partial credit stands, so a better model never scores less
    assert short_of_full(_judged("failed", 60.5)) == _judged("failed", 60.5)


def test_the_coach_says_how_to_fit_the_limit_in_both_languages() -> None:
    found = out_of_time(35, 100, 1158.5, 1200, ended=False)
    assert "35 of 100 epochs in 1158 s (33.1 s each); all 100 would need about 3310 s" in found.evidence.en
    assert "에포크 100개 중 35개를 마쳤습니다 (에포크당 33.1초)" in found.evidence.ko
    for lang in ("en", "ko"):
        step = getattr(found.next_step, lang)
        assert "EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)" in step
        assert "--timeout" in step
    assert "fewer epochs (about 35 fit" in found.next_step.en and "에포크 수를 줄이고" in found.next_step.ko
    first = out_of_time(0, 100, 0.0, 1200, ended=False)
    assert "had not finished the first" in first.evidence.en and "GPU" in first.next_step.ko
    after = out_of_time(5, 5, 20.0, 1200, ended=True)
    assert "once fit() returns" in after.next_step.en and "fit()이 끝난 다음" in after.next_step.ko
    for finding in (found, first, after):
        assert not any(words in _said(finding.evidence) + _said(finding.next_step) for words in NEVER_ENDS)


# End to end: the sandbox keeps the epochs, the evaluator scores the copy. TensorFlow, ~1 min each.


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    pytest.importorskip("keras")
    from tests.synthetic import write_image_dataset

    root = tmp_path_factory.mktemp("model-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        write_image_dataset("fashion-mnist", root / "datasets", n_train=3000, n_test=600)
        yield root / "datasets"


@pytest.mark.slow
def test_a_training_stopped_by_the_time_limit_is_graded_on_its_latest_epoch(data_dir, tmp_path) -> None:
    from grader import api
    from grader.report.html import render_html
    from grader.report.terminal import console_for, render_report

    report = api.grade("exercise10", MODELS / "too_many_epochs.py", data_dir=data_dir, timeout_s=30)
    assert report.verdict == "timeout", report.message.en + report.output[-1500:]
    model = report.model
    assert model is not None and model.value is not None and model.value > 0.5  # measured on the hidden set
    assert model.epochs >= 1 and "val_loss" in model.history and model.training_s > 0
    done = model.epochs
    assert f"ran out while training, after {done} of 1000 epochs (" in report.message.en
    assert f"에포크 1000개 중 {done}개를 마친 뒤였습니다" in report.message.ko
    assert "was evaluated: accuracy" in report.message.en and "모델을 평가했습니다" in report.message.ko
    assert [c.status for c in report.checks][:2] == ["passed", "passed"] and report.score < 100
    assert model.findings[0].name == "out-of-time"
    for lang in ("en", "ko"):
        said = report.message(lang) + model.findings[0].next_step(lang)
        assert "EarlyStopping" in said and "--timeout" in said
        assert not any(words in said for words in NEVER_ENDS)
    console = console_for()
    with console.capture() as shown:
        render_report(report, console, lang="ko")
    assert f"{done} 에포크 학습" in shown.get() and "학습 시간이 모자랐습니다" in shown.get()
    page = render_html(report, lang="en")
    assert 'id="curves"' in page and "Training ran out of time" in page


@pytest.mark.slow
def test_an_epoch_record_swapped_for_a_link_is_a_named_verdict(data_dir) -> None:
    from grader import api

    report = api.grade("exercise10", MODELS / "forges_its_epochs.py", data_dir=data_dir, timeout_s=20)
    assert report.verdict == "crashed", report.message.en + report.output[-1500:]
    assert "could not be read (epochs.json: cannot open" in report.message.en and report.message.ko
