"""Exam templates: the tasks, their weights, the duration and the rules (built in or an instructor's TOML)."""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from grader.exercise import CERT_STEPS, UnknownExercise, find_exercise
from grader.text import Refusal, Text, with_particle

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
WARNINGS_MIN = (60, 15, 5)

Clock = Callable[[], float]
LatePolicy = Literal["refuse", "mark"]
Counts = Literal["best", "last"]


class ExamError(Refusal, ValueError):
    """A request the exam cannot take (no workspace, an unknown task, the exam is over)."""


class ExamTampered(ExamError):
    """The state file does not match its HMAC: it was edited outside the grader."""


@dataclass(frozen=True)
class Task:
    name: str  # task1, task2, ... (the file is <name>.py)
    exercise: str  # an exercise id
    weight: float  # the points this task is worth (the certificate: 5)

    def points_for(self, score: float, max_score: float, passed: bool, steps: int | None = None) -> float:
        """The task's points as the certificate gave them: all five fifths of its weight for a
        task that passed (its model met the target), else the report's share in whole fifths,
        rounded down, at most four. So tasks that all missed their targets keep at most 80 %, below any
        pass mark over that, however close their scores came. Where the exercise states the
        certificate's own formula (sunspots: ceil(17 − 100·MAE)), its ``steps`` are the fifths."""
        if steps is not None:
            return round(self.weight * min(max(steps, 0), CERT_STEPS) / CERT_STEPS, 2)
        if not max_score:
            return 0.0
        steps = CERT_STEPS if passed else min(math.floor(CERT_STEPS * score / max_score + 1e-9), CERT_STEPS - 1)
        return round(self.weight * steps / CERT_STEPS, 2)

    def steps(self, points: float) -> int:
        """``points`` on the certificate's 0-5 scale."""
        return round(CERT_STEPS * points / self.weight) if self.weight else 0


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    duration_s: float
    pass_mark: float  # a fraction of the total
    late: LatePolicy
    counts: Counts
    tasks: tuple[Task, ...]

    @property
    def total(self) -> float:
        return sum(t.weight for t in self.tasks)


def parse_duration(text: str) -> float:
    """``5h``, ``90m``, ``1h30m``, ``45s`` or plain seconds."""
    text = str(text).strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = re.fullmatch(r"(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?", text)
    if not text or parts is None or not any(parts.groups()):
        raise ExamError(
            Text(
                f"cannot read the duration {text!r} (write e.g. 5h, 90m or 1h30m)",
                f"시간 {with_particle(repr(text), '을/를')} 읽을 수 없습니다 (예: 5h, 90m, 1h30m)",
            )
        )
    h, m, s = (int(g or 0) for g in parts.groups())
    return float(h * 3600 + m * 60 + s)


TASK_NAME = re.compile(r"task[1-9][0-9]{0,2}")  # what `load_template` names tasks; never a path


def is_builtin_template(name: str) -> bool:
    """Whether ``name`` is one of the templates shipped with the grader (never a path)."""
    return name in {p.stem for p in TEMPLATES_DIR.glob("*.toml")}


def load_template(name_or_path: str) -> Template:
    """A built-in template by name (``cert``, ``functions``) or an instructor's TOML file."""
    path = Path(name_or_path)
    if not path.is_file():
        path = TEMPLATES_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in TEMPLATES_DIR.glob("*.toml")))
        raise ExamError(
            Text(
                f"no exam template {name_or_path!r} (built in: {known}; or give a .toml file)",
                f"시험 템플릿 {with_particle(repr(name_or_path), '이/가')} 없습니다 (기본 제공: {known}; "
                "또는 .toml 파일을 주세요)",
            )
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExamError(Text(f"{path}: {exc}", f"{path}: TOML로 읽을 수 없습니다 ({exc})")) from None
    tasks = []
    for i, raw in enumerate(data.get("tasks", []), start=1):
        try:
            exercise = find_exercise(str(raw["exercise"])).id
        except KeyError:
            raise ExamError(
                Text(f"{path}: task {i} names no exercise", f"{path}: {i}번 과제에 exercise가 없습니다")
            ) from None
        except UnknownExercise as exc:
            raise ExamError(Text(f"{path}: task {i}: ", f"{path}: {i}번 과제: ") + exc.text) from None
        tasks.append(Task(f"task{i}", exercise, float(raw.get("weight", 5))))
    if not tasks:
        raise ExamError(
            Text(
                f"{path}: a template needs at least one [[tasks]] entry",
                f"{path}: 템플릿에는 [[tasks]] 항목이 하나 이상 있어야 합니다",
            )
        )
    late, counts = data.get("late", "refuse"), data.get("counts", "best")
    if late not in ("refuse", "mark") or counts not in ("best", "last"):
        raise ExamError(
            Text(
                f"{path}: late must be refuse|mark and counts best|last",
                f"{path}: late는 refuse|mark, counts는 best|last여야 합니다",
            )
        )
    pass_mark = float(data.get("pass_mark", 0.9))
    if not 0 < pass_mark <= 1:
        raise ExamError(
            Text(
                f"{path}: pass_mark {pass_mark} must be in (0, 1]",
                f"{path}: pass_mark {with_particle(str(pass_mark), '은/는')} (0, 1] 범위여야 합니다",
            )
        )
    return Template(
        name=str(data.get("name", path.stem)),
        title=str(data.get("title", path.stem)),
        duration_s=parse_duration(str(data.get("duration", "5h"))),
        pass_mark=pass_mark,
        late=late,
        counts=counts,
        tasks=tuple(tasks),
    )
