"""Collecting a class's submissions: a folder, a zip from an LMS, or a manifest CSV.

Each submission becomes an `Entry` (student, exercise, file); anything that cannot be graded
becomes a `Problem` with the reason, so one odd file never stops a batch and none is lost.

Names: ``<student>_<exercise>.<ext>`` (the exercise by id or slug, e.g. ``kim_min-ji_exercise5.py``),
or a folder per student holding ``<exercise>.<ext>`` files; with ``--exercise`` every file is
for that exercise and its name (less a matching exercise suffix) is the student.

Zips are extracted with limits: no absolute paths or ``..`` (zip-slip), no links, at most
`MAX_ZIP_FILES` files and `MAX_ZIP_BYTES` uncompressed (a zip bomb stops there). Korean
Windows zips name files in CP949 without saying so; those names are decoded as CP949.
"""

from __future__ import annotations

import csv
import io
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.exercise import UnknownExercise, find_exercise
from grader.settings import file_digest
from grader.text import Text, printable

SUFFIXES = (".py", ".ipynb", ".keras", ".h5")
MAX_ZIP_FILES = 5000
MAX_ZIP_BYTES = 2 * 2**30
MAX_RATIO = 200  # uncompressed / compressed, per entry: beyond this it is a bomb, not code


class CollectError(ValueError):
    """The submissions as a whole cannot be read (an empty folder, a bad zip, a bomb)."""


@dataclass(frozen=True)
class Entry:
    student: str
    exercise: str  # the exercise id
    path: Path
    sha256: str


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

    @property
    def students(self) -> list[str]:
        seen = dict.fromkeys(self.roster)
        seen.update(dict.fromkeys(e.student for e in self.entries))
        return list(seen)


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its author saw it: UTF-8 when flagged, else CP949 (Korean Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")  # how zipfile decoded the unflagged bytes
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def extract_zip(archive: Path, target: Path) -> Path:
    """Extract ``archive`` into ``target`` safely; returns ``target``."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise CollectError(f"{archive.name} is not a readable zip ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_FILES:
            raise CollectError(f"{archive.name} holds {len(infos)} files; the limit is {MAX_ZIP_FILES}")
        total = 0
        for info in infos:
            name = _zip_name(info)
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or (parts and parts[0].endswith(":")) or ".." in parts:
                raise CollectError(f"{archive.name}: entry '{name}' points outside the folder (refused)")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise CollectError(f"{archive.name}: entry '{name}' is a link (refused)")
            if info.is_dir() or not parts:
                continue
            total += info.file_size
            if total > MAX_ZIP_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
                raise CollectError(f"{archive.name}: entry '{name}' expands too far (a zip bomb?); refused")
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(destination, "wb") as dst:
                # Read with a cap: the sizes in the header are the sender's word, not a fact.
                shutil.copyfileobj(_Capped(src, info.file_size), dst)
    return target


class _Capped(io.RawIOBase):
    """A reader that refuses to give more bytes than the zip header declared."""

    def __init__(self, inner, limit: int) -> None:
        self.inner, self.left = inner, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise CollectError("a zip entry is larger than its header says (refused)")
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def _unwrap(folder: Path) -> Path:
    """An LMS zip usually wraps everything in one folder: start inside it. A single folder
    holding only ``<exercise>.<ext>`` files is one student's, and stays a folder."""

    def visible(f: Path) -> list[Path]:
        return [p for p in f.iterdir() if not p.name.startswith((".", "__MACOSX"))]

    inside = visible(folder)
    while len(inside) == 1 and inside[0].is_dir():
        content = visible(inside[0])
        if content and all(p.is_file() and _exercise_id(p.stem) for p in content):
            break
        folder, inside = inside[0], content
    return folder


def _exercise_id(name: str) -> str | None:
    try:
        return find_exercise(name).id
    except UnknownExercise:
        return None


def _split_name(stem: str) -> tuple[str, str | None, str | None]:
    """``kim_exercise5`` → (``kim``, ``exercise5``, the id); the exercise is the last ``_`` part."""
    if "_" not in stem:
        return stem, None, None
    student, claimed = stem.rsplit("_", 1)
    return student, claimed, _exercise_id(claimed)


def collect(source: Path, *, exercise: str | None = None, roster: Path | None = None, workdir: Path) -> Collected:
    """Every submission under ``source`` (a folder, a .zip or a manifest .csv)."""
    only = None
    if exercise is not None:
        only = _exercise_id(exercise)
        if only is None:
            raise CollectError(f"unknown exercise {exercise!r}")
    if source.suffix.lower() == ".zip":
        source = _unwrap(extract_zip(source, workdir / "extracted"))
    collected = Collected(roster=read_roster(roster) if roster else [])
    if source.suffix.lower() == ".csv":
        _from_manifest(source, collected, only)
    elif source.is_dir():
        _from_folder(source, collected, only)
    else:
        raise CollectError(f"{source} is not a folder, a .zip or a manifest .csv")
    if not collected.entries and not collected.problems:
        raise CollectError(f"no submissions found in {source} (expected {', '.join(SUFFIXES)} files)")
    _drop_duplicates(collected)
    return collected


def _add(collected: Collected, student: str, claimed: str | None, path: Path, only: str | None) -> None:
    student = printable(student).strip()
    shown = printable(str(path))
    exercise = _exercise_id(claimed) if claimed else None
    if only is not None:
        if claimed and exercise is not None and exercise != only:
            collected.problems.append(
                Problem(
                    student,
                    exercise,
                    shown,
                    Text(
                        f"the file claims {exercise}, but this batch grades {only}",
                        f"파일은 {exercise} 풀이인데, 이번 채점은 {only}입니다",
                    ),
                )
            )
            return
        exercise = only
    if path.suffix.lower() not in SUFFIXES:
        kinds = ", ".join(SUFFIXES)
        reason = Text(f"not a gradable file ({kinds})", f"채점할 수 있는 파일이 아닙니다 ({kinds})")
        collected.problems.append(Problem(student or "?", exercise or printable(claimed or "?"), shown, reason))
    elif not student:
        why = Text("no student id in the file name", "파일 이름에 학생 ID가 없습니다")
        collected.problems.append(Problem("?", exercise or "?", shown, why))
    elif exercise is None:
        why = (
            Text(f"unknown exercise '{claimed}'", f"알 수 없는 문제 '{claimed}'")
            if claimed
            else Text(
                "the file name names no exercise (<student>_<exercise>)",
                "파일 이름에 문제가 없습니다 (<학생>_<문제>)",
            )
        )
        collected.problems.append(Problem(student, printable(claimed or "?"), shown, why))
    else:
        collected.entries.append(Entry(student, exercise, path, file_digest(path)))


def _from_folder(folder: Path, collected: Collected, only: str | None) -> None:
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "__MACOSX")):
            continue
        if path.is_dir() and (path / "exam.json").is_file():  # a collected exam workspace
            _from_exam(path, collected)
        elif path.is_dir():  # a folder per student: <student>/<exercise>.py
            for inner in sorted(path.rglob("*")):
                if inner.is_file() and not inner.name.startswith("."):
                    claimed = inner.stem if only is None else _split_name(inner.stem)[1] or inner.stem
                    if only is not None and _exercise_id(claimed) is None:
                        claimed = None
                    _add(collected, path.name, claimed, inner, only)
        elif path.is_file() and path.suffix.lower() in (*SUFFIXES, ".txt", ".pdf", ".docx", ".zip"):
            student, claimed, known = _split_name(path.stem)
            if only is not None and known is None:
                student, claimed = path.stem, None  # "kim.py" or "kim_final.py" in an --exercise batch
            _add(collected, student, claimed, path, only)


def _from_exam(workspace: Path, collected: Collected) -> None:
    """An exam workspace: each task's file, as the exercise the exam's state names for it.
    The state is read here for the task list only; its signature is checked by the bulk run."""
    import json

    student = printable(workspace.name)
    try:
        state = json.loads((workspace / "exam.json").read_text(encoding="utf-8"))
        tasks = [(t["name"], t["exercise"]) for t in state["template"]["tasks"]]
    except (ValueError, KeyError, TypeError) as exc:
        why = Text(f"an unreadable exam state ({exc})", f"읽을 수 없는 시험 상태 파일 ({exc})")
        collected.problems.append(Problem(student, "?", str(workspace), why))
        return
    collected.exams[student] = workspace
    for task, exercise in tasks:
        source = workspace / f"{task}.py"
        if source.is_file():
            _add(collected, student, exercise, source, None)
        else:
            why = Text(f"the exam's {task}.py is missing", f"시험의 {task}.py가 없습니다")
            collected.problems.append(Problem(student, exercise, str(source), why))


def _from_manifest(manifest: Path, collected: Collected, only: str | None) -> None:
    with open(manifest, newline="", encoding="utf-8-sig", errors="replace") as fh:
        for row in csv.DictReader(fh):
            student, claimed, raw = (row.get(k, "") or "" for k in ("student", "exercise", "path"))
            path = (manifest.parent / raw).resolve()
            if not path.is_file():
                why = Text("the manifest names a file that is not there", "매니페스트에 적힌 파일이 없습니다")
                collected.problems.append(Problem(student, claimed, raw, why))
                continue
            _add(collected, student, claimed or None, path, only)


def _drop_duplicates(collected: Collected) -> None:
    """Two files for one student and exercise: grade neither, and say which (the instructor picks)."""
    seen: dict[tuple[str, str], list[Entry]] = {}
    for entry in collected.entries:
        seen.setdefault((entry.student, entry.exercise), []).append(entry)
    kept = []
    for (student, exercise), entries in seen.items():
        if len(entries) == 1:
            kept.append(entries[0])
            continue
        names = ", ".join(e.path.name for e in entries)
        for entry in entries:
            collected.problems.append(
                Problem(
                    student,
                    exercise,
                    str(entry.path),
                    Text(
                        f"{len(entries)} files for one student and exercise: {names}",
                        f"한 학생의 같은 문제에 파일이 {len(entries)}개: {names}",
                    ),
                )
            )
    collected.entries = kept


def read_roster(path: Path) -> list[str]:
    """Student ids from a CSV: its ``student`` (or ``id``) column, else the first column."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    column = next((header.index(k) for k in ("student", "id", "student_id") if k in header), None)
    body = rows[1:] if column is not None else rows
    column = column or 0
    return list(dict.fromkeys(r[column].strip() for r in body if len(r) > column and r[column].strip()))
