"""What came out of grading one submission: typed results, totals as properties, JSON both ways.

The schema is the contract bulk grading and exams reuse, so it is versioned
(`SCHEMA_VERSION`) and every field has one meaning:

* a `CheckResult` per hidden check: points earned of points possible, a status, a message;
* a `Report` verdict naming how the run ended, e.g. ``timeout`` or ``contract-error``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from grader.text import EMPTY, Text

SCHEMA_VERSION = 1

Verdict = Literal[
    "passed",  # every check passed
    "failed",  # the code ran; at least one check failed
    "submission-error",  # the file does not run: syntax error, import error, exception at import
    "contract-error",  # a required function is missing or has the wrong signature
    "timeout",  # the wall-clock limit ran out
    "memory-exceeded",  # the memory limit was hit
    "crashed",  # the child process died (signal, hard exit) without a result
    "grader-error",  # a bug on our side: the report says so instead of a traceback
]
VERDICTS: tuple[str, ...] = get_args(Verdict)

CheckStatus = Literal["passed", "failed", "error", "not-run"]
CHECK_STATUSES: tuple[str, ...] = get_args(CheckStatus)


@dataclass(frozen=True)
class CheckResult:
    """One hidden check's line in a report.

    ``revealed`` holds the failing input and full expected/got values; it is filled only when
    an instructor asks (``--reveal``), never in a learner's default report. ``slip`` names the
    known mistake the check recognised (a name in `grader.check.slips.SLIPS`), for a class's counts.
    """

    name: str
    title: Text
    points: float
    max_points: float
    status: CheckStatus
    message: Text = EMPTY
    duration_s: float = 0.0
    revealed: str | None = None
    slip: str | None = None

    __test__ = False  # not a pytest test class

    def __post_init__(self) -> None:
        if self.status not in CHECK_STATUSES:
            raise ValueError(f"unknown check status {self.status!r}")
        if not 0 <= self.points <= self.max_points:
            raise ValueError(f"check {self.name!r}: points {self.points} outside 0..{self.max_points}")

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title.to_json(),
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "message": self.message.to_json(),
            "duration_s": self.duration_s,
            "revealed": self.revealed,
            "slip": self.slip,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckResult:
        return cls(
            name=data["name"],
            title=Text.from_json(data["title"]),
            points=float(data["points"]),
            max_points=float(data["max_points"]),
            status=data["status"],
            message=Text.from_json(data["message"]),
            duration_s=float(data.get("duration_s", 0.0)),
            revealed=data.get("revealed"),
            slip=data.get("slip"),  # reports stored before slips were named have none
        )


def judged_verdict(checks: tuple[CheckResult, ...] | list[CheckResult], pass_score: float) -> Verdict:
    """The verdict of a run whose checks all had their say: passed when every check passed, or
    when the points reach the exercise's ``pass_score`` (an exercise may pass below full marks).
    Both pipelines decide passed or failed here and nowhere else."""
    if all(c.status == "passed" for c in checks) or sum(c.points for c in checks) >= pass_score:
        return "passed"
    return "failed"


LOWER_IS_BETTER: tuple[str, ...] = ("mae", "mse")  # metrics that are errors: smaller is better


@dataclass(frozen=True)
class Finding:
    """What the coach saw in a model's run (`grader.check.coach`): the evidence with its numbers,
    one next step, and the concept behind it."""

    name: str  # e.g. overfitting, diverged, input-scale, loss-mismatch, collapse (see grader.check.coach*)
    title: Text
    evidence: Text
    next_step: Text
    concept: Text

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            **{k: getattr(self, k).to_json() for k in ("title", "evidence", "next_step", "concept")},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(data["name"], *(Text.from_json(data[k]) for k in ("title", "evidence", "next_step", "concept")))


@dataclass(frozen=True)
class ModelSummary:
    """For model exercises: the metric on the hidden test set and how training went."""

    metric: str
    value: float | None
    threshold: float
    training_s: float | None = None
    epochs: int | None = None
    history: dict[str, list[float]] = field(default_factory=dict)  # the last fit()'s curves
    runs: list[float] = field(default_factory=list)  # the metric of each run, with --repeats
    findings: tuple[Finding, ...] = ()  # what the coach saw in the run
    confusion: list[list[int]] = field(default_factory=list)  # hidden test set: row true class, column predicted
    class_names: list[str] = field(default_factory=list)  # each class's name, where the dataset has them

    @property
    def met(self) -> bool:
        """Whether the value reached the threshold (at or below it for an error like MAE)."""
        if self.value is None:
            return False
        return self.value <= self.threshold if self.metric in LOWER_IS_BETTER else self.value >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "value": self.value,
            "threshold": self.threshold,
            "training_s": self.training_s,
            "epochs": self.epochs,
            "history": self.history,
            "runs": self.runs,
            "findings": [f.to_json() for f in self.findings],
            "confusion": self.confusion,
            "class_names": self.class_names,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelSummary:
        return cls(
            metric=data["metric"],
            value=data["value"],
            threshold=float(data["threshold"]),
            training_s=data.get("training_s"),
            epochs=data.get("epochs"),
            history={k: [float(x) for x in v] for k, v in data.get("history", {}).items()},
            runs=[float(x) for x in data.get("runs", ())],
            findings=tuple(Finding.from_json(f) for f in data.get("findings", ())),
            confusion=[[int(n) for n in row] for row in data.get("confusion", ())],
            class_names=[str(n) for n in data.get("class_names", ())],
        )


@dataclass(frozen=True)
class Report:
    """Everything a learner, an instructor or an exporter needs about one graded submission."""

    exercise: str
    slug: str
    title: Text
    submission: str
    submission_sha256: str
    grader_version: str
    runner: str
    verdict: Verdict
    message: Text = EMPTY
    checks: tuple[CheckResult, ...] = ()
    max_score: float = 100.0
    pass_score: float = 100.0
    seed: int | None = None
    output: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[Text, ...] = ()  # warnings and facts worth knowing (a substitute dataset, what was hidden)
    model: ModelSummary | None = None
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 4)

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"

    @property
    def exit_code(self) -> int:
        """0 passed, 1 not passed, 3 the grader itself failed (2 is left to usage errors)."""
        if self.verdict == "grader-error":
            return 3
        return 0 if self.passed else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "exercise": self.exercise,
            "slug": self.slug,
            "title": self.title.to_json(),
            "submission": self.submission,
            "submission_sha256": self.submission_sha256,
            "grader_version": self.grader_version,
            "runner": self.runner,
            "verdict": self.verdict,
            "passed": self.passed,
            "score": self.score,
            "max_score": self.max_score,
            "pass_score": self.pass_score,
            "message": self.message.to_json(),
            "checks": [c.to_json() for c in self.checks],
            "seed": self.seed,
            "output": self.output,
            "timings": dict(self.timings),
            "notes": [n.to_json() for n in self.notes],
            "model": self.model.to_json() if self.model else None,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)

    def _repr_html_(self) -> str:
        """Jupyter shows a report as its HTML page, in the language ``GRADE_LANG`` or the locale give."""
        from grader.config import settings
        from grader.report.html import render_html

        return render_html(self, lang=settings().lang, page=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"report schema {data.get('schema_version')!r}, expected {SCHEMA_VERSION}")
        return cls(
            exercise=data["exercise"],
            slug=data["slug"],
            title=Text.from_json(data["title"]),
            submission=data["submission"],
            submission_sha256=data["submission_sha256"],
            grader_version=data["grader_version"],
            runner=data["runner"],
            verdict=data["verdict"],
            message=Text.from_json(data["message"]),
            checks=tuple(CheckResult.from_json(c) for c in data["checks"]),
            max_score=float(data["max_score"]),
            pass_score=float(data["pass_score"]),
            seed=data.get("seed"),
            output=data.get("output", ""),
            timings={k: float(v) for k, v in data.get("timings", {}).items()},
            notes=tuple(Text.from_json(n) for n in data.get("notes", ())),
            model=ModelSummary.from_json(data["model"]) if data.get("model") else None,
        )
