"""Grading one submission: a `GradeRequest` in, a `Report` out.

    request ─▶ the file, read once (snapshot) ─▶ its form (.py, notebook, saved model) ─▶ limits
            ─▶ the exercise's pipeline (`grader.grading.functions` / `grader.grading.models`:
               runner, sandbox, checks) ─▶ the verdict ─▶ Report

The CLI (through `grader.api`), bulk grading and exams all come here; this module calls none
of them. A request it refuses (an unknown exercise, a runner that cannot run here) raises
`UsageError`; everything that goes wrong with the submission, or inside the grader while it
grades one, comes back as a `Report`.
"""

from __future__ import annotations

import os
import secrets
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import grader
from grader.data.registry import DataMissing
from grader.digest import file_digest
from grader.exercise import (
    MAX_SUBMISSION_BYTES,
    SAVED_MODEL_SUFFIXES,
    Exercise,
    UnknownExercise,
    find_exercise,
    is_utf8,
)
from grader.grading.aliases import AliasRefused, resolve_aliases
from grader.grading.endings import ReportMaker
from grader.grading.functions import grade_function
from grader.grading.notebook import NotebookError, notebook_to_script
from grader.report import CheckResult, Report, Verdict
from grader.runner import Limits, RunnerChoice, RunnerUnavailable, create_runner, default_runner_name
from grader.runner.jobs import snapshot
from grader.text import EMPTY, Refusal, Text, clean, cleaned, printable, with_particle

FUNCTION_OUTPUT_MB = 1024  # what a function exercise's sandbox may leave: call records, four at the wire's limit


class UsageError(Refusal, ValueError):
    """The request itself is wrong (unknown exercise, unavailable runner): exit code 2, its
    reason in both languages (``text``)."""


@dataclass(frozen=True)
class GradeRequest:
    """What to grade and how: the options of ``grade EXERCISE FILE``, once.

    ``aliases`` grade a function under the name the file gives it (``{"split_x": "split_data"}``:
    last year's homework, unedited). ``top_level=False`` grades a function exercise on the
    file's definitions alone, without its top-level work (`grader.grading.top_level`). ``runner`` is
    local, docker or auto (default: ``$GRADE_RUNNER``, else auto); ``gpu`` picks the GPU a docker
    run may use (an index, ``all`` or ``none``). ``on_output`` receives a model exercise's
    training log while it runs; ``repeats`` trains it that many times and scores the mean.
    ``keras`` picks the Keras a model exercise trains under: 2 (the Keras 2 API, tf-keras), 3, or
    None to let the grader choose (Keras 3, else the Keras 2 route for a file that only runs there:
    `grader.grading.keras_route`).
    """

    exercise: str
    submission: Path
    runner: str | None = None
    gpu: str | None = None
    seed: int | None = None
    reveal: bool = False
    timeout_s: float | None = None
    keep_dir: bool = False
    data_dir: Path | None = None
    model_var: str = "model"
    on_output: Callable[[str], None] | None = field(default=None, compare=False)
    repeats: int = 1
    aliases: dict[str, str] = field(default_factory=dict)
    top_level: bool = True
    keras: int | None = None


@contextmanager
def refused_as_usage(*refusals: type[Exception]) -> Iterator[None]:
    """What the layer below refuses (an unknown exercise or dataset, an exam that is over, a
    runner that cannot run here) is a problem with the request: `UsageError`, exit code 2."""
    try:
        yield
    except refusals as exc:
        raise UsageError(exc.text if isinstance(exc, Refusal) else Text.same(str(exc))) from None


def get_exercise(name: str) -> Exercise:
    with refused_as_usage(UnknownExercise):
        return find_exercise(name)


def grade(request: GradeRequest) -> Report:
    """Grade one submission file and return its report.

    >>> grade(GradeRequest("exercise5", Path("solutions/exercise5.py"))).score  # doctest: +SKIP
    100.0
    """
    exercise = get_exercise(request.exercise)
    submission = request.submission
    if not submission.is_file():
        raise UsageError(Text(f"no such file: {submission}", f"파일이 없습니다: {submission}"))
    with refused_as_usage(AliasRefused):
        request = replace(request, aliases=resolve_aliases(exercise, request.aliases, submission))
    if not request.top_level and exercise.kind == "model":
        raise UsageError(
            Text(
                f"--no-top-level grades functions; {exercise.id}'s script must run to train its model",
                f"--no-top-level은 함수를 채점할 때 씁니다; {exercise.id}은 모델을 학습하도록 "
                "스크립트를 실행해야 합니다",
            )
        )
    _refuse_keras_choice(exercise, request.keras)
    with refused_as_usage(RunnerUnavailable):
        choice = create_runner(request.runner, gpu=request.gpu)
    if request.keras == 2:
        from grader.grading.keras_route import NOT_INSTALLED, route_installed

        if not route_installed(choice.runner.name):
            raise UsageError(Text("--keras 2: ", "--keras 2: ") + NOT_INSTALLED)
    if exercise.kind == "model" and submission.suffix in SAVED_MODEL_SUFFIXES:
        from grader.evaluator.handle import MODEL_FILE_LIMIT, model_too_large

        size = submission.stat().st_size
        if size > MODEL_FILE_LIMIT:  # named before a copy of it is made
            return make_report(
                exercise, submission, choice.runner.name, request.seed or 0, "contract-error", model_too_large(size)
            )

    # Read once, before anything runs: what is graded is what the report names (the file may
    # change meanwhile, by the learner or, where no sandbox holds, by the code itself).
    with snapshot(submission) as (copy, sha256):
        seed = secrets.randbits(32) if request.seed is None else request.seed
        return _grade_copy(exercise, replace(request, submission=copy, seed=seed), choice, sha256)


def _refuse_keras_choice(exercise: Exercise, keras: int | None) -> None:
    """``keras`` is 2, 3 or None, and only for a model exercise (a function exercise trains nothing)."""
    from grader.grading.keras_route import keras_choice_problem

    problem = keras_choice_problem(keras)
    if problem is not None:
        raise UsageError(problem)
    if keras is not None and exercise.kind != "model":
        raise UsageError(
            Text(
                f"--keras chooses the Keras a model trains under; {exercise.id} grades functions",
                f"--keras는 모델을 학습할 Keras를 고르는 옵션입니다; "
                f"{with_particle(exercise.id, '은/는')} 함수를 채점합니다",
            )
        )


def _grade_copy(exercise: Exercise, request: GradeRequest, choice: RunnerChoice, sha256: str) -> Report:
    submission, seed = request.submission, request.seed
    assert seed is not None
    started = time.perf_counter()

    def report(verdict: Verdict, message: Text, checks: tuple[CheckResult, ...] = (), **extra) -> Report:
        return make_report(
            exercise, submission, choice.runner.name, seed, verdict, message, checks, sha256=sha256, **extra
        )

    problem = _unrunnable(submission, exercise)
    if problem is not None:
        return report("submission-error", problem)
    notes: list[Text] = []
    if choice.fallback_reason != EMPTY:
        notes.append(
            Text("runner: local, because docker cannot run here: ", "실행 환경: local (docker를 쓸 수 없음: ")
            + choice.fallback_reason
            + Text("", ")")
        )
    try:
        kept = frozenset([*(f.name for f in exercise.functions), *request.aliases.values()])
        source = _source(submission, request.top_level, notes, kept)
    except NotebookError as exc:
        return report("submission-error", Text.same(str(exc)))

    def finished(verdict: Verdict, message: Text, checks: tuple[CheckResult, ...] = (), **found) -> Report:
        """The pipeline's report, after the notes said before it ran."""
        return report(verdict, message, checks, **{**found, "notes": tuple(notes) + tuple(found.get("notes", ()))})

    try:
        return _run_pipeline(exercise, request, choice, source, finished)
    except DataMissing as exc:
        raise UsageError(exc.text) from None
    except Exception as exc:
        return report(
            "grader-error",
            Text(
                f"The grader itself failed ({type(exc).__name__}: {exc}). This is not your fault; "
                "please report it with this output.",
                f"채점기 자체에 오류가 발생했습니다 ({type(exc).__name__}: {exc}). 제출물의 잘못이 아닙니다; "
                "이 출력과 함께 제보해 주세요.",
            ),
            output=traceback.format_exc(),
            timings={"total_s": time.perf_counter() - started},
        )


def _source(submission: Path, top_level: bool, notes: list[Text], kept: frozenset[str]) -> str | None:
    """The code to run when it is not the file as it is (a notebook's cells, the definitions
    alone), adding what a learner should know about it to ``notes``; ``None``: the file itself."""
    source = None
    if submission.suffix == ".ipynb":
        source, neutralised = notebook_to_script(submission)
        if neutralised:
            listed = "; ".join(neutralised)
            notes.append(Text(f"notebook lines neutralised: {listed}", f"무력화한 노트북 줄: {listed}"))
    if submission.suffix == ".py" and not is_utf8(submission):
        notes.append(
            Text(
                "your file is not saved as UTF-8 (CP949/EUC-KR, say): it was graded, but `python` itself "
                "refuses to run it (SyntaxError: Non-UTF-8 code). Save it as UTF-8",
                "파일이 UTF-8로 저장되어 있지 않습니다 (CP949/EUC-KR 등): 채점은 했지만 `python`으로는 "
                "실행되지 않습니다 (SyntaxError: Non-UTF-8 code). UTF-8로 저장하세요",
            )
        )
    if not top_level:
        from grader.grading.top_level import definitions_only, describe_ranges

        try:
            text = source if source is not None else submission.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:  # not UTF-8: the import will say so, with the hint to save it as UTF-8
            return source
        source, dropped = definitions_only(text, kept)
        if dropped:
            lines = describe_ranges(dropped)
            notes.append(
                Text(
                    "graded without its top-level code (--no-top-level): the statements on ",
                    "최상위 코드 없이 채점했습니다 (--no-top-level): ",
                )
                + lines
                + Text(" did not run", "의 문장은 실행하지 않았습니다")
            )
    return source


def _run_pipeline(
    exercise: Exercise, request: GradeRequest, choice: RunnerChoice, source: str | None, report: ReportMaker
) -> Report:
    timeout_s = request.timeout_s or exercise.time_limit_s
    if exercise.kind == "model":
        # Loaded here: a function exercise's sandbox starts before numpy is imported.
        from grader.data.registry import DATASETS
        from grader.data.store import data_dir_for
        from grader.grading.models import grade_model

        limits = Limits(
            timeout_s=timeout_s,
            memory_mb=exercise.memory_mb,
            max_processes=512,  # TensorFlow's thread pools count as processes
            threads=os.cpu_count() or 1,
        )
        data_dir = data_dir_for(DATASETS[exercise.model.dataset], request.data_dir)
        return grade_model(
            exercise, request, runner=choice.runner, limits=limits, data_dir=data_dir, source=source, report=report
        )
    # A learner's script may train with TensorFlow at top level: its threads count as processes,
    # and a limit below what it starts would crash it (SIGABRT) instead of letting it run its course.
    limits = Limits(
        timeout_s=timeout_s, memory_mb=exercise.memory_mb, max_output_mb=FUNCTION_OUTPUT_MB, max_processes=256
    )
    return grade_function(exercise, request, runner=choice.runner, limits=limits, source=source, report=report)


def grade_or_report(request: GradeRequest) -> Report:
    """`grade`, except that a request it refuses also comes back as a report (bulk grading,
    where one odd submission must not stop the batch)."""
    try:
        return grade(request)
    except UsageError as exc:
        return make_report(
            get_exercise(request.exercise),
            request.submission,
            request.runner or default_runner_name(),
            request.seed or 0,
            "grader-error",
            Text("This submission could not be graded: ", "이 제출물은 채점할 수 없었습니다: ") + exc.text,
        )


def worker_killed_report(exercise_name: str, submission: Path, *, runner: str | None) -> Report:
    """Bulk grading: the worker grading this file died twice, the second time alone with it."""
    return make_report(
        get_exercise(exercise_name),
        submission,
        runner or default_runner_name(),
        0,
        "crashed",
        Text(
            "The grader's worker process was killed while it ran your file, twice (the second time it "
            "ran alone). Does your code signal or kill other processes?",
            "채점 작업 프로세스가 이 파일을 실행하는 동안 두 번 (두 번째는 이 파일만 실행) 종료되었습니다. "
            "코드가 다른 프로세스에 시그널을 보내거나 종료시키나요?",
        ),
    )


def make_report(
    exercise: Exercise,
    submission: Path,
    runner: str,
    seed: int,
    verdict: Verdict,
    message: Text,
    checks: tuple[CheckResult, ...] = (),
    sha256: str | None = None,
    **extra,
) -> Report:
    if sha256 is None:
        sha256 = file_digest(submission) if submission.is_file() else ""
    # No terminal control sequence reaches a report (Keras' progress bars, a learner's colours):
    # it is shown in terminals, stored as JSON and exported as CSV alike.
    checks = tuple(
        replace(c, message=cleaned(c.message), revealed=clean(c.revealed) if c.revealed else c.revealed) for c in checks
    )
    if "output" in extra:
        extra["output"] = clean(extra["output"])
    if "notes" in extra:
        extra["notes"] = tuple(cleaned(n) for n in extra["notes"])
    return Report(
        exercise=exercise.id,
        slug=exercise.slug,
        title=exercise.title,
        submission=printable(submission.name),
        submission_sha256=sha256,
        grader_version=grader.__version__,
        runner=runner,
        verdict=verdict,
        message=cleaned(message),
        checks=checks,
        max_score=exercise.points,
        pass_score=exercise.pass_score,
        seed=seed,
        **extra,
    )


def _unrunnable(submission: Path, exercise: Exercise) -> Text | None:
    """A file the sandbox should not even be started for, with the reason."""
    accepted = exercise.accepted_suffixes
    if submission.suffix not in accepted:
        return Text(
            f"{exercise.id} grades {', '.join(accepted)} files; got '{submission.name}'",
            f"{with_particle(exercise.id, '은/는')} {', '.join(accepted)} 파일을 채점합니다; "
            f"받은 파일: '{submission.name}'",
        )
    size = submission.stat().st_size
    if size > MAX_SUBMISSION_BYTES and submission.suffix not in SAVED_MODEL_SUFFIXES:
        return Text(
            f"the file is {size} bytes; the limit is {MAX_SUBMISSION_BYTES} bytes",
            f"파일 크기가 {size}바이트로 한도 {MAX_SUBMISSION_BYTES}바이트를 넘습니다",
        )
    return None
