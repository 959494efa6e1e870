"""The grade process's handle on the trusted evaluator, and what can end an evaluation.

`Evaluation` starts the evaluator (`grader.evaluator.child`) beside the training, hands it the
saved model and reads its measurements. A model that cannot be evaluated (too large, not a
model, stopped while loading or predicting) is a `ModelProblem`: a verdict about the
submission. The evaluator breaking before it touched the model is `EvaluatorFailed`: the
grader's fault, never the learner's.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any

from grader.exercise import ModelContract
from grader.grading.endings import unreadable_record
from grader.report import Verdict
from grader.runner import Limits, Runner, SandboxJob, SandboxRun
from grader.runner.jobs import JOB_PREFIX, new_job_root, remove_tree
from grader.sandbox import protocol, wire
from grader.sandbox.wire import WireError
from grader.text import Text

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


def readable_data(data_dir: Path, dataset: str, private: Path) -> Path:
    """The data dir as the evaluator can read it. As root, the evaluator drops to a sandbox uid,
    which a data dir only its owner may read (``mktemp -d``, a umask of 077, a 0700 home around
    the user cache) would shut out: then the dataset's own files are copied into ``private``, in
    the job's folder (only root reaches it; the copy's own modes let the sandbox uid in, through
    the bind mount alone). Readable by anyone already, or not root: ``data_dir`` itself."""
    if not needs_private_copy(data_dir, dataset):
        return data_dir
    for source in _dataset_files(data_dir, dataset):
        if source.is_file():
            target = private / source.relative_to(data_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            target.chmod(0o444)
    for folder in (private, *(p for p in private.rglob("*") if p.is_dir())):
        folder.chmod(0o555)
    return private


def needs_private_copy(data_dir: Path, dataset: str) -> bool:
    """Whether the evaluator, as a sandbox uid, could not read the dataset's files where they are
    (only when grade is root: otherwise the evaluator is the user, in a user namespace)."""
    if os.getuid() != 0:
        return False
    return not all(_world_readable(path) for path in _dataset_files(data_dir, dataset) if path.exists())


def _dataset_files(data_dir: Path, dataset: str) -> list[Path]:
    from grader.data.registry import get_dataset

    try:
        return [data_dir / f.path for f in get_dataset(dataset).files]
    except KeyError:
        return []


def _world_readable(path: Path) -> bool:
    """Whether any user can read ``path``: the file has o+r and every folder above it o+x."""
    try:
        if not path.stat().st_mode & stat.S_IROTH:
            return False
        return all(folder.stat().st_mode & stat.S_IXOTH for folder in path.resolve().parents)
    except OSError:
        return False


class Evaluation:
    """The trusted evaluator, started before training so that TensorFlow's start and the hidden
    data's reading overlap it (in a fresh process where no submission code ever runs: a child
    locally, a container with the hidden data mounted read-only under docker). ``score`` hands
    it the model and waits for the measurements; ``cancel`` ends it when no model came. ``env``
    adds to its environment (the Keras 2 route's ``TF_USE_LEGACY_KERAS=1``)."""

    def __init__(
        self,
        contract: ModelContract,
        data_dir: Path,
        runner: Runner,
        limits: Limits,
        *,
        model_suffix: str,
        waits_s: float,
        env: dict[str, str] | None = None,
    ) -> None:
        self.dir = new_job_root(JOB_PREFIX + "eval-")
        self.model_name = "model" + model_suffix
        self.ended = False
        try:
            for name in ("in", "out", "submission"):
                (self.dir / name).mkdir()
            request = protocol.EvalRequest(
                model=f"{protocol.IN}/{self.model_name}",
                dataset=contract.dataset,
                input=contract.input,
                metric=contract.metric,
                text=contract.text.__dict__ if contract.text else None,
                window=contract.window,
                input_shape=list(contract.input_shape) or None,
                scale=contract.scale,
            )
            protocol.write_request(self.dir / protocol.IN / protocol.EVAL_FILE, request)
            self.job = SandboxJob(
                dir=self.dir,
                limits=Limits(
                    timeout_s=EVALUATE_TIMEOUT_S + waits_s,  # its clock runs while the model trains
                    memory_mb=max(limits.memory_mb, 4096),
                    max_processes=limits.max_processes,
                    threads=limits.threads,
                ),
                module="grader.evaluator.child",
                env={"KERAS_BACKEND": "tensorflow", protocol.HIDDEN_DATA_ENV: "{data}", **(env or {})},
                mounts={"data": readable_data(data_dir, contract.dataset, self.dir / "data")},
                trusted=True,
            )
            self.running = runner.start(self.job)
        except BaseException:
            remove_tree(self.dir)
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
            out = self.dir / protocol.OUT / protocol.EVAL_FILE
            if done.exit_code == 0 and out.exists():
                return wire.read_json(out)
            phase_file = self.dir / protocol.OUT / protocol.PHASE_FILE
            if phase_file.exists():  # it was at work on the model (no submission code runs there)
                raise _evaluation_stopped(done, phase_file.read_text(encoding="utf-8"), self.job.limits)
            how = f"signal {done.signal}" if done.signal else f"exit code {done.exit_code}"
            raise EvaluatorFailed(
                f"the evaluator ended with {how} before it read the model: {without_tf_noise(done.output)[-3000:]}"
            )
        finally:
            remove_tree(self.dir)

    def cancel(self) -> None:
        """No model will come: end the evaluator now and remove its folder."""
        if self.ended:
            return
        self.ended = True
        try:
            (self.dir / protocol.IN / protocol.CANCEL_FILE).touch()
            self.running.wait()
        finally:
            remove_tree(self.dir)
