"""Grading a model exercise: train in the sandbox, evaluate in a trusted process, judge here.

    submission ─▶ Runner: grader.sandbox.training (public data only) ─▶ model.keras + history
               ─▶ grader.evaluate (trusted, safe_mode=True, hidden test set) ─▶ measurements
               ─▶ judge_model (this process, no TensorFlow) ─▶ checks ─▶ Outcome

The evaluator starts with the training, not after it: its TensorFlow start and the reading of
the hidden test set overlap the training, and it waits for the model (`Evaluation`).

A saved model (``.keras``, ``.h5``) skips training and goes straight to evaluation.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.data import store
from grader.data.registry import get_dataset
from grader.evaluate import CANCEL_FILE, HIDDEN_DATA_ENV, PHASE_FILE
from grader.exercise import Exercise, ModelContract
from grader.job import JOB_PREFIX, make_model_job_dir, new_job_root, remove_job_dir
from grader.model_judge import judge_model
from grader.outcome import Outcome, ended_early, import_failure, unreadable_record
from grader.report import ModelSummary, Verdict
from grader.runners import Limits, Runner, SandboxJob, SandboxRun
from grader.sandbox import wire
from grader.sandbox.wire import WireError
from grader.text import Text, with_particle

SAVED_MODEL_SUFFIXES = (".keras", ".h5")
MODEL_FILE_LIMIT = 2 * 2**30
EVALUATE_TIMEOUT_S = 900


# TensorFlow's start-up chatter, printed before its log level applies; nothing a learner needs.
_TF_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|I0000 \d+:\d+:\d+\.\d+ +\d+ (port|cpu_feature_guard)\.cc:\d+\] .*"
    r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)\n?",
    re.MULTILINE,
)


def without_tf_noise(text: str) -> str:
    return _TF_NOISE.sub("", text)


class EvaluatorFailed(RuntimeError):
    """The trusted evaluator itself broke: a grader error, never the learner's."""


class ModelProblem(Exception):
    """Evaluation ended on the submission's model (too large, unreadable, or the evaluator was
    stopped while loading it or predicting with it): a verdict, not a grader error."""

    def __init__(self, verdict: Verdict, message: Text) -> None:
        super().__init__(message.en)
        self.verdict, self.message = verdict, message


def model_too_large(size_bytes: int) -> Text:
    size, limit = f"{size_bytes / 2**20:.0f} MB", f"{MODEL_FILE_LIMIT / 2**20:.0f} MB"
    return Text(
        f"The saved model is {size}, over the {limit} a model may take. The models these exercises ask for "
        "need a few MB: look for a huge Dense layer or an Embedding far wider than the vocabulary",
        f"저장된 모델이 {size}로 한도 {limit}를 넘습니다. 이 문제들에 필요한 모델은 몇 MB면 충분합니다: "
        "아주 큰 Dense 층이나 어휘보다 훨씬 넓은 Embedding이 있는지 보세요",
    )


def read_model_file(model_file: Path) -> bytes:
    """The saved model's bytes, or a `ModelProblem` naming why they cannot be had."""
    try:
        return wire.read_plain_file(model_file, MODEL_FILE_LIMIT)
    except wire.TooLarge as exc:
        raise ModelProblem("contract-error", model_too_large(exc.size)) from None
    except WireError as exc:
        raise ModelProblem(*unreadable_record(str(exc))) from None


def _evaluation_stopped(done: SandboxRun, phase: str, limits: Limits) -> ModelProblem:
    """The evaluator was stopped while it loaded or ran the submission's model."""
    doing = (
        Text("loading your model", "모델을 불러오는 중")
        if phase == "loading"
        else Text("predicting the hidden test set with your model", "모델로 숨겨진 테스트 세트를 예측하는 중")
    )
    tail = without_tf_noise(done.output)[-1500:].strip()
    if done.oom_killed or any(s in tail for s in ("MemoryError", "ResourceExhaustedError", "OOM when allocating")):
        held = done.memory_limit or Text(f"{limits.memory_mb} MB", f"{limits.memory_mb} MB")
        return ModelProblem(
            "memory-exceeded",
            Text("Evaluation ran out of memory (", "평가 중 메모리가 부족했습니다 (")
            + held
            + Text(") while ", ") — ")
            + doing
            + Text(
                ". Look for a layer whose output is huge (a very wide Dense, RepeatVector, UpSampling).",
                ". 출력이 아주 큰 층이 있는지 보세요 (아주 넓은 Dense, RepeatVector, UpSampling).",
            ),
        )
    if done.timed_out:
        return ModelProblem(
            "timeout",
            Text(
                f"Evaluation took longer than {EVALUATE_TIMEOUT_S} s while ",
                f"평가가 {EVALUATE_TIMEOUT_S}초를 넘겼습니다 — ",
            )
            + doing
            + Text(
                ". The model is far slower than these exercises need.",
                ". 이 문제에 필요한 것보다 훨씬 느린 모델입니다.",
            ),
        )
    how = f"signal {done.signal}" if done.signal else f"exit code {done.exit_code}"
    return ModelProblem(
        "crashed",
        Text(f"The evaluator stopped ({how}) while ", f"평가기가 멈췄습니다 ({how}) — ")
        + doing
        + Text(
            f". A model config of unusual size or depth can do this.\n{tail}",
            f". 크기나 깊이가 유별난 모델 설정이 이런 일을 일으킬 수 있습니다.\n{tail}",
        ),
    )


def _no_model(status: dict[str, Any], model_var: str) -> Text | None:
    """Why the sandbox produced no saved model, when it did not."""
    info = status.get("model", {})
    if info.get("origin") == "nothing":
        return Text(
            f"Your file defines no solution_model() and leaves no global `{model_var}` "
            "(use --model-var NAME if your model has another name)",
            f"파일에 solution_model()도 없고 전역 변수 `{model_var}`도 없습니다 (이름이 다르면 --model-var NAME)",
        )
    if not info.get("is_keras"):
        return Text(
            f"{info.get('origin')} gave {info.get('type')}, not a Keras model "
            "(did solution_model() forget `return model`?)",
            f"{with_particle(info.get('origin'), '이/가')} Keras 모델이 아니라 "
            f"{with_particle(info.get('type'), '을/를')} 주었습니다 "
            "(solution_model()에서 `return model`을 빠뜨렸나요?)",
        )
    if not info.get("saved"):
        return Text(
            f"The model could not be saved as .keras ({info.get('save_error')}); build it with Sequential or the "
            "functional API and built-in layers",
            f"모델을 .keras로 저장할 수 없습니다 ({info.get('save_error')}); "
            "Sequential이나 함수형 API와 내장 층을 쓰세요",
        )
    return None


class Evaluation:
    """The trusted evaluator, started before training so that TensorFlow's start and the hidden
    data's reading overlap it (in a fresh process where no submission code ever runs: a child
    locally, a container with the hidden data mounted read-only under docker). ``score`` hands
    it the model and waits for the measurements; ``cancel`` ends it when no model came."""

    def __init__(
        self,
        contract: ModelContract,
        data_dir: Path,
        runner: Runner,
        limits: Limits,
        *,
        model_suffix: str,
        waits_s: float,
    ) -> None:
        self.dir = new_job_root(JOB_PREFIX + "eval-")
        self.model_name = "model" + model_suffix
        self.ended = False
        try:
            for name in ("in", "out", "submission"):
                (self.dir / name).mkdir()
            request = {
                "model": f"in/{self.model_name}",
                "dataset": contract.dataset,
                "input": contract.input,
                "metric": contract.metric,
                "text": contract.text.__dict__ if contract.text else None,
                "window": contract.window,
            }
            (self.dir / "in" / "eval.json").write_text(json.dumps(request), encoding="utf-8")
            self.job = SandboxJob(
                dir=self.dir,
                limits=Limits(
                    timeout_s=EVALUATE_TIMEOUT_S + waits_s,  # its clock runs while the model trains
                    memory_mb=max(limits.memory_mb, 4096),
                    max_processes=limits.max_processes,
                    threads=limits.threads,
                ),
                module="grader.evaluate",
                env={"KERAS_BACKEND": "tensorflow", HIDDEN_DATA_ENV: "{data}"},
                mounts={"data": data_dir},
                trusted=True,
            )
            self.running = runner.start(self.job)
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    def score(self, model_file: Path) -> dict[str, Any]:
        """The measurements of ``model_file``, or a `ModelProblem` / `EvaluatorFailed`."""
        try:
            staged = self.dir / "in" / f".{self.model_name}.part"
            staged.write_bytes(read_model_file(model_file))
            os.replace(staged, self.dir / "in" / self.model_name)  # it appears whole
        except BaseException:
            self.cancel()
            raise
        try:
            done = self.running.wait()
            self.ended = True
            out = self.dir / "out" / "eval.json"
            if done.exit_code == 0 and out.exists():
                return wire.read_json(out)
            phase_file = self.dir / "out" / PHASE_FILE
            if phase_file.exists():  # it was at work on the model (no submission code runs there)
                raise _evaluation_stopped(done, phase_file.read_text(encoding="utf-8"), self.job.limits)
            how = f"signal {done.signal}" if done.signal else f"exit code {done.exit_code}"
            raise EvaluatorFailed(f"the evaluator ended with {how} before it read the model: {done.output[-3000:]}")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def cancel(self) -> None:
        """No model will come: end the evaluator now and remove its folder."""
        if self.ended:
            return
        self.ended = True
        try:
            (self.dir / "in" / CANCEL_FILE).touch()
            self.running.wait()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def read_training_record(out: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``status.json`` and ``history.json`` from a training job, in the shapes the child writes,
    or a `WireError` saying what is off (a link, too large, the wrong shape)."""
    status: Any = wire.read_json(out / "status.json") if os.path.lexists(out / "status.json") else {}
    fits: Any = wire.read_json(out / "history.json") if os.path.lexists(out / "history.json") else []
    if not isinstance(status, dict) or not all(isinstance(status.get(k, {}), dict) for k in ("error", "model")):
        raise WireError("status.json is not in the shape the sandbox writes")
    if not isinstance(fits, list) or not all(_is_fit(f) for f in fits):
        raise WireError("history.json is not in the shape the sandbox writes")
    return status, fits


def _is_fit(fit: Any) -> bool:
    """One ``fit()`` as the child records it: seconds, and each metric's values per epoch."""
    if not isinstance(fit, dict) or not isinstance(fit.get("seconds"), (int, float)):
        return False
    history = fit.get("history")
    return isinstance(history, dict) and all(
        isinstance(values, list) and all(isinstance(v, (int, float)) or v is None for v in values)
        for values in history.values()
    )


def _summary(
    contract: ModelContract, measured: dict[str, Any], fits: list[dict[str, Any]], runs: list[float] | None = None
) -> ModelSummary:
    history = fits[-1]["history"] if fits else {}
    return ModelSummary(
        metric=contract.metric,
        value=measured.get("metric"),
        threshold=contract.threshold,
        training_s=sum(f["seconds"] for f in fits) if fits else None,
        epochs=sum(len(next(iter(f["history"].values()), [])) for f in fits) if fits else None,
        history=history,
        runs=runs or [],
    )


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
class Round:
    """One training run and its evaluation; ``ended`` is set when it stopped before a model existed."""

    measured: dict[str, Any] = field(default_factory=dict)
    fits: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""
    note: Text | None = None
    memory_note: Text | None = None
    isolation_note: Text | None = None
    ended: tuple[Verdict, Text] | None = None


def _train_and_measure(
    exercise: Exercise,
    submission: Path,
    *,
    runner: Runner,
    limits: Limits,
    data_dir: Path,
    public_home: Path | None,
    model_var: str,
    source: str | None,
    on_output: Callable[[str], None] | None,
    keep_dir: bool,
    timings: dict[str, float],
) -> Round:
    contract = exercise.model
    assert contract is not None
    result = Round()
    root: Path | None = None
    trains = public_home is not None
    evaluation = Evaluation(
        contract,
        data_dir,
        runner,
        limits,
        model_suffix=".keras" if trains else submission.suffix,
        waits_s=limits.timeout_s + 60 if trains else 0,  # the training's limit, and its start and end
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
                env={"KERAS_HOME": f"{{job}}/{keras_home.relative_to(root).as_posix()}", "KERAS_BACKEND": "tensorflow"},
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
                result.ended = ended_early(run, limits, Text(" while training", " (학습 중)"))
                return result
            if "error" in status:
                verdict, message = import_failure(status["error"], limits)
                if status.get("phase") == "model":
                    message = Text(
                        "solution_model() raised an error:\n", "solution_model()에서 오류가 발생했습니다:\n"
                    ) + Text.same(status["error"].get("traceback", ""))
                result.ended = (verdict, message)
                return result
            if run.timed_out or status.get("phase") != "done":
                result.ended = ended_early(run, limits, Text(" while training", " (학습 중)"))
                return result
            missing = _no_model(status, model_var)
            if missing is not None:
                result.ended = ("contract-error", missing)
                return result
            model_file = out / "model.keras"
        t1 = time.perf_counter()
        try:
            result.measured = evaluation.score(model_file)
        except ModelProblem as problem:
            result.ended = (problem.verdict, problem.message)
            return result
        timings["evaluate_s"] = timings.get("evaluate_s", 0.0) + time.perf_counter() - t1
        timings.update(
            {f"evaluate_{k}": float(result.measured[k]) for k in ("load_s", "predict_s") if k in result.measured}
        )
    finally:
        evaluation.cancel()  # training ended without a model (or the grading itself failed)
        if root is not None and not keep_dir:
            remove_job_dir(root)
    return result


def _mean_and_sd(values: list[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    return mean, (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5


def grade_model(
    exercise: Exercise,
    submission: Path,
    *,
    runner: Runner,
    limits: Limits,
    data_dir: Path,
    model_var: str = "model",
    source: str | None = None,
    on_output: Callable[[str], None] | None = None,
    keep_dir: bool = False,
    repeats: int = 1,
) -> Outcome:
    """Train and evaluate ``repeats`` times; with several runs the score uses the mean metric."""
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
        public_home = store.public_copy(dataset, data_dir, contract.public_test)
        timings["public_data_s"] = time.perf_counter() - t0
    else:
        repeats = 1  # a saved model gives the same answer every time
    rounds: list[Round] = []
    for _ in range(repeats):
        current = _train_and_measure(
            exercise,
            submission,
            runner=runner,
            limits=limits,
            data_dir=data_dir,
            public_home=public_home,
            model_var=model_var,
            source=source,
            on_output=on_output,
            keep_dir=keep_dir,
            timings=timings,
        )
        rounds.append(current)
        if current.ended is not None or current.measured.get("metric") is None:
            break  # an early end, a broken contract or NaN: more runs would not change the verdict
    last = rounds[-1]
    said = (note for r in rounds for note in (r.note, r.memory_note, r.isolation_note) if note is not None)
    notes.extend(dict.fromkeys(said))  # each once, in order
    fits = last.fits
    if last.ended is not None:
        verdict, message = last.ended
        timings["total_s"] = time.perf_counter() - t0
        summary = _summary(contract, {}, fits) if verdict == "timeout" else None
        return Outcome(verdict, message, (), last.output, timings, tuple(notes), summary)

    measured = dict(last.measured)
    runs = [float(r.measured["metric"]) for r in rounds if r.measured.get("metric") is not None]
    if len(rounds) > 1 and len(runs) == len(rounds):
        measured["metric"] = _mean_and_sd(runs)[0]
    verdict, message, checks = judge_model(exercise, measured)
    if len(runs) > 1:
        mean, sd = _mean_and_sd(runs)
        shown = ", ".join(f"{v:.4f}" for v in runs)
        message = message + Text(
            f" — mean of {len(runs)} runs {mean:.4f} ± {sd:.4f} ({shown})",
            f" — {len(runs)}회 평균 {mean:.4f} ± {sd:.4f} ({shown})",
        )
    timings["total_s"] = time.perf_counter() - t0
    return Outcome(
        verdict, message, checks, last.output, timings, tuple(notes), _summary(contract, measured, fits, runs)
    )
