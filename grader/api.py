"""The grader's public API: what the CLI and notebooks call.

A facade: each function turns keyword options into a call of the module that does the work
(`grader.grading` grades, `grader.bulk` a class, `grader.exam` an exam) and returns data
(`Report`, `Exercise`, paths); nothing here prints. Usage problems raise `UsageError`; anything
that goes wrong while grading a submission becomes a `Report`, never an exception.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader import grading
from grader.data.registry import DATASETS, DataMissing
from grader.exercise import Exercise, all_exercises
from grader.grading import GradeRequest, UsageError, get_exercise, refused_as_usage
from grader.grading.aliases import names_in, parse_aliases
from grader.report import Report
from grader.report.curves import save_report
from grader.runner import RunnerUnavailable, create_runner
from grader.text import Lang, Text, join, with_particle

if TYPE_CHECKING:
    from grader.bulk import BulkOptions, BulkSummary, Progress
    from grader.data.store import DatasetStatus
    from grader.doctor import Diagnosis
    from grader.exam import Clock, Exam
    from grader.report.html import write_html
    from grader.runner.image import BuildRequest, ImageInfo

# Bulk grading, exams, the doctor, image building and the HTML page load when first used: grading
# one file (the common case, where speed is a feature) does not pay for their imports.
_LAZY_NAMES = {"BulkOptions": "grader.bulk", "BuildRequest": "grader.runner.image", "write_html": "grader.report.html"}


def __getattr__(name: str) -> Any:
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BuildRequest",
    "BulkOptions",
    "GradeRequest",
    "UsageError",
    "build_image",
    "class_page",
    "data_status",
    "diagnose",
    "exam_finish",
    "exam_folder",
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
    "parse_aliases",
    "save_report",
    "write_html",
]


def list_exercises() -> tuple[Exercise, ...]:
    return all_exercises()


def statement(name: str, *, lang: Lang) -> str:
    return get_exercise(name).statement(lang)


def write_starter(name: str, directory: Path, *, lang: Lang, force: bool = False) -> Path:
    """Write ``<exercise id>.py`` into ``directory`` from the starter; refuse to overwrite."""
    exercise = get_exercise(name)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{exercise.id}.py"
    if target.exists() and not force:
        raise UsageError(
            Text(
                f"{target} already exists; pass --force to overwrite it",
                f"{with_particle(str(target), '이/가')} 이미 있습니다; 덮어쓰려면 --force를 주세요",
            )
        )
    target.write_text(exercise.starter(lang), encoding="utf-8")
    return target


def data_status(*, data_dir: Path | None = None) -> tuple[Path, list[DatasetStatus]]:
    from grader.data.store import resolve_data_dir, status

    directory = resolve_data_dir(data_dir)
    return directory, status(directory)


def fetch_data(
    names: list[str], *, data_dir: Path | None = None, mirror: str | None = None
) -> list[tuple[str, list[str]]]:
    """Download the named datasets (all when empty), from the base URL ``mirror`` where given."""
    from grader.data.store import fetch, resolve_data_dir

    directory = resolve_data_dir(data_dir)
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise UsageError(
            Text(
                f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(DATASETS)}",
                f"없는 데이터셋: {', '.join(unknown)}; 있는 것: {', '.join(DATASETS)}",
            )
        )
    with refused_as_usage(DataMissing):
        return [(name, fetch(DATASETS[name], directory, mirror=mirror)) for name in names or list(DATASETS)]


def diagnose(*, data_dir: Path | None = None) -> Diagnosis:
    """``grade doctor``: docker, the image, GPUs, the data dir, and what ``auto`` would pick."""
    from grader import doctor

    return doctor.diagnose(data_dir=data_dir)


def build_image(request: BuildRequest, *, on_line: Callable[[str], None] = lambda line: None) -> ImageInfo:
    """``grade image build``: the grading image, labelled with this grader's code digest."""
    from grader.runner.engine import DockerUnavailable
    from grader.runner.image import ImageBuildFailed
    from grader.runner.image import build_image as build

    with refused_as_usage(ImageBuildFailed, DockerUnavailable):
        return build(request, on_line=on_line)


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
    from grader.bulk.collect import CollectError

    options = options or BulkOptions()
    with refused_as_usage(RunnerUnavailable):
        choice = create_runner(options.runner)  # refuse an unavailable runner once, before any job starts
    if choice.runner.name == "local" and not options.allow_unisolated:
        _refuse_unisolated()
    with refused_as_usage(CollectError):
        return bulk.grade_batch(source, out, exercise=exercise, roster=roster, options=options, on_progress=on_progress)


def _refuse_unisolated() -> None:
    """Bulk grades other people's code: without isolation (properties 1–4) a submission could
    forge its grade or read its classmates' files, so the instructor has to say so explicitly."""
    from grader.runner.boundary import missing_for_bulk

    missing = missing_for_bulk()
    if missing:
        listed = join(
            [
                Text.same(f"{p.number}. ")
                + p.name
                + Text.same(" (")
                + p.how
                + Text(f"; fix: {p.fix})", f"; 해결: {p.fix})")
                for p in missing
            ]
        )
        raise UsageError(
            Text(
                "grade bulk runs other people's code, and the local sandbox here lacks: ",
                "grade bulk는 다른 사람의 코드를 실행하는데, 이 컴퓨터의 local 샌드박스에는 다음이 없습니다: ",
            )
            + listed
            + Text(
                ". Use --runner docker, fix the above, or pass --allow-unisolated to grade anyway.",
                ". --runner docker를 쓰거나, 위 문제를 고치거나, 그래도 채점하려면 --allow-unisolated를 주세요.",
            )
        )


def export_results(
    out: Path,
    formats: list[str],
    *,
    lang: Lang = "en",
    anonymous: bool = False,
    similarity: bool = True,
    boilerplate: Path | None = None,
) -> list[Path]:
    """``grade export``: re-write exports from the results store in ``out``; ``class`` (the class
    page and its CSVs) with pseudonyms, without similarity, or with the instructor's taught code."""
    from grader.bulk.classviews import ClassOptions
    from grader.bulk.export import export
    from grader.bulk.store import DB_NAME

    if not (out / DB_NAME).is_file():
        raise UsageError(
            Text(
                f"no results store in {out} ({DB_NAME}); run grade bulk first",
                f"{out}에 결과 저장소({DB_NAME})가 없습니다; 먼저 grade bulk를 실행하세요",
            )
        )
    if boilerplate is not None and not boilerplate.is_dir():
        raise UsageError(
            Text(
                f"--boilerplate {boilerplate}: not a folder (give the folder of the code you taught)",
                f"--boilerplate {boilerplate}: 폴더가 아닙니다 (수업에서 가르친 코드가 있는 폴더를 주세요)",
            )
        )
    view = ClassOptions(similarity=similarity, boilerplate=boilerplate, anonymous=anonymous)
    return export(out, formats, lang, view)


def class_page(out: Path, **options: Any) -> list[Path]:
    """``grade class OUT``: the class page, ``checks.csv`` and ``similarity.csv`` from the store
    alone, without grading anything again (options as `export_results`)."""
    return export_results(out, ["class"], **options)


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

    with refused_as_usage(exam.ExamError):
        issued = _read_token(token) if token is not None else None
        if issued is not None and duration:
            raise exam.ExamError(
                Text(
                    "an issued exam's duration is the instructor's: leave out --duration",
                    "발급된 시험의 시간은 강사가 정합니다: --duration을 빼세요",
                )
            )
        chosen = exam.load_template(template or (str(issued.get("template", "")) if issued else "cert"))
        seconds = exam.parse_duration(duration) if duration else None
        return exam.start(folder, chosen, lang=lang, clock=clock, duration_s=seconds, issued=issued)


def _read_token(path: Path) -> dict[str, Any]:
    try:
        token = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(Text(f"{path}: not an exam token ({exc})", f"{path}: 시험 토큰이 아닙니다 ({exc})")) from None
    if not isinstance(token, dict):
        raise UsageError(Text(f"{path}: not an exam token", f"{path}: 시험 토큰이 아닙니다"))
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

    with refused_as_usage(exam.ExamError):
        chosen = exam.load_template(template)
        seconds = exam.parse_duration(duration) if duration else None
        tokens = exam.issue(students, chosen, clock=clock, duration_s=seconds)
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


def exam_folder(given: Path | None) -> Path:
    """The workspace an exam command acts on: ``--dir``, else this folder when it holds an exam,
    else ./exam (where ``grade exam start`` makes one)."""
    from grader.exam.state import STATE_FILE

    if given is not None:
        return given
    return Path(".") if (Path(".") / STATE_FILE).is_file() else Path("exam")


def exam_open(folder: Path, *, clock: Clock = time.time) -> Exam:
    """The exam in ``folder``, its clock brought up to date (and finished if time ran out)."""
    from grader import exam

    with refused_as_usage(exam.ExamError):
        return exam.refresh(exam.load(folder), clock)


def exam_submit(folder: Path, tasks: list[str], *, clock: Clock = time.time, **grade_options) -> list[Report]:
    """``grade exam submit``: grade the tasks' files; each attempt is recorded with its report.
    ``aliases`` and ``top_level=False`` (``--function``, ``--no-top-level``) reach the tasks they
    fit: a mapping the tasks whose exercise asks for that function and whose file defines the
    name it maps to, the flag the function tasks."""
    from grader import exam

    reports: list[Report] = []
    aliases = alias_dict(grade_options.pop("aliases", None) or grade_options.pop("function", None))
    top_level = grade_options.pop("top_level", True)

    def grade_task(exercise_id: str, source: Path) -> Report:
        exercise = get_exercise(exercise_id)
        asked = {f.name for f in exercise.functions}
        defined = (names_in(source) or set()) if aliases else set()
        fitting = {name: yours for name, yours in aliases.items() if name in asked and yours in defined}
        top = top_level or exercise.kind == "model"
        reports.append(grade(exercise_id, source, aliases=fitting, top_level=top, **grade_options))
        return reports[-1]

    with refused_as_usage(exam.ExamError):
        exam.submit(exam.load(folder), tasks, grade_task, clock)
    return reports


def exam_finish(folder: Path, *, clock: Clock = time.time) -> dict:
    """``grade exam finish``: freeze the exam, write ``final_report.json`` and ``.md``."""
    from grader import exam

    with refused_as_usage(exam.ExamError):
        return exam.finish(exam.load(folder), clock)


# The CLI's option names, as keywords of `grade` (``function="split_x=split_data"``, ``timeout=60``).
CLI_KEYWORDS = {"function": "aliases", "timeout": "timeout_s"}


def alias_dict(value: Any) -> dict[str, str]:
    """``function=`` as a user may give it: a dict, ``"a=b; c=d"``, or a list of such strings."""
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    text = value if isinstance(value, str) else "; ".join(str(v) for v in value)
    parsed = parse_aliases(text)
    if parsed is None:
        raise UsageError(
            Text(f"function={value!r}: write NAME=YOURS", f"function={value!r}: NAME=YOURS 형식으로 쓰세요")
        )
    return dict(parsed)


def grade(exercise_name: str, submission: Path | str, **options: Any) -> Report:
    """Grade one submission file and return its report. ``options`` are `GradeRequest`'s
    (runner, gpu, seed, reveal, timeout_s, data_dir, model_var, on_output, repeats, aliases,
    top_level, keep_dir, keras), also under the CLI's names: ``function`` (``"a=b; c=d"`` or a dict),
    ``timeout``; ``lang`` is accepted and changes nothing (a report holds both languages).

    >>> grade("exercise5", "solutions/exercise5.py", function="split_x=split_x", timeout=30).score  # doctest: +SKIP
    100.0
    """
    import dataclasses

    options.pop("lang", None)  # the report is bilingual; the language is the renderer's choice
    for cli_name, name in CLI_KEYWORDS.items():
        if cli_name in options:
            options[name] = options.pop(cli_name)
    aliases = alias_dict(options.get("aliases"))
    known = {f.name for f in dataclasses.fields(GradeRequest)} - {"exercise", "submission"}
    unknown = sorted(set(options) - known)
    if unknown:
        names = ", ".join(sorted(known | set(CLI_KEYWORDS) | {"lang"}))
        raise UsageError(
            Text(
                f"grade() takes no {', '.join(unknown)}; its keywords: {names}",
                f"grade()에는 {', '.join(unknown)} 인자가 없습니다; 쓸 수 있는 인자: {names}",
            )
        )
    return grading.grade(GradeRequest(exercise_name, Path(submission), **{**options, "aliases": aliases}))
