"""Grading a model exercise: train in the sandbox, evaluate in a trusted process, judge here.

    submission ─▶ Runner: grader.sandbox.training (public data only) ─▶ model.keras + history
               ─▶ grader.evaluator (trusted, safe_mode=True, hidden test set) ─▶ measurements
               ─▶ judge_model (this process, no TensorFlow) ─▶ checks ─▶ Report

The evaluator starts with the training, not after it: its TensorFlow start and the reading of
the hidden test set overlap the training, and it waits for the model (`Evaluation`).

A saved model (``.keras``, ``.h5``) skips training and goes straight to evaluation.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.check.coach import diagnose
from grader.check.coach_cert import cert_findings
from grader.check.coach_model import CAUSES, capacity, diagnose_model, symptom_of_the_cause
from grader.check.models import fed_note, judge_model
from grader.data import store
from grader.data.registry import get_dataset
from grader.evaluator.handle import Evaluation, ModelProblem, without_tf_noise
from grader.exercise import SAVED_MODEL_SUFFIXES, Exercise, ModelContract
from grader.grading.endings import ReportMaker, ended_early, import_failure, unreadable_record
from grader.grading.keras_route import KerasRoute, route_env, route_installed
from grader.grading.model_endings import WHILE_TRAINING, as_far_as_it_got, time_ran_out, with_time_finding
from grader.grading.training_record import read_training_record
from grader.report import Finding, ModelSummary, Report, Verdict
from grader.runner import Limits, Runner, SandboxJob
from grader.runner.jobs import make_model_job_dir, remove_job_dir
from grader.sandbox.protocol import EPOCH_MODEL_FILE, MODEL_FILE, EpochRecord, TrainedModel
from grader.sandbox.wire import WireError
from grader.text import Text, with_particle

if TYPE_CHECKING:
    from grader.grading import GradeRequest


def _no_model(found: TrainedModel | None, model_var: str) -> Text | None:
    """Why the sandbox produced no saved model, when it did not."""
    if found is None or found.origin == "nothing":
        return Text(
            f"Your file defines no solution_model() and leaves no global `{model_var}` "
            "(use --model-var NAME if your model has another name)",
            f"파일에 solution_model()도 없고 전역 변수 `{model_var}`도 없습니다 (이름이 다르면 --model-var NAME)",
        )
    if not found.is_keras:
        return Text(
            f"{found.origin} gave {found.type}, not a Keras model (did solution_model() forget `return model`?)",
            f"{with_particle(found.origin, '이/가')} Keras 모델이 아니라 "
            f"{with_particle(found.type, '을/를')} 주었습니다 "
            "(solution_model()에서 `return model`을 빠뜨렸나요?)",
        )
    if not found.saved:
        return Text(
            f"The model could not be saved as .keras ({found.save_error}); build it with Sequential or the "
            "functional API and built-in layers",
            f"모델을 .keras로 저장할 수 없습니다 ({found.save_error}); Sequential이나 함수형 API와 내장 층을 쓰세요",
        )
    return None


# The names a metric goes by in a fit's history, by the spelling a script chose: metrics=['acc']
# (Keras 2 courses) records acc/val_acc. One name each from here on, so the curves, the target
# line and the coach read every spelling alike.
METRIC_SPELLINGS = {
    "acc": "accuracy",
    "sparse_categorical_accuracy": "accuracy",
    "categorical_accuracy": "accuracy",
    "binary_accuracy": "accuracy",
    "mean_absolute_error": "mae",
    "r2_score": "r2",
}


def canonical_history(history: dict[str, list]) -> dict[str, list]:
    """``history`` with each metric under its one name (`METRIC_SPELLINGS`); a name already
    there keeps its own values."""
    named: dict[str, list] = {}
    for key, values in history.items():
        prefix, base = ("val_", key[4:]) if key.startswith("val_") else ("", key)
        canonical = prefix + METRIC_SPELLINGS.get(base, base)
        if canonical == key or canonical not in history:
            named.setdefault(canonical, values)
    return named


def _summary(
    contract: ModelContract, measured: dict[str, Any], fits: list[dict[str, Any]], runs: list[float] | None = None
) -> ModelSummary:
    history = canonical_history(fits[-1]["history"]) if fits else {}
    value = measured.get("metric")
    met = value is not None and contract.meets(float(value))
    return ModelSummary(
        metric=contract.metric,
        value=value,
        threshold=contract.threshold,
        training_s=sum(f["seconds"] for f in fits) if fits else None,
        epochs=sum(len(next(iter(f["history"].values()), [])) for f in fits) if fits else None,
        history=history,
        runs=runs or [],
        findings=_findings(
            diagnose(history, met, contract, fits[-1].get("x_range") if fits else None),
            (*diagnose_model(contract, measured), *cert_findings(contract, measured, history))
            if value is not None
            else (),
            capacity(contract, measured, met),
        ),
        confusion=_square_counts(measured.get("confusion")),
        class_names=list(get_dataset(contract.dataset).class_names),
    )


def _square_counts(matrix: Any) -> list[list[int]]:
    """The evaluator's confusion matrix, or nothing where it is not a square table of counts."""
    if not isinstance(matrix, list) or not all(isinstance(row, list) and len(row) == len(matrix) for row in matrix):
        return []
    if not all(type(n) is int and n >= 0 for row in matrix for n in row):
        return []
    return matrix


def _findings(
    from_history: tuple[Finding, ...], from_model: tuple[Finding, ...], short_of_capacity: Finding | None = None
) -> tuple[Finding, ...]:
    """A diverged run first (nothing else in it means much), then what the model shows, then the
    curves, each finding once (the model's word first). Where a cause is named (the input scale),
    what follows from it says so instead of its own generic tips, and training longer is not
    advised; a model short of its target with nothing else found gets the capacity advice."""
    diverged = tuple(f for f in from_history if f.name == "diverged")
    ordered = diverged + from_model + tuple(f for f in from_history if f.name != "diverged")
    found: list[Finding] = []
    for finding in ordered:
        if finding.name not in {f.name for f in found}:
            found.append(finding)
    cause = next((f for f in found if f.name in CAUSES), None)
    if cause is not None:  # the cause first (after a divergence), then what follows
        found = [symptom_of_the_cause(f, cause) for f in found if f.name != "underfitting"]
        found.sort(key=lambda f: (f.name != "diverged", f.name not in CAUSES))
    if not found and short_of_capacity is not None:
        found.append(short_of_capacity)
    return tuple(found)


_LEGACY_H5 = re.compile(r"^WARNING:absl:You are saving your model as an HDF5 file via .*\n?", re.MULTILINE)

IN_CONTAINER = Text(
    "hidden test data: never mounted into the training container (only the evaluator's)",
    "숨겨진 테스트 데이터: 학습 컨테이너에는 마운트되지 않음 (평가 컨테이너에만)",
)
HIDDEN = Text(
    "hidden test data: not in your sandbox (only the evaluator's, read-only)",
    "숨겨진 테스트 데이터: 샌드박스에 없음 (평가기에만 읽기 전용으로)",
)
NOT_HIDDEN = Text(
    "hidden test data: this machine could not sandbox your code, so the data dir was readable to it "
    "(see `grade doctor`); the docker runner guarantees it",
    "숨겨진 테스트 데이터: 이 컴퓨터에서는 코드를 샌드박스에 넣을 수 없어 데이터 폴더를 읽을 수 있었습니다 "
    "(`grade doctor` 참고); docker 실행 환경은 이를 보장합니다",
)


@dataclass
class Training:
    """One of ``--repeats`` trainings and its evaluation; ``ended`` is set when it stopped before a model existed."""

    measured: dict[str, Any] = field(default_factory=dict)
    fits: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""
    note: Text | None = None
    memory_note: Text | None = None
    isolation_note: Text | None = None
    ended: tuple[Verdict, Text] | None = None
    stopped: EpochRecord | None = None  # the time limit stopped it: its fit under way, as far as it got
    error: dict[str, Any] | None = None  # what the file's code raised, as the sandbox described it


def _train_and_measure(
    exercise: Exercise,
    request: GradeRequest,
    *,
    runner: Runner,
    limits: Limits,
    data_dir: Path,
    public_home: Path | None,
    source: str | None,
    timings: dict[str, float],
    keras: int = 3,
) -> Training:
    submission, model_var, on_output = request.submission, request.model_var, request.on_output
    contract = exercise.model
    assert contract is not None
    result = Training()
    root: Path | None = None
    trains = public_home is not None
    evaluation = Evaluation(
        contract,
        data_dir,
        runner,
        limits,
        model_suffix=".keras" if trains else submission.suffix,
        waits_s=limits.timeout_s + 60 if trains else 0,  # the training's limit, and its start and end
        env=route_env(keras),  # the Keras that trained the model reads it
    )
    try:
        if public_home is None:  # a saved model: nothing to train
            model_file = submission
        else:
            root = make_model_job_dir(submission, model_var, source)
            keras_home = store.job_keras_home(public_home, root)
            job = SandboxJob(
                dir=root,
                limits=limits,
                module="grader.sandbox.training",
                env={
                    "KERAS_HOME": f"{{job}}/{keras_home.relative_to(root).as_posix()}",
                    "KERAS_BACKEND": "tensorflow",
                    **route_env(keras),
                },
                hide=(data_dir,),
                on_output=(lambda chunk: on_output(without_tf_noise(chunk))) if on_output else None,
            )
            run = runner.run(job)
            timings["sandbox_s"] = timings.get("sandbox_s", 0.0) + run.wall_s
            result.output = without_tf_noise(run.output)
            result.note = (IN_CONTAINER if runner.name == "docker" else HIDDEN) if run.hidden else NOT_HIDDEN
            if run.memory_limit is not None:
                result.memory_note = Text("memory limit: ", "메모리 한도: ") + run.memory_limit
            result.isolation_note = run.isolation_note
            out = root / "out"
            try:
                status, result.fits = read_training_record(out)
            except WireError as exc:  # out/ was the submission's to write: its record is not the child's
                result.ended = unreadable_record(str(exc))
                return result
            if run.oom_killed:  # a process of its tree was killed for memory: the model is not sure
                result.ended = ended_early(run, limits, WHILE_TRAINING)
                return result
            if status.error is not None:
                result.error = status.error
                verdict, message = import_failure(status.error, limits)
                if status.phase == "model":
                    message = Text(
                        "solution_model() raised an error:\n", "solution_model()에서 오류가 발생했습니다:\n"
                    ) + Text.same(str(status.error.get("traceback", "")))
                result.ended = (verdict, message)
                return result
            if run.timed_out:  # graded on its latest kept epoch, where one was kept
                stop = time_ran_out(out, result.fits, run, limits)
                result.fits, result.stopped, result.ended = stop.fits, stop.record, stop.ending
                if result.ended is not None:
                    return result
                model_file = out / EPOCH_MODEL_FILE
            else:
                if not status.finished:
                    result.ended = ended_early(run, limits, WHILE_TRAINING)
                    return result
                missing = _no_model(status.model, model_var)
                if missing is not None:
                    result.ended = ("contract-error", missing)
                    return result
                model_file = out / MODEL_FILE
        t1 = time.perf_counter()
        try:
            result.measured = evaluation.score(model_file)
        except ModelProblem as problem:
            result.ended = (problem.verdict, problem.message)
            return result
        timings["evaluate_s"] = timings.get("evaluate_s", 0.0) + time.perf_counter() - t1
        timings.update(
            {
                f"evaluate_{k}": float(result.measured[k])
                for k in ("load_s", "predict_s", "diagnose_s")
                if k in result.measured
            }
        )
    finally:
        evaluation.cancel()  # training ended without a model (or the grading itself failed)
        if root is not None and not request.keep_dir:
            remove_job_dir(root)
    return result


def _mean_and_sd(values: list[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    return mean, (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5


def grade_model(
    exercise: Exercise,
    request: GradeRequest,
    *,
    runner: Runner,
    limits: Limits,
    data_dir: Path,
    source: str | None,
    report: ReportMaker,
) -> Report:
    """Train and evaluate ``request.repeats`` times; with several runs the score uses the mean metric."""
    submission, repeats = request.submission, request.repeats
    contract = exercise.model
    assert contract is not None
    dataset = get_dataset(contract.dataset)
    state = store.require(dataset, data_dir)
    notes: list[Text] = []
    if state.substitutes:
        files = ", ".join(state.substitutes)
        notes.append(
            Text(
                f"dataset files differ from the official ones (a substitute?): {files}",
                f"데이터셋 파일이 공식 파일과 다릅니다 (대체 파일?): {files}",
            )
        )
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    public_home = None
    if submission.suffix not in SAVED_MODEL_SUFFIXES:
        public_home = store.public_copy(dataset, data_dir)
        timings["public_data_s"] = time.perf_counter() - t0
    else:
        repeats = 1  # a saved model gives the same answer every time
    trainings: list[Training] = []
    route = KerasRoute(request.keras, route_installed(runner.name))  # Keras 3, or the Keras 2 route (tf-keras)
    for _ in range(repeats):
        current = route.train(
            lambda keras: _train_and_measure(
                exercise,
                request,
                runner=runner,
                limits=limits,
                data_dir=data_dir,
                public_home=public_home,
                source=source,
                timings=timings,
                keras=keras,
            )
        )
        trainings.append(current)
        if current.ended is not None or current.stopped is not None or current.measured.get("metric") is None:
            break  # an early end, a broken contract or NaN: more runs would not change the verdict
    last = trainings[-1]
    said = (note for r in trainings for note in (r.note, r.memory_note, r.isolation_note) if note is not None)
    notes.extend(dict.fromkeys([*route.notes, *said]))  # each once, in order
    if _LEGACY_H5.search(last.output):  # Keras' absl warning, said as the report says things
        last.output = _LEGACY_H5.sub("", last.output)
        notes.append(
            Text(
                "your file saves the model as .h5, the format Keras 3 keeps for old files: model.save('model.keras') "
                "is the current one (the grader reads both)",
                "파일이 모델을 .h5로 저장합니다. Keras 3에서는 예전 파일용 형식입니다: model.save('model.keras')가 "
                "지금 형식입니다 (채점기는 둘 다 읽습니다)",
            )
        )
    fits = last.fits
    if last.ended is not None:
        verdict, message = last.ended
        timings["total_s"] = time.perf_counter() - t0
        summary = _summary(contract, {}, fits) if verdict == "timeout" else None
        if summary is not None and last.stopped is not None:
            summary = with_time_finding(summary, last.stopped, limits)
        return report(verdict, message, output=last.output, timings=timings, notes=tuple(notes), model=summary)

    measured = dict(last.measured)
    runs = [float(r.measured["metric"]) for r in trainings if r.measured.get("metric") is not None]
    if len(trainings) > 1 and len(runs) == len(trainings):
        measured["metric"] = _mean_and_sd(runs)[0]
    verdict, message, checks = judge_model(exercise, measured)
    notes.extend(note for note in (fed_note(contract, measured),) if note is not None)
    if len(runs) > 1:
        mean, sd = _mean_and_sd(runs)
        shown = ", ".join(f"{v:.4f}" for v in runs)
        message = message + Text(
            f" — mean of {len(runs)} runs {mean:.4f} ± {sd:.4f} ({shown})",
            f" — {len(runs)}회 평균 {mean:.4f} ± {sd:.4f} ({shown})",
        )
    timings["total_s"] = time.perf_counter() - t0
    summary = _summary(contract, measured, fits, runs)
    if last.stopped is not None:
        verdict, message, checks, summary = as_far_as_it_got(last.stopped, limits, message, checks, summary)
    return report(verdict, message, checks, output=last.output, timings=timings, notes=tuple(notes), model=summary)
