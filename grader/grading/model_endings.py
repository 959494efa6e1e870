"""A model training the time limit stopped, graded as far as it got.

The child keeps the fit under way as it stood after each epoch (`grader.sandbox.epochs`). When the
limit stops the run, the trusted evaluator scores that copy like any saved model (``safe_mode=True``,
no submission code in its process), the checks are judged and shown, and the report says how far
training got. The verdict stays ``timeout`` and the score is never the full one
(`short_of_full`): the learner sees what the model reached, and a run over the limit never counts
as passing. Where no epoch finished, the message says the training was too slow for the limit,
not that a loop never ends.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.check.coach import out_of_time
from grader.grading.endings import ended_early, unreadable_record
from grader.grading.training_record import read_epoch_record
from grader.report import CheckResult, ModelSummary, Verdict
from grader.runner import Limits, SandboxRun
from grader.sandbox.protocol import EPOCH_MODEL_FILE, EpochRecord
from grader.sandbox.wire import WireError
from grader.text import Text

WHILE_TRAINING = Text(" while training", " (학습 중)")


@dataclass(frozen=True)
class TimeRanOut:
    """What a training the time limit stopped left: the record of its fit under way (None: no fit
    began), every fit's curves with that one's so far, and the ending where there is no model
    to evaluate (None: evaluate `EPOCH_MODEL_FILE`)."""

    record: EpochRecord | None
    fits: list[dict[str, Any]]
    ending: tuple[Verdict, Text] | None


def time_ran_out(out: Path, fits: list[dict[str, Any]], run: SandboxRun, limits: Limits) -> TimeRanOut:
    """How far a training stopped by the time limit got, from the child's ``out/`` (hostile
    input: a record not in the child's shape is `unreadable_record`'s verdict)."""
    try:
        record = read_epoch_record(out)
    except WireError as exc:
        return TimeRanOut(None, fits, unreadable_record(str(exc)))
    if record is None:  # no fit began: the time went elsewhere
        return TimeRanOut(None, fits, ended_early(run, limits, WHILE_TRAINING))
    if record.fit >= len(fits):  # under way when it stopped, or ended just before history.json was written
        fits = [*fits, {"seconds": record.seconds, "history": record.history, "x_range": record.x_range}]
    if record.model_epoch is None or not os.path.lexists(out / EPOCH_MODEL_FILE):
        return TimeRanOut(record, fits, ("timeout", _nothing_evaluated(record, limits)))
    return TimeRanOut(record, fits, None)


def as_far_as_it_got(
    record: EpochRecord, limits: Limits, judged: Text, checks: tuple[CheckResult, ...], summary: ModelSummary
) -> tuple[Verdict, Text, tuple[CheckResult, ...], ModelSummary]:
    """The verdict, message, checks and summary of a stopped training whose latest kept epoch was
    evaluated; ``judged`` is what `judge_model` said of that model."""
    message = (
        _how_far(record, limits)
        + Text(
            f"; the model as it stood after epoch {record.model_epoch} was evaluated: ",
            f"; {record.model_epoch}번째 에포크 직후의 모델을 평가했습니다: ",
        )
        + judged
        + Text(
            "\nA run over the time limit does not pass and never keeps the full score: the checks show what this "
            "model earned.",
            "\n제한 시간을 넘긴 실행은 합격하지 않으며 만점도 받지 않습니다: 이 모델이 받은 점수는 검사 결과에 "
            "있습니다.",
        )
    )
    return "timeout", message, short_of_full(checks), with_time_finding(summary, record, limits)


def short_of_full(checks: tuple[CheckResult, ...]) -> tuple[CheckResult, ...]:
    """A timed-out model's checks as judged, except that a metric which met its target gives up one
    point: the score shows how far the model got and is never the full one. (The function
    exercises' `limit_keeps_no_full_score` takes all of the last check's points; here that check
    is 80 of 100, and a model that met its target would score below one just short of it.)"""
    return tuple(
        replace(
            check,
            points=max(0.0, min(check.points, check.max_points - 1)),
            status="failed",
            message=check.message
            + Text(
                " — met, but training ran out of time: a timed-out run keeps one point less than the full score",
                " — 목표에 닿았지만 학습 시간이 초과되었습니다: 시간을 넘긴 실행은 만점에서 1점이 빠집니다",
            ),
        )
        if check.name == "metric" and check.status == "passed"
        else check
        for check in checks
    )


def with_time_finding(summary: ModelSummary, record: EpochRecord, limits: Limits) -> ModelSummary:
    """The coach's findings with how training ran out of time (after a divergence, which matters
    more); without "train for more epochs", which a stopped run's curves suggest."""
    found = out_of_time(record.epochs_done, record.epochs_asked, record.seconds, limits.timeout_s, record.ended)
    kept = [f for f in summary.findings if f.name != "underfitting"]
    diverged = [f for f in kept if f.name == "diverged"]
    return replace(summary, findings=(*diverged, found, *(f for f in kept if f.name != "diverged")))


def _how_far(record: EpochRecord, limits: Limits) -> Text:
    done, asked, limit = record.epochs_done, record.epochs_asked, f"{limits.timeout_s:g}"
    pace = f"{record.seconds / done:.1f}" if done else "?"
    of, of_ko = (f" of {asked}", f"{asked}개 중 ") if asked is not None else ("", "")
    if record.ended:
        return Text(
            f"The time limit of {limit} s ran out after training had finished ({done}{of} epochs, {pace} s per "
            "epoch), while the rest of your file ran",
            f"학습을 마친 뒤(에포크 {of_ko}{done}개, 에포크당 {pace}초) 파일의 나머지 코드가 실행되는 동안 "
            f"제한 시간 {limit}초를 넘겼습니다",
        )
    return Text(
        f"The time limit of {limit} s ran out while training, after {done}{of} epochs ({pace} s per epoch)",
        f"학습 중에 제한 시간 {limit}초를 넘겼습니다. 에포크 {of_ko}{done}개를 마친 뒤였습니다 (에포크당 {pace}초)",
    )


def _nothing_evaluated(record: EpochRecord, limits: Limits) -> Text:
    if record.epochs_done == 0 and not record.ended:
        asked = record.epochs_asked
        return Text(
            f"The time limit of {limits.timeout_s:g} s ran out during the first epoch of training"
            f"{f' ({asked} asked)' if asked is not None else ''}: the training was too slow for this limit, not "
            "stuck. No epoch finished, so there is no model to evaluate.",
            f"학습의 첫 에포크 중에 제한 시간 {limits.timeout_s:g}초를 넘겼습니다"
            f"{f' (에포크 {asked}개 요청)' if asked is not None else ''}: 멈춘 것이 아니라 이 한도에 비해 학습이 "
            "너무 느렸습니다. 끝난 에포크가 없어 평가할 모델이 없습니다.",
        )
    return _how_far(record, limits) + Text(
        ". No copy of the model was kept (a model this large is not copied each epoch, or it could not be saved), "
        "so nothing was evaluated.",
        ". 모델 사본이 없어 (이렇게 큰 모델은 에포크마다 복사하지 않거나, 저장할 수 없었습니다) 아무것도 "
        "평가하지 못했습니다.",
    )
