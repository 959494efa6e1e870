"""The grader's public API: everything the CLI (and later bulk grading and exams) calls.

Functions take keyword-only options and return data (`Report`, `Exercise`, paths); nothing
here prints. Usage problems raise `UsageError`; anything that goes wrong while grading a
submission becomes a `Report`, never an exception.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import grader
from grader.curves import save_report
from grader.data.registry import DATASETS, DataMissing
from grader.digest import file_digest
from grader.exercise import Exercise, UnknownExercise, all_exercises, find_exercise
from grader.function_exercise import grade_function
from grader.job import snapshot
from grader.notebook import NotebookError, notebook_to_script
from grader.report import CheckResult, Report, Verdict
from grader.runners import Limits, RunnerUnavailable, create_runner, default_runner_name
from grader.text import Lang, Text, clean, cleaned, printable, with_particle

if TYPE_CHECKING:
    from grader.bulk import BulkOptions, BulkSummary, Progress
    from grader.data.store import DatasetStatus
    from grader.doctor import Diagnosis
    from grader.exam import Clock, Exam
    from grader.image import BuildRequest, ImageInfo

MAX_SUBMISSION_BYTES = 2 * 2**20

# Bulk grading, exams, the doctor and image building load when first used: grading one file
# (the common case, where speed is a feature) does not pay for their imports.
_LAZY_NAMES = {"BulkOptions": "grader.bulk", "BuildRequest": "grader.image"}


def __getattr__(name: str) -> Any:
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BuildRequest",
    "BulkOptions",
    "UsageError",
    "build_image",
    "data_status",
    "diagnose",
    "exam_finish",
    "exam_issue",
    "exam_open",
    "exam_start",
    "exam_submit",
    "export_results",
    "fetch_data",
    "get_exercise",
    "grade",
    "grade_batch",
    "list_exercises",
    "save_report",
]


FUNCTION_OUTPUT_MB = 1024  # what a function exercise's sandbox may leave: call records, four at the wire's limit


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


def data_status(*, data_dir: Path | None = None) -> tuple[Path, list[DatasetStatus]]:
    from grader.data.store import resolve_data_dir, status

    directory = resolve_data_dir(data_dir)
    return directory, status(directory)


def fetch_data(names: list[str], *, data_dir: Path | None = None) -> list[tuple[str, list[str]]]:
    """Download the named datasets (all when empty); returns what each fetched."""
    from grader.data.store import fetch, resolve_data_dir

    directory = resolve_data_dir(data_dir)
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise UsageError(f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(DATASETS)}")
    try:
        return [(name, fetch(DATASETS[name], directory)) for name in names or list(DATASETS)]
    except DataMissing as exc:
        raise UsageError(str(exc)) from None


def diagnose(*, data_dir: Path | None = None) -> Diagnosis:
    """``grade doctor``: docker, the image, GPUs, the data dir, and what ``auto`` would pick."""
    from grader import doctor

    return doctor.diagnose(data_dir=data_dir)


def build_image(request: BuildRequest, *, on_line: Callable[[str], None] = lambda line: None) -> ImageInfo:
    """``grade image build``: the grading image, labelled with this grader's code digest."""
    from grader.image import ImageBuildFailed
    from grader.image import build_image as build
    from grader.runners.docker import DockerUnavailable

    try:
        return build(request, on_line=on_line)
    except (ImageBuildFailed, DockerUnavailable) as exc:
        raise UsageError(str(exc)) from None


def grade_batch(
    source: Path,
    out: Path,
    *,
    exercise: str | None = None,
    roster: Path | None = None,
    options: BulkOptions | None = None,
    on_progress: Progress = lambda entry, report, summary: None,
) -> BulkSummary:
    """``grade bulk``: a class's submissions into ``out``'s results store, resumable; then exports."""
    from grader import bulk
    from grader.bulk import BulkOptions
    from grader.collect import CollectError

    options = options or BulkOptions()
    try:
        choice = create_runner(options.runner)  # refuse an unavailable runner once, before any job starts
    except RunnerUnavailable as exc:
        raise UsageError(str(exc)) from None
    if choice.runner.name == "local" and not options.allow_unisolated:
        _refuse_unisolated()
    try:
        return bulk.grade_batch(source, out, exercise=exercise, roster=roster, options=options, on_progress=on_progress)
    except CollectError as exc:
        raise UsageError(str(exc)) from None


def _refuse_unisolated() -> None:
    """Bulk grades other people's code: without isolation (properties 1–4) a submission could
    forge its grade or read its classmates' files, so the instructor has to say so explicitly."""
    from grader.runners.boundary import missing_for_bulk

    missing = missing_for_bulk()
    if missing:
        listed = "; ".join(f"{p.number}. {p.name.en} ({p.how.en}; fix: {p.fix})" for p in missing)
        raise UsageError(
            f"grade bulk runs other people's code, and the local sandbox here lacks: {listed}. "
            "Use --runner docker, fix the above, or pass --allow-unisolated to grade anyway."
        )


def export_results(out: Path, formats: list[str], *, lang: Lang = "en") -> list[Path]:
    """``grade export``: re-write exports from the results store in ``out``."""
    from grader.export import export
    from grader.results import DB_NAME

    if not (out / DB_NAME).is_file():
        raise UsageError(f"no results store in {out} ({DB_NAME}); run grade bulk first")
    return export(out, formats, lang)


def exam_start(
    folder: Path,
    *,
    template: str | None = None,
    duration: str | None = None,
    lang: Lang = "en",
    clock: Clock = time.time,
    token: Path | None = None,
) -> Exam:
    """``grade exam start``: a workspace with starters, statements and the signed state; from
    an instructor's ``token`` (its template unless ``template`` names the file) for an issued exam."""
    from grader import exam

    try:
        issued = _read_token(token) if token is not None else None
        if issued is not None and duration:
            raise exam.ExamError("an issued exam's duration is the instructor's: leave out --duration")
        chosen = exam.load_template(template or (str(issued.get("template", "")) if issued else "cert"))
        seconds = exam.parse_duration(duration) if duration else None
        return exam.start(folder, chosen, lang=lang, clock=clock, duration_s=seconds, issued=issued)
    except exam.ExamError as exc:
        raise UsageError(str(exc)) from None


def _read_token(path: Path) -> dict[str, Any]:
    try:
        token = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not an exam token ({exc})") from None
    if not isinstance(token, dict):
        raise UsageError(f"{path}: not an exam token")
    return token


def exam_issue(
    students: list[str],
    out: Path,
    *,
    template: str = "cert",
    duration: str | None = None,
    clock: Clock = time.time,
) -> list[Path]:
    """``grade exam issue``: a signed start token per student, written into ``out`` (the
    instructor's side; the secret stays on this machine)."""
    from grader import exam

    try:
        chosen = exam.load_template(template)
        seconds = exam.parse_duration(duration) if duration else None
        tokens = exam.issue(students, chosen, clock=clock, duration_s=seconds)
    except exam.ExamError as exc:
        raise UsageError(str(exc)) from None
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for token in tokens:
        path = out / f"{_file_name(token['student'])}.token.json"
        while path in written:  # two ids that spell one file name
            path = path.with_name(f"{path.name.removesuffix('.token.json')}_.token.json")
        path.write_text(json.dumps(token, indent=1, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


def _file_name(student: str) -> str:
    """A student id as a plain file name: letters (Hangul too), digits, '-', '_' and '.' kept."""
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in student).strip(".")
    return name[:100] or "student"


def exam_open(folder: Path, *, clock: Clock = time.time) -> Exam:
    """The exam in ``folder``, its clock brought up to date (and finished if time ran out)."""
    from grader import exam

    try:
        return exam.refresh(exam.load(folder), clock)
    except exam.ExamError as exc:
        raise UsageError(str(exc)) from None


def exam_submit(folder: Path, tasks: list[str], *, clock: Clock = time.time, **grade_options) -> list[Report]:
    """``grade exam submit``: grade the tasks' files; each attempt is recorded with its report."""
    from grader import exam

    reports: list[Report] = []

    def grade_task(exercise_id: str, source: Path) -> Report:
        reports.append(grade(exercise_id, source, **grade_options))
        return reports[-1]

    try:
        exam.submit(exam.load(folder), tasks, grade_task, clock)
    except exam.ExamError as exc:
        raise UsageError(str(exc)) from None
    return reports


def exam_finish(folder: Path, *, clock: Clock = time.time) -> dict:
    """``grade exam finish``: freeze the exam, write ``final_report.json`` and ``.md``."""
    from grader import exam

    try:
        return exam.finish(exam.load(folder), clock)
    except exam.ExamError as exc:
        raise UsageError(str(exc)) from None


def accepted_suffixes(exercise: Exercise) -> tuple[str, ...]:
    return (".py", ".ipynb", ".keras", ".h5") if exercise.kind == "model" else (".py", ".ipynb")


def _unrunnable(submission: Path, exercise: Exercise) -> Text | None:
    """A file the sandbox should not even be started for, with the reason."""
    accepted = accepted_suffixes(exercise)
    if submission.suffix not in accepted:
        return Text(
            f"{exercise.id} grades {', '.join(accepted)} files; got '{submission.name}'",
            f"{with_particle(exercise.id, '은/는')} {', '.join(accepted)} 파일을 채점합니다; "
            f"받은 파일: '{submission.name}'",
        )
    size = submission.stat().st_size
    if size > MAX_SUBMISSION_BYTES and submission.suffix not in (".keras", ".h5"):
        return Text(
            f"the file is {size} bytes; the limit is {MAX_SUBMISSION_BYTES} bytes",
            f"파일 크기가 {size}바이트로 한도 {MAX_SUBMISSION_BYTES}바이트를 넘습니다",
        )
    return None


def _report(
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


def grade_or_report(exercise_name: str, submission: Path, **options) -> Report:
    """`grade`, except that a request it refuses also comes back as a report (bulk grading,
    where one odd submission must not stop the batch)."""
    try:
        return grade(exercise_name, submission, **options)
    except UsageError as exc:
        return _report(
            get_exercise(exercise_name),
            submission,
            options.get("runner") or default_runner_name(),
            options.get("seed") or 0,
            "grader-error",
            Text(f"This submission could not be graded: {exc}", f"이 제출물은 채점할 수 없었습니다: {exc}"),
        )


def _is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _checked_aliases(exercise: Exercise, aliases: dict[str, str] | None) -> dict[str, str]:
    """``aliases`` if each maps one of the exercise's functions to a Python name."""
    wanted = [f.name for f in exercise.functions]
    for name, defined_as in (aliases or {}).items():
        if name not in wanted:
            raise UsageError(f"--function {name}={defined_as}: {exercise.id} asks for {', '.join(wanted)}, not {name}")
        if not defined_as.isidentifier():
            raise UsageError(f"--function {name}={defined_as}: {defined_as!r} is not a Python name")
    return dict(aliases or {})


def worker_killed_report(exercise_name: str, submission: Path, *, runner: str | None) -> Report:
    """Bulk grading: the worker grading this file died twice, the second time alone with it."""
    return _report(
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


def grade(
    exercise_name: str,
    submission: Path,
    *,
    runner: str | None = None,
    gpu: str | None = None,
    seed: int | None = None,
    reveal: bool = False,
    timeout_s: float | None = None,
    keep_dir: bool = False,
    data_dir: Path | None = None,
    model_var: str = "model",
    on_output: Callable[[str], None] | None = None,
    repeats: int = 1,
    aliases: dict[str, str] | None = None,
    top_level: bool = True,
) -> Report:
    """Grade one submission file and return its report.

    ``aliases`` grade a function under the name the file gives it (``{"split_x": "split_data"}``:
    last year's homework, unedited). ``top_level=False`` grades a function exercise on the
    file's definitions alone, without its top-level work (`grader.top_level`).

    ``runner`` is local, docker or auto (default: ``$GRADE_RUNNER``, else auto); ``gpu`` picks
    the GPU a docker run may use (an index, ``all`` or ``none``). ``on_output`` receives a
    model exercise's training log while it runs.

    >>> grade("exercise5", Path("solutions/exercise5.py")).score  # doctest: +SKIP
    100.0
    """
    exercise = get_exercise(exercise_name)
    if not submission.is_file():
        raise UsageError(f"no such file: {submission}")
    aliases = _checked_aliases(exercise, aliases)
    if not top_level and exercise.kind == "model":
        raise UsageError(f"--no-top-level grades functions; {exercise.id}'s script must run to train its model")
    try:
        choice = create_runner(runner, gpu=gpu)
    except RunnerUnavailable as exc:
        raise UsageError(str(exc)) from None
    chosen = choice.runner
    if exercise.kind == "model" and submission.suffix in (".keras", ".h5"):
        from grader.model_exercise import MODEL_FILE_LIMIT, model_too_large

        size = submission.stat().st_size
        if size > MODEL_FILE_LIMIT:  # named before a copy of it is made
            return _report(exercise, submission, chosen.name, seed or 0, "contract-error", model_too_large(size))

    # Read once, before anything runs: what is graded is what the report names (the file may
    # change meanwhile, by the learner or, where no sandbox holds, by the code itself).
    with snapshot(submission) as (submission, sha256):
        seed = secrets.randbits(32) if seed is None else seed
        started = time.perf_counter()

        def report(verdict: Verdict, message: Text, checks: tuple[CheckResult, ...] = (), **extra) -> Report:
            return _report(exercise, submission, chosen.name, seed, verdict, message, checks, sha256=sha256, **extra)

        problem = _unrunnable(submission, exercise)
        if problem is not None:
            return report("submission-error", problem)
        source, notes = None, []
        if choice.fallback_reason:
            notes.append(
                Text(
                    f"runner: local, because docker cannot run here: {choice.fallback_reason}",
                    f"실행 환경: local (docker를 쓸 수 없음: {choice.fallback_reason})",
                )
            )
        if submission.suffix == ".ipynb":
            try:
                source, neutralised = notebook_to_script(submission)
            except NotebookError as exc:
                return report("submission-error", Text.same(str(exc)))
            if neutralised:
                listed = "; ".join(neutralised)
                notes.append(Text(f"notebook lines neutralised: {listed}", f"무력화한 노트북 줄: {listed}"))
        if submission.suffix == ".py" and not _is_utf8(submission):
            notes.append(
                Text(
                    "your file is not saved as UTF-8 (CP949/EUC-KR, say): it was graded, but `python` itself "
                    "refuses to run it (SyntaxError: Non-UTF-8 code). Save it as UTF-8",
                    "파일이 UTF-8로 저장되어 있지 않습니다 (CP949/EUC-KR 등): 채점은 했지만 `python`으로는 "
                    "실행되지 않습니다 (SyntaxError: Non-UTF-8 code). UTF-8로 저장하세요",
                )
            )
        if not top_level:
            from grader.top_level import definitions_only, describe_ranges

            try:
                text = source if source is not None else submission.read_text(encoding="utf-8")
            except UnicodeDecodeError:  # not UTF-8: the import will say so, with the hint to save it as UTF-8
                text = None
            dropped = []
            if text is not None:
                source, dropped = definitions_only(text)
            if dropped:
                lines = describe_ranges(dropped)
                notes.append(
                    Text(
                        f"graded without its top-level code (--no-top-level): lines {lines} did not run",
                        f"최상위 코드 없이 채점했습니다 (--no-top-level): {lines}번째 줄은 실행하지 않았습니다",
                    )
                )
        try:
            if exercise.kind == "model":
                # Loaded here: a function exercise's sandbox starts before numpy is imported.
                from grader.data.store import resolve_data_dir
                from grader.model_exercise import grade_model

                limits = Limits(
                    timeout_s=timeout_s or exercise.time_limit_s,
                    memory_mb=exercise.memory_mb,
                    max_processes=512,  # TensorFlow's thread pools count as processes
                    threads=os.cpu_count() or 1,
                )
                outcome = grade_model(
                    exercise,
                    submission,
                    runner=chosen,
                    limits=limits,
                    data_dir=resolve_data_dir(data_dir),
                    model_var=model_var,
                    source=source,
                    on_output=on_output,
                    keep_dir=keep_dir,
                    repeats=repeats,
                )
            else:
                limits = Limits(
                    timeout_s=timeout_s or exercise.time_limit_s,
                    memory_mb=exercise.memory_mb,
                    max_output_mb=FUNCTION_OUTPUT_MB,
                )
                outcome = grade_function(
                    exercise,
                    submission,
                    runner=chosen,
                    limits=limits,
                    seed=seed,
                    reveal=reveal,
                    keep_dir=keep_dir,
                    source=source,
                    aliases=aliases,
                )
        except DataMissing as exc:
            raise UsageError(str(exc)) from None
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
        return report(
            verdict,
            outcome.message,
            outcome.checks,
            output=outcome.output,
            timings=outcome.timings,
            notes=tuple(notes) + outcome.notes,
            model=outcome.model,
        )
