"""Exports of a bulk grading's results store: a CSV gradebook, a JSON dump, Gradescope
``results.json`` files, and per-student feedback in Markdown. All are re-made from the store,
so ``grade export`` after a resumed run gives the same files as one uninterrupted run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from grader.bulk.files import _points, _write_rows, file_names
from grader.text import Lang

if TYPE_CHECKING:  # the store loads with the first export, not with the CLI that lists the formats
    from grader.bulk.classviews import ClassOptions
    from grader.bulk.store import ResultStore, StoredResult
    from grader.report import Report

ExportFormat = Literal["csv", "json", "gradescope", "feedback", "class"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)


# The marks that start markup inside a line (a line's own start is never the text's: it follows
# "| ", "- " or "# "), backslash-escaped as CommonMark allows; < > & become entities, so no HTML
# a submission wrote ever renders.
_MD_MARKUP = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def md_text(text: str) -> str:
    """Text from a report (which holds what a submission wrote) as one line of plain Markdown:
    no markup, no HTML, no line breaks but ``<br>``; so it can never pass for the grader's own lines."""
    return "<br>".join(line.translate(_MD_MARKUP) for line in text.splitlines())


def md_block(text: str) -> list[str]:
    """``text`` as a fenced code block, fenced longer than any backtick run inside it: shown as written."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", text)), default=0))
    return [fence + "text", *text.splitlines(), fence]


NOT_HANDED_IN = "not handed in"  # a roster student with no file for the exercise
NOT_GRADABLE = "not gradable"  # a file was found but could not be graded (problems.csv says why)


def write_csv(store: ResultStore, path: Path, lang: Lang = "en") -> list[Path]:
    """A row per student (roster first, then anyone else); per exercise its score and its verdict
    (``submission-error`` for a file that does not run, ``contract-error``, ``failed``, ``timeout``,
    …; ``not handed in``, ``not gradable``), and where anyone's was graded under other function
    names (``--function``, a manifest's column) a column saying which; then the total. Beside it
    ``exams.csv``, ``problems.csv`` and ``findings.csv`` (the coach's findings on each
    model: which students overfit, diverged, fed raw pixels) when there are any (an old one is
    removed when this run has none, so the folder never shows a stale list)."""
    results = list(store.latest())
    problems = store.problems()
    exercises = sorted({r.exercise for r in results}, key=lambda e: (len(e), e))
    students = store.students(results)
    graded = {(r.student, r.exercise): r for r in results}
    unreadable = {(p.student, p.exercise) for p in problems}
    aliased = {r.exercise for r in results if r.aliases}
    header = ["student"]
    for e in exercises:
        header += [e, f"{e} verdict"] + ([f"{e} graded as"] if e in aliased else [])
    book = [[*header, "total"]]
    for student in students:
        row: list[str] = [student]
        for e in exercises:
            result = graded.get((student, e))
            if result is not None:
                row += [_points(result.score), result.verdict]
            else:
                row += ["", NOT_GRADABLE if (student, e) in unreadable else NOT_HANDED_IN]
            if e in aliased:
                row.append(result.aliases if result is not None else "")
        scores = [graded[(student, e)].score for e in exercises if (student, e) in graded]
        book.append([*row, _points(sum(scores)) if scores else ""])
    _write_rows(path, book)
    exams = store.exams()  # collected exam workspaces: what their states say, beside the grades
    written = [path]
    for extra, header, rows in (
        (path.with_name("exams.csv"), list(exams[0]) if exams else [], [list(e.values()) for e in exams]),
        (
            path.with_name("problems.csv"),
            ["student", "exercise", "path", "reason"],
            [[p.student, p.exercise, p.path, p.reason(lang)] for p in problems],
        ),
        (
            path.with_name("findings.csv"),
            ["student", "exercise", "finding", "title", "evidence", "next step"],
            [
                [r.student, r.exercise, f.name, f.title(lang), f.evidence(lang), f.next_step(lang)]
                for r in results
                if r.report.model is not None
                for f in r.report.model.findings
            ],
        ),
    ):
        if rows:
            _write_rows(extra, [header, *rows])
            written.append(extra)
        else:
            extra.unlink(missing_ok=True)
    return written


def write_json(store: ResultStore, path: Path) -> Path:
    dump = {
        "results": [
            {"student": r.student, "exercise": r.exercise, "worker": r.worker, "report": r.report.to_json()}
            for r in store.latest()
        ],
        "problems": [{**p.__dict__, "reason": p.reason.to_json()} for p in store.problems()],
        "roster": store.roster(),
    }
    path.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def gradescope_result(result: StoredResult, lang: Lang = "en") -> dict:
    """Gradescope's autograder ``results.json``: score, tests with their own scores and outputs.

    The learner sees each check's title and message, as ``grade`` shows them. A check's hidden
    input (kept only when the batch ran with ``--reveal``) is a separate zero-point test, visible
    after the grades are published.
    """
    report = result.report
    tests = []
    for check in report.checks:
        tests.append(
            {
                "name": check.title(lang),
                "score": check.points,
                "max_score": check.max_points,
                "status": "passed" if check.status == "passed" else "failed",
                "output": check.message(lang),
                "visibility": "visible",
            }
        )
        if check.revealed:
            tests.append(
                {
                    "name": f"{check.title(lang)} — hidden input",
                    "score": 0,
                    "max_score": 0,
                    "output": check.revealed,
                    "visibility": "after_published",
                }
            )
    return {
        "score": report.score,
        "max_score": report.max_score,
        "execution_time": round(report.timings.get("total_s", 0.0), 3),
        "output": "\n\n".join([f"{report.verdict.upper()}: {report.message(lang)}", *_coach_lines(report, lang)]),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _coach_lines(report: Report, lang: Lang) -> list[str]:
    """Each of the coach's findings as one line: what it saw, the evidence, what to try."""
    findings = report.model.findings if report.model is not None else ()
    return [f"{f.title(lang)} — {f.evidence(lang)} ({f.next_step(lang)})" for f in findings]


def write_gradescope(store: ResultStore, folder: Path, lang: Lang = "en") -> Path:
    """``<folder>/<student>/<exercise>/results.json`` for every graded submission."""
    results = list(store.latest())
    names = file_names(r.student for r in results)
    for result in results:
        target = folder / names[result.student] / result.exercise
        target.mkdir(parents=True, exist_ok=True)
        (target / "results.json").write_text(
            json.dumps(gradescope_result(result, lang), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return folder


def write_feedback(store: ResultStore, folder: Path, lang: Lang = "en") -> Path:
    """One Markdown file per student: each exercise's score, verdict, and what each check said."""
    folder.mkdir(parents=True, exist_ok=True)
    by_student: dict[str, list[StoredResult]] = {}
    for result in store.latest():
        by_student.setdefault(result.student, []).append(result)
    names = file_names(by_student)
    for student, results in by_student.items():
        lines = [f"# {md_text(student)}", ""]
        for result in results:
            report = result.report
            lines += [
                f"## {report.exercise} · {md_text(report.title(lang))}",
                "",
                f"**{_points(report.score)} / {_points(report.max_score)}** — {report.verdict}",
                "",
                *md_block(report.message(lang)),
                "",
            ]
            if report.checks:
                lines += ["| check | points | result | details |", "| --- | --- | --- | --- |"]
                for check in report.checks:
                    lines.append(
                        f"| {md_text(check.title(lang))} | {_points(check.points)}/{_points(check.max_points)} "
                        f"| {check.status} | {md_text(check.message(lang))} |"
                    )
                lines.append("")
            coached = _coach_lines(report, lang)
            lines += [f"- {md_text(line)}" for line in coached] + ([""] if coached else [])
            # what the report adds (graded without the file's top level, the Keras 2 route, ...)
            lines += [f"- {md_text(note(lang))}" for note in report.notes] + ([""] if report.notes else [])
        (folder / f"{names[student]}.md").write_text("\n".join(lines), encoding="utf-8")
    return folder


def export(out: Path, formats: list[str], lang: Lang = "en", view: ClassOptions | None = None) -> list[Path]:
    """Re-write the chosen exports from ``out``'s results store; returns what was written.
    ``class`` is the class page and its CSVs (`grader.bulk.classviews`), drawn with ``view``."""
    from grader.bulk.classpage import write_class
    from grader.bulk.classviews import ClassOptions
    from grader.bulk.store import ResultStore

    written = []
    if "class" in formats:
        written += write_class(out, view or ClassOptions(), lang)
    with ResultStore(out) as store:
        for fmt in (f for f in formats if f != "class"):
            if fmt == "csv":
                written.extend(write_csv(store, out / "gradebook.csv", lang))
            elif fmt == "json":
                written.append(write_json(store, out / "results.json"))
            elif fmt == "gradescope":
                written.append(write_gradescope(store, out / "gradescope", lang))
            elif fmt == "feedback":
                written.append(write_feedback(store, out / "feedback", lang))
            else:
                raise ValueError(f"unknown export format {fmt!r}")
    return written
