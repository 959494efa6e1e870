"""The grader's public API: everything the CLI (and later bulk grading and exams) calls.

Functions take keyword-only options and return data (`Report`, `Exercise`, paths); nothing
here prints. Usage problems raise `UsageError`; anything that goes wrong while grading a
submission becomes a `Report`, never an exception.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import traceback
from pathlib import Path

import grader
from grader.exercise import Exercise, UnknownExercise, all_exercises, find_exercise
from grader.function_exercise import grade_function
from grader.harnesses import checks_for
from grader.report import CheckResult, Report, Verdict
from grader.runners import Limits, RunnerUnavailable, create_runner
from grader.text import Lang, Text

MAX_SUBMISSION_BYTES = 2 * 2**20


class UsageError(ValueError):
    """The request itself is wrong (unknown exercise, unavailable runner): exit code 2."""


def list_exercises() -> tuple[Exercise, ...]:
    return all_exercises()


def get_exercise(name: str) -> Exercise:
    try:
        return find_exercise(name)
    except UnknownExercise as exc:
        raise UsageError(str(exc)) from None


def statement(name: str, *, lang: Lang) -> str:
    return get_exercise(name).statement(lang)


def write_starter(name: str, directory: Path, *, lang: Lang, force: bool = False) -> Path:
    """Write ``<exercise id>.py`` into ``directory`` from the starter; refuse to overwrite."""
    exercise = get_exercise(name)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{exercise.id}.py"
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; pass --force to overwrite it")
    target.write_text(exercise.starter(lang), encoding="utf-8")
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _unrunnable(submission: Path, exercise: Exercise) -> Text | None:
    """A file the sandbox should not even be started for, with the reason."""
    if submission.suffix != ".py":
        return Text(
            f"{exercise.id} grades a Python file (.py); got '{submission.name}'",
            f"{exercise.id}은(는) 파이썬 파일(.py)을 채점합니다; 받은 파일: '{submission.name}'",
        )
    size = submission.stat().st_size
    if size > MAX_SUBMISSION_BYTES:
        return Text(
            f"the file is {size} bytes; the limit is {MAX_SUBMISSION_BYTES} bytes",
            f"파일 크기가 {size}바이트로 한도 {MAX_SUBMISSION_BYTES}바이트를 넘습니다",
        )
    return None


def grade(
    exercise_name: str,
    submission: Path,
    *,
    runner: str = "auto",
    seed: int | None = None,
    reveal: bool = False,
    timeout_s: float | None = None,
    keep_dir: bool = False,
) -> Report:
    """Grade one submission file and return its report.

    >>> grade("exercise5", Path("solutions/exercise5.py")).score  # doctest: +SKIP
    100.0
    """
    exercise = get_exercise(exercise_name)
    if not submission.is_file():
        raise UsageError(f"no such file: {submission}")
    try:
        chosen = create_runner(runner)
    except RunnerUnavailable as exc:
        raise UsageError(str(exc)) from None
    if exercise.kind != "function":
        raise UsageError(f"{exercise.id} is a model exercise; model grading is not available yet")

    seed = secrets.randbits(32) if seed is None else seed
    started = time.perf_counter()

    def report(verdict: Verdict, message: Text, checks: tuple[CheckResult, ...] = (), **extra) -> Report:
        return Report(
            exercise=exercise.id,
            slug=exercise.slug,
            title=exercise.title,
            submission=submission.name,
            submission_sha256=_sha256(submission),
            grader_version=grader.__version__,
            runner=chosen.name,
            verdict=verdict,
            message=message,
            checks=checks,
            max_score=exercise.points,
            pass_score=exercise.pass_score,
            seed=seed,
            **extra,
        )

    problem = _unrunnable(submission, exercise)
    if problem is not None:
        return report("submission-error", problem)
    limits = Limits(timeout_s=timeout_s or exercise.time_limit_s, memory_mb=exercise.memory_mb)
    try:
        outcome = grade_function(
            exercise,
            checks_for(exercise),
            submission,
            runner=chosen,
            limits=limits,
            seed=seed,
            reveal=reveal,
            keep_dir=keep_dir,
        )
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
    score_ok = sum(c.points for c in outcome.checks) >= exercise.pass_score
    verdict = outcome.verdict
    if verdict == "failed" and score_ok:
        verdict = "passed"  # an exercise may pass below full marks (pass_score < points)
    return report(verdict, outcome.message, outcome.checks, output=outcome.output, timings=outcome.timings)
