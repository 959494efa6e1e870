"""The class views of a bulk grading, made from the results store alone (``grade class OUT``, and
after ``grade bulk``): ``class.html``, ``checks.csv``, ``similarity.csv``, a report page per
graded file under ``reports/`` (what each cell of the page links to) and, with ``--anonymous``,
``pseudonyms.csv`` (the key to the page's names, for the instructor only).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from grader.bulk import similarity
from grader.bulk.analysis import ClassFigures, class_figures
from grader.bulk.files import _points, _write_rows, file_names
from grader.bulk.store import ResultStore
from grader.exercise import UnknownExercise, find_exercise
from grader.text import Lang


@dataclass(frozen=True)
class ClassOptions:
    similarity: bool = True  # compare the files of each exercise where two or more were graded
    boilerplate: Path | None = None  # code the instructor taught: never makes two files alike
    anonymous: bool = False  # pseudonyms on the page (the CSVs keep the names: they are the instructor's)


@dataclass
class ClassViews:
    figures: ClassFigures
    pairs: list[similarity.Pair]
    not_compared: dict[str, int]  # exercise → files graded before their code was kept
    names: dict[str, str]  # student → the name the page shows
    report_files: dict[tuple[str, str], str]  # (student, exercise) → the report page, relative to OUT
    similarity_on: bool
    anonymous: bool


def pseudonyms(students: list[str], secret: str) -> dict[str, str]:
    """A stable pseudonym per student, keyed on the class's own secret: nobody who knows the roster
    can work out whose is whose from the page, and a student keeps one across re-renders."""
    found: dict[str, str] = {}
    for student in students:
        digest = hmac.new(secret.encode(), student.encode(), hashlib.sha256).hexdigest()
        length = 6
        while f"anon-{digest[:length]}" in found.values():
            length += 2
        found[student] = f"anon-{digest[:length]}"
    return found


def _boilerplate(exercise_id: str, extra: list[str]):
    """The exercise's starters (both languages) and the instructor's taught code."""
    texts = list(extra)
    try:
        exercise = find_exercise(exercise_id)
        texts += [exercise.starter(lang) for lang in ("en", "ko")]
    except (UnknownExercise, OSError, ValueError):
        pass
    return similarity.boilerplate_hashes(texts)


def similar_pairs(store: ResultStore, figures: ClassFigures, options: ClassOptions):
    """Each exercise's pairs, and per exercise how many files could not be compared."""
    taught = similarity.boilerplate_files(options.boilerplate) if options.boilerplate else []
    pairs, not_compared = [], {}
    for exercise in figures.exercises:
        codes, missing = {}, 0
        for result in exercise.results:
            code = store.code(result.sha256)
            if code is None:  # graded before the store kept code, or a saved model, which holds none
                missing += result.report.submission.lower().endswith(similarity.CODE_SUFFIXES)
            elif code.strip():
                codes[result.student] = code
        if missing:
            not_compared[exercise.exercise] = missing
        if len(codes) >= 2:
            pairs += similarity.compare_class(exercise.exercise, codes, _boilerplate(exercise.exercise, taught))
    return pairs, not_compared


def build(store: ResultStore, options: ClassOptions) -> ClassViews:
    figures = class_figures(store)
    pairs, not_compared = similar_pairs(store, figures, options) if options.similarity else ([], {})
    names = pseudonyms(figures.students, store.secret("pseudonyms")) if options.anonymous else {}
    names = {s: names.get(s, s) for s in figures.students}
    files = file_names(figures.students)
    report_files = {
        (r.student, e.exercise): f"reports/{files[r.student]}/{e.exercise}.html"
        for e in figures.exercises
        for r in e.results
    }
    return ClassViews(figures, pairs, not_compared, names, report_files, options.similarity, options.anonymous)


def write_checks_csv(views: ClassViews, path: Path) -> Path:
    rows = [["exercise", "check", "points", "pass_rate", "discrimination", "students", "passed", "warning"]]
    for exercise in views.figures.exercises:
        for item in exercise.items:
            rows.append(
                [
                    item.exercise,
                    item.check,
                    _points(item.points),
                    "" if item.pass_rate is None else f"{item.pass_rate:.4f}",
                    "" if item.discrimination is None else f"{item.discrimination:.4f}",
                    item.students,
                    item.passed,
                    item.warning.en if item.warning else "",
                ]
            )
    _write_rows(path, rows)
    return path


def write_similarity_csv(views: ClassViews, path: Path) -> Path:
    """Every flagged pair, most similar first: the same pairs the page shows."""
    rows = [["exercise", "student_a", "student_b", "similarity", "share_a", "share_b", "matched_characters"]]
    for pair in views.pairs:
        if pair.flagged:
            rows.append(
                [pair.exercise, pair.a, pair.b, f"{pair.similarity:.4f}", f"{pair.share_a:.4f}", f"{pair.share_b:.4f}",
                 pair.matched]
            )  # fmt: skip
    _write_rows(path, rows)
    return path


def write_reports(views: ClassViews, out: Path, lang: Lang) -> None:
    """The report page of each graded file, as its student sees it with ``--html``."""
    from grader.report.html import render_html

    for exercise in views.figures.exercises:
        for result in exercise.results:
            target = out / views.report_files[(result.student, exercise.exercise)]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_html(result.report, lang=lang), encoding="utf-8")
