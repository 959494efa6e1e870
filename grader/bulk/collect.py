"""Collecting a class's submissions: a folder, a zip from an LMS, or a manifest CSV.

Each submission becomes an `Entry` (student, exercise, file); anything that cannot be graded
becomes a `Problem` with the reason, so one odd file never stops a batch and none is lost.

Names: ``<student>_<exercise>.<ext>`` (the exercise by id or slug, e.g. ``kim_min-ji_exercise5.py``),
or a folder per student holding ``<exercise>.<ext>`` files; with ``--exercise`` every file is
for that exercise and its name (less a matching exercise suffix) is the student.

Zips are extracted with limits: no absolute paths or ``..`` (zip-slip), no links, at most
`MAX_ZIP_FILES` files and `MAX_ZIP_BYTES` uncompressed (a zip bomb stops there). Korean
Windows zips name files in CP949 without saying so; those names are decoded as CP949. An
entry that cannot be extracted alone (two of one name, a name that is a file and a folder, a
name too long for the disk) is a problem of its own; the rest of the zip is still graded.
A folder's links are never followed (a link can point at any file of the grading machine).

Student ids are compared and stored in Unicode NFC: a Mac writes Hangul file names in NFD,
Windows in NFC, and both spellings of one name are one student (and one roster entry).
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

from grader.bulk.entries import (
    LINK_REFUSED,
    Collected,
    CollectError,
    Entry,
    Problem,
    exercise_id,
    split_name,
    student_id,
)
from grader.bulk.zips import extract_zip, unwrap
from grader.digest import file_digest
from grader.exam.state import STATE_FILE
from grader.exercise import SUBMISSION_SUFFIXES, find_exercise
from grader.grading.aliases import parse_aliases
from grader.runner.jobs import entries_under, is_real_dir
from grader.text import Text, printable


def collect(source: Path, *, exercise: str | None = None, roster: Path | None = None, workdir: Path) -> Collected:
    """Every submission under ``source`` (a folder, a .zip or a manifest .csv)."""
    only = None
    if exercise is not None:
        only = exercise_id(exercise)
        if only is None:
            raise CollectError(Text(f"unknown exercise {exercise!r}", f"{exercise!r}라는 문제는 없습니다"))
    left_out: list[Problem] = []
    if source.suffix.lower() == ".zip":
        (workdir / "extracted").mkdir(parents=True, exist_ok=True)
        left_out = extract_zip(source, workdir / "extracted")
        source = unwrap(workdir / "extracted")
    collected = Collected(roster=read_roster(roster) if roster else [], problems=left_out)
    if source.suffix.lower() == ".csv":
        _from_manifest(source, collected, only)
    elif source.is_dir():
        _from_folder(source, collected, only)
    else:
        raise CollectError(
            Text(
                f"{source} is not a folder, a .zip or a manifest .csv",
                f"{source}은 폴더도, .zip도, 목록 .csv도 아닙니다",
            )
        )
    if not collected.entries and not collected.problems:
        kinds = ", ".join(SUBMISSION_SUFFIXES)
        raise CollectError(
            Text(
                f"no submissions found in {source} (expected {kinds} files)",
                f"{source}에서 제출물을 찾지 못했습니다 ({kinds} 파일이 있어야 합니다)",
            )
        )
    _drop_duplicates(collected)
    _drop_copied_exams(collected)
    return collected


def _add(
    collected: Collected,
    student: str,
    claimed: str | None,
    path: Path,
    only: str | None,
    aliases: tuple[tuple[str, str], ...] = (),
) -> None:
    student = student_id(student)
    shown = printable(str(path))
    exercise = exercise_id(claimed) if claimed else None
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
    if path.suffix.lower() not in SUBMISSION_SUFFIXES:
        kinds = ", ".join(SUBMISSION_SUFFIXES)
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
    elif unknown := [name for name, _ in aliases if name not in {f.name for f in find_exercise(exercise).functions}]:
        why = Text(
            f"the function column names {', '.join(unknown)}, which {exercise} does not ask for",
            f"function 열에 {exercise}에 없는 함수가 있습니다: {', '.join(unknown)}",
        )
        collected.problems.append(Problem(student, exercise, shown, why))
    else:
        collected.entries.append(Entry(student, exercise, path, file_digest(path), aliases))


def _refuse_link(collected: Collected, path: Path, student: str, exercise: str | None) -> None:
    collected.problems.append(Problem(student_id(student) or "?", exercise or "?", printable(str(path)), LINK_REFUSED))


def _files_under(folder: Path) -> list[Path]:
    """Every file below ``folder`` and every link (to a file or a folder), sorted; no link is
    followed, hidden names are skipped, and a tree of any depth is walked (a cloned repository a
    thousand folders deep made os.walk's recursion fail the whole class)."""
    found = entries_under([folder], skip=lambda entry: entry.name.startswith("."))
    return sorted(Path(entry.path) for entry in found if not is_real_dir(entry))  # links included


def _is_plain_file(path: Path) -> bool:
    """A regular file, not a link to one: what a class folder holds is never followed."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _from_folder(folder: Path, collected: Collected, only: str | None) -> None:
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "__MACOSX")):
            continue
        if path.is_symlink():  # checked first: is_dir and is_file follow the link
            student, _, known = split_name(path.stem) if not path.is_dir() else (path.name, None, None)
            _refuse_link(collected, path, student, only or known)
        elif path.is_dir() and os.path.lexists(path / STATE_FILE):  # a collected exam workspace
            if _is_plain_file(path / STATE_FILE):
                _from_exam(path, collected)
            else:  # a link to a classmate's state, say: never followed, never graded as theirs
                _refuse_link(collected, path / STATE_FILE, path.name, only)
        elif path.is_dir():  # a folder per student: <student>/<exercise>.py
            for inner in _files_under(path):
                claimed = inner.stem if only is None else split_name(inner.stem)[1] or inner.stem
                if only is not None and exercise_id(claimed) is None:
                    claimed = None
                if inner.is_symlink():
                    _refuse_link(collected, inner, path.name, only or exercise_id(inner.stem))
                elif inner.is_file():
                    _add(collected, path.name, claimed, inner, only)
        elif path.is_file() and path.suffix.lower() in (*SUBMISSION_SUFFIXES, ".txt", ".pdf", ".docx", ".zip"):
            student, claimed, known = split_name(path.stem)
            if only is not None and known is None:
                student, claimed = path.stem, None  # "kim.py" or "kim_final.py" in an --exercise batch
            _add(collected, student, claimed, path, only)


def _from_exam(workspace: Path, collected: Collected) -> None:
    """An exam workspace: each task's file, as the exercise the exam's state names for it.

    The state is read here for its tasks only (plain names, known exercises: `exam.read_state`
    checks its shape); its signature and timing are checked by the bulk run. A malformed state
    leaves the workspace ungraded, with the reason."""
    from grader import exam

    student = student_id(workspace.name)
    collected.exams[student] = workspace
    try:
        state = exam.read_state(workspace)
    except exam.ExamError as exc:
        why = exc.text + Text("; this workspace is not graded", "; 이 작업 공간은 채점하지 않습니다")
        collected.problems.append(Problem(student, "?", printable(str(workspace)), why))
        return
    collected.exam_ids[student] = state.exam_id
    tasks = _issued_tasks(state, workspace, collected, student)
    if tasks is None:
        return
    for task in tasks:
        source = workspace / f"{task.name}.py"
        if source.is_symlink():
            _refuse_link(collected, source, student, task.exercise)
        elif source.is_file():
            _add(collected, student, task.exercise, source, None)
        else:
            why = Text(f"the exam's {task.name}.py is missing", f"시험의 {task.name}.py가 없습니다")
            collected.problems.append(Problem(student, task.exercise, printable(str(source)), why))


def _issued_tasks(state, workspace: Path, collected: Collected, student: str) -> list | None:
    """The tasks to grade. For an exam the instructor issued, whose token verifies here, the tasks
    the token signed, never the state's (the learner can re-sign a state with the key the token
    gives, and map its tasks to easier exercises); a version 1 token signed only its template's
    name, which is trusted when it is a built-in template. Otherwise the state's tasks: a token
    that does not verify is named in exams.csv. None: the workspace is not graded."""
    from grader import exam
    from grader.exam import token as exam_token

    issued = state.issued
    if issued is None:
        return state.template.tasks
    said = exam_token.verdict(issued, student, state.exam_id, exam_token.issuer_secret())
    if said != "verified":
        return state.template.tasks
    try:
        mapping = exam_token.task_list(issued)
        if mapping is None and exam.is_builtin_template(str(issued["template"])):
            mapping = [(t.name, t.exercise) for t in exam.load_template(str(issued["template"])).tasks]
        if mapping is None:
            return state.template.tasks  # a version 1 token for the instructor's own template file
        mapping = [(name, exercise_id(exercise) or "") for name, exercise in mapping]
        if not all(exercise for _, exercise in mapping):
            raise exam.ExamError(
                Text(
                    "the token names an exercise this grader does not have",
                    "토큰이 이 채점기에 없는 문제를 가리킵니다",
                )
            )
    except (exam.ExamError, exam_token.TokenError) as exc:
        why = Text(
            f"the issued exam's tasks cannot be read here ({exc.text.en}); this workspace is not graded",
            f"발급된 시험의 과제를 여기서 읽을 수 없습니다 ({exc.text.ko}); 이 작업 공간은 채점하지 않습니다",
        )
        collected.problems.append(Problem(student, "?", printable(str(workspace)), why))
        return None
    if [(t.name, t.exercise) for t in state.template.tasks] != mapping:
        shown = ", ".join(f"{name}={exercise}" for name, exercise in mapping)
        why = Text(
            f"the exam state's tasks differ from the issued template's; graded as the template says ({shown})",
            f"시험 상태의 과제가 발급된 템플릿과 다릅니다; 템플릿대로 채점합니다 ({shown})",
        )
        collected.problems.append(Problem(student, "?", printable(str(workspace / STATE_FILE)), why))
    return [exam.Task(name, exercise, 0.0) for name, exercise in mapping]


def _from_manifest(manifest: Path, collected: Collected, only: str | None) -> None:
    with open(manifest, newline="", encoding="utf-8-sig", errors="replace") as fh:
        for row in csv.DictReader(fh):
            student, claimed, raw = (row.get(k, "") or "" for k in ("student", "exercise", "path"))
            path = (manifest.parent / raw).resolve()
            if not path.is_file():
                why = Text("the manifest names a file that is not there", "매니페스트에 적힌 파일이 없습니다")
                collected.problems.append(Problem(student, claimed, raw, why))
                continue
            aliases = parse_aliases(row.get("function") or "")
            if aliases is None:
                why = Text(
                    f"the function column '{row.get('function')}' is not NAME=YOURS (split_x=split_data; ...)",
                    f"function 열의 값이 NAME=YOURS 형식이 아닙니다: '{row.get('function')}' (split_x=split_data; ...)",
                )
                collected.problems.append(Problem(student, claimed, raw, why))
                continue
            _add(collected, student, claimed or None, path, only, aliases)


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


def _drop_copied_exams(collected: Collected) -> None:
    """Workspaces whose states name one exam: one is a copy (exam ids are random per start).
    Neither is graded, both are listed, and exams.csv says ``duplicate``."""
    by_id: dict[str, list[str]] = {}
    for student, exam_id in collected.exam_ids.items():
        by_id.setdefault(exam_id, []).append(student)
    for exam_id, claimants in by_id.items():
        if len(claimants) < 2:
            continue
        # A state that does not verify proves nothing: its claim on a verified classmate's exam id
        # is listed, and the verified workspace is graded as if the claim were not there.
        verified = [s for s in claimants if _verifies(collected.exams[s])]
        for student in (s for s in claimants if s not in verified) if verified else ():
            collected.copied_exams.add(student)
            collected.problems.append(
                Problem(
                    student,
                    "?",
                    printable(str(collected.exams[student])),
                    Text(
                        f"its exam state does not verify and claims the exam (id {exam_id}) of "
                        f"{', '.join(verified)}'s verified workspace; this workspace is not graded",
                        f"시험 상태가 검증되지 않으며 {', '.join(verified)}의 검증된 작업 공간과 "
                        f"같은 시험(id {exam_id})을 주장합니다; 이 작업 공간은 채점하지 않습니다",
                    ),
                )
            )
        students = verified if verified else claimants
        if len(students) < 2:
            continue
        for student in students:
            others = ", ".join(s for s in students if s != student)
            workspace = collected.exams[student]
            collected.copied_exams.add(student)
            collected.problems.append(
                Problem(
                    student,
                    "?",
                    printable(str(workspace)),
                    Text(
                        f"the same exam (id {exam_id}) as {others}'s workspace: one was copied from the other; "
                        "neither is graded",
                        f"{others}의 작업 공간과 같은 시험(id {exam_id})입니다: 한쪽이 다른 쪽을 복사했습니다; "
                        "둘 다 채점하지 않습니다",
                    ),
                )
            )
    collected.entries = [
        e
        for e in collected.entries
        if not any(e.path.is_relative_to(collected.exams[s]) for s in collected.copied_exams)
    ]


def _verifies(workspace: Path) -> bool:
    """Whether the workspace's state carries a signature that checks out here."""
    from grader import exam

    try:
        exam.load(workspace)
    except exam.ExamError:  # tampered, unreadable, or no key here to check it with
        return False
    return True


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
    return list(dict.fromkeys(student_id(r[column]) for r in body if len(r) > column and student_id(r[column])))
