"""The class as figures: per exercise, the scores, the verdicts, each check's item analysis, the
slips and coach's findings that recur, and for model exercises a leaderboard. Pure data, made
from the results store alone; the class page (`grader.bulk.classpage`) and the CSVs draw it.

Item analysis, as classical test theory defines it and PrairieLearn's question statistics show:

* **pass rate**: of the students whose code reached the check (its status is not ``not-run``:
  a file that does not run at all is counted in the verdicts, not against each check), the share
  that passed it;
* **discrimination**: the Pearson correlation, over those students, of the check's points with
  the student's score on the exercise. Near 1: the check separates who has learnt it from who
  has not; near 0: it does not; below 0: the stronger students fail it more often, which is a
  sign of a broken check or a misleading statement. Undefined (blank) where either side is the
  same for every student.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field

from grader.bulk.store import ResultStore, StoredResult
from grader.exercise import UnknownExercise, find_exercise
from grader.report import LOWER_IS_BETTER
from grader.text import Text

HISTOGRAM_BINS = 10  # 0–10 %, …, 90–100 % of the exercise's points (full marks in the last)
NOBODY_PASSED_MIN = 3  # students who reached a check before "nobody passed" means something
NEGATIVE_DISCRIMINATION = -0.2
NEGATIVE_MIN = 5


@dataclass(frozen=True)
class Item:
    """One check across the class."""

    exercise: str
    check: str
    title: Text
    points: float
    students: int  # whose code reached it
    passed: int
    discrimination: float | None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.students if self.students else None

    @property
    def warning(self) -> Text | None:
        if self.students >= NOBODY_PASSED_MIN and self.passed == 0:
            return Text(
                "nobody passed: possibly not taught yet, taught differently, or a broken check — "
                "look at what the class returned (grade bulk --reveal)",
                "아무도 통과하지 못했습니다: 아직 배우지 않았거나 다르게 배웠거나, 검사가 잘못되었을 수 있습니다 — "
                "반 학생들의 반환값을 살펴보세요 (grade bulk --reveal)",
            )
        if (
            self.discrimination is not None
            and self.students >= NEGATIVE_MIN
            and self.discrimination <= NEGATIVE_DISCRIMINATION
        ):
            return Text(
                "the stronger students fail it more often than the weaker: read the check's statement again",
                "점수가 높은 학생이 오히려 더 자주 틀립니다: 이 검사의 문제 설명을 다시 읽어 보세요",
            )
        return None


@dataclass(frozen=True)
class Recurring:
    """A named slip or a coach's finding, with the students who made it."""

    kind: str  # "slip" or "finding"
    name: str
    title: Text
    concept: Text
    students: tuple[str, ...]


@dataclass(frozen=True)
class Standing:
    """A leaderboard row: the hidden metric a student's model reached."""

    student: str
    value: float
    met: bool
    training_s: float | None
    epochs: int | None


@dataclass
class ExerciseFigures:
    exercise: str
    title: Text
    max_score: float
    results: list[StoredResult] = field(default_factory=list)
    not_gradable: list[str] = field(default_factory=list)  # students whose file was found but not graded
    items: list[Item] = field(default_factory=list)
    recurring: list[Recurring] = field(default_factory=list)
    leaderboard: list[Standing] = field(default_factory=list)
    metric: str = ""

    @property
    def scores(self) -> list[float]:
        return [r.score for r in self.results]

    @property
    def verdicts(self) -> Counter:
        return Counter(r.verdict for r in self.results)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.results else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.results else None

    @property
    def histogram(self) -> list[int]:
        """Students per tenth of the points; full marks count in the last bin."""
        bins = [0] * HISTOGRAM_BINS
        for score in self.scores:
            share = score / self.max_score if self.max_score else 0.0
            bins[min(HISTOGRAM_BINS - 1, max(0, int(share * HISTOGRAM_BINS)))] += 1
        return bins


@dataclass
class ClassFigures:
    students: list[str]  # the roster first, then everyone else who handed something in
    exercises: list[ExerciseFigures]

    def __post_init__(self) -> None:
        self._cells = {(r.student, e.exercise): r for e in self.exercises for r in e.results}

    def result(self, student: str, exercise: str) -> StoredResult | None:
        return self._cells.get((student, exercise))


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """The correlation of two equally long lists; None where either does not vary."""
    if len(xs) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return max(-1.0, min(1.0, sxy / (sxx * syy) ** 0.5))


def items(exercise: str, results: list[StoredResult]) -> list[Item]:
    """Each check of the exercise, in the order its reports list them."""
    order: dict[str, tuple[Text, float]] = {}
    for result in results:
        for check in result.report.checks:
            order.setdefault(check.name, (check.title, check.max_points))
    found = []
    for name, (title, points) in order.items():
        reached = [
            (check, result.score)
            for result in results
            for check in result.report.checks
            if check.name == name and check.status != "not-run"
        ]
        found.append(
            Item(
                exercise,
                name,
                title,
                points,
                students=len(reached),
                passed=sum(check.status == "passed" for check, _ in reached),
                discrimination=pearson([check.points for check, _ in reached], [score for _, score in reached]),
            )
        )
    return found


def recurring(results: list[StoredResult]) -> list[Recurring]:
    """The named slips and the coach's findings, each with the students who made it, most made first."""
    from grader.check.slips import SLIPS

    seen: dict[tuple[str, str], tuple[Text, Text, set[str]]] = {}
    for result in results:
        for check in result.report.checks:
            slip = SLIPS.get(check.slip) if isinstance(check.slip, str) else None  # unknown (another version's): none
            if slip is not None:
                seen.setdefault(("slip", slip.name), (slip.title, slip.concept, set()))[2].add(result.student)
        for finding in result.report.model.findings if result.report.model else ():
            entry = seen.setdefault(("finding", finding.name), (finding.title, finding.concept, set()))
            entry[2].add(result.student)
    made = [
        Recurring(kind, name, title, concept, tuple(sorted(who)))
        for (kind, name), (title, concept, who) in seen.items()
    ]
    return sorted(made, key=lambda r: (-len(r.students), r.kind, r.name))


def leaderboard(results: list[StoredResult]) -> tuple[str, list[Standing]]:
    """The hidden metric each model reached, best first; a model that gave no metric is left out."""
    rows, metric = [], ""
    for result in results:
        model = result.report.model
        if model is None or model.value is None or not math.isfinite(model.value):
            continue
        metric = model.metric
        rows.append(Standing(result.student, float(model.value), model.met, model.training_s, model.epochs))
    lower = metric in LOWER_IS_BETTER
    rows.sort(key=lambda s: (s.value if lower else -s.value, s.training_s or 0.0, s.student))
    return metric, rows


def class_figures(store: ResultStore) -> ClassFigures:
    results = list(store.latest())
    problems = store.problems()
    students = store.students(results)
    ids = sorted({r.exercise for r in results} | {p.exercise for p in problems if p.exercise != "?"})
    exercises = []
    for exercise_id in sorted(ids, key=lambda e: (len(e), e)):
        mine = [r for r in results if r.exercise == exercise_id]
        try:
            exercise = find_exercise(exercise_id)
            title, max_score = exercise.title, exercise.points
        except UnknownExercise:  # graded by another grader version, since removed
            title, max_score = Text(exercise_id, exercise_id), 100.0
        max_score = mine[0].max_score if mine else max_score  # what the scores were out of
        figures = ExerciseFigures(exercise_id, title, max_score, results=mine)
        graded = {r.student for r in mine}
        figures.not_gradable = sorted({p.student for p in problems if p.exercise == exercise_id} - graded)
        figures.items = items(exercise_id, mine)
        figures.recurring = recurring(mine)
        if any(r.report.model is not None for r in mine):
            figures.metric, figures.leaderboard = leaderboard(mine)
        exercises.append(figures)
    return ClassFigures(students=students, exercises=exercises)
