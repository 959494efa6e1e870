"""What bulk collecting finds: a submission (`Entry`), a file that cannot be graded (`Problem`),
and how a file's name says whose it is and for which exercise."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.exercise import UnknownExercise, find_exercise
from grader.text import Refusal, Text, clean, printable

LINK_REFUSED = Text(
    "a link, not a file (links are refused: they can point anywhere)",
    "파일이 아니라 링크입니다 (링크는 어디든 가리킬 수 있어 받지 않습니다)",
)


def student_id(raw: str) -> str:
    """One spelling per student: printable, no control or bidirectional characters (a name that
    reads as a classmate's), trimmed, Unicode NFC."""
    return unicodedata.normalize("NFC", clean(printable(raw))).strip()


class CollectError(Refusal, ValueError):
    """The submissions as a whole cannot be read (an empty folder, a bad zip, a bomb)."""


@dataclass(frozen=True)
class Entry:
    student: str
    exercise: str  # the exercise id
    path: Path
    sha256: str
    aliases: tuple[tuple[str, str], ...] = ()  # a manifest's "function" column: (name, the file's name)

    @property
    def aliases_key(self) -> str:
        """The aliases as the results store keeps them (``split_x=split_data``; '' for none)."""
        return ", ".join(f"{name}={yours}" for name, yours in sorted(self.aliases))


@dataclass(frozen=True)
class Problem:
    student: str
    exercise: str
    path: str
    reason: Text


@dataclass
class Collected:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    roster: list[str] = field(default_factory=list)
    exams: dict[str, Path] = field(default_factory=dict)  # student -> a collected exam workspace
    exam_ids: dict[str, str] = field(default_factory=dict)  # student -> the id its workspace's state names
    copied_exams: set[str] = field(default_factory=set)  # students whose workspace is another's copy


def exercise_id(name: str) -> str | None:
    try:
        return find_exercise(name).id
    except UnknownExercise:
        return None


def split_name(stem: str) -> tuple[str, str | None, str | None]:
    """``kim_exercise5`` → (``kim``, ``exercise5``, the id); the exercise is the last ``_`` part."""
    if "_" not in stem:
        return stem, None, None
    student, claimed = stem.rsplit("_", 1)
    return student, claimed, exercise_id(claimed)


def problem_for_name(parts: tuple[str, ...], shown: str, reason: Text) -> Problem:
    """A problem for a file known only by its name: the student and exercise the name gives."""
    student, _, known = split_name(PurePosixPath(parts[-1]).stem)
    if known is None and len(parts) > 1:  # a folder per student: <student>/<exercise>.py
        student, known = parts[-2], exercise_id(PurePosixPath(parts[-1]).stem)
    return Problem(student_id(student)[:200] or "?", known or "?", shown, reason)
