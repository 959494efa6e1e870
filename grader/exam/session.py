"""What a learner and an instructor do with an exam: start, issue, submit, refresh, finish, the final report."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.exam import token as exam_token
from grader.exam.state import STATE_FILE, Attempt, Exam, exam_key, locked
from grader.exam.template import WARNINGS_MIN, Clock, ExamError, Task, Template
from grader.exercise import find_exercise
from grader.report import Report
from grader.text import Lang, Text, with_particle


def start(
    folder: Path,
    template: Template,
    *,
    lang: Lang,
    clock: Clock = time.time,
    duration_s: float | None = None,
    issued: dict[str, Any] | None = None,
) -> Exam:
    """Create the workspace: starters, statements, and the signed state. An ``issued`` token
    (`grader.exam_token`) gives the exam its id and duration."""
    if issued is not None:
        issued = _token_for(template, issued)
        duration_s = issued["duration_s"]
    if (folder / STATE_FILE).exists():
        raise ExamError(
            Text(
                f"{folder} already holds an exam; pick another --dir",
                f"{folder}에는 이미 시험이 있습니다; 다른 --dir을 고르세요",
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    statements = [f"# {template.title}", ""]
    for task in template.tasks:
        exercise = find_exercise(task.exercise)
        target = folder / f"{task.name}.py"
        if not target.exists():
            target.write_text(exercise.starter(lang), encoding="utf-8")
        statements += [
            f"## {task.name} · {exercise.title(lang)} ({task.weight:g} {_points(task.weight)} / {task.weight:g}점)",
            "",
            exercise.statement(lang),
            "",
        ]
    (folder / "TASKS.md").write_text("\n".join(statements), encoding="utf-8")
    now = clock()
    exam = Exam(
        folder=folder,
        exam_id=issued["exam_id"] if issued is not None else secrets.token_hex(8),
        template=template,
        started_at=now,
        deadline=now + (duration_s if duration_s is not None else template.duration_s),
        last_seen=now,
        issued=issued,
    )
    if issued is None:
        exam_key(exam.exam_id, create=True)
    exam.save()
    return exam


def _token_for(template: Template, token: Any) -> dict[str, Any]:
    """The token, if it is well formed and issued for ``template``."""
    try:
        token = exam_token.checked(token)
    except exam_token.TokenError as exc:
        raise ExamError(exc.text) from None
    if token["template"] != template.name:
        raise ExamError(
            Text(
                f"the token was issued for the template {token['template']!r}, not {template.name!r}: "
                f"start with --template {token['template']}",
                f"이 토큰은 {template.name!r}이 아니라 {token['template']!r} 템플릿용으로 발급되었습니다: "
                f"--template {token['template']}로 시작하세요",
            )
        )
    return token


def issue(students: list[str], template: Template, *, clock: Clock = time.time, duration_s: float | None = None):
    """``grade exam issue``: one signed start token per student (the instructor's side)."""
    duration = duration_s if duration_s is not None else template.duration_s
    secret = exam_token.issuer_secret()
    try:
        tasks = [(t.name, t.exercise) for t in template.tasks]
        return [exam_token.issue(s, template.name, duration, clock(), secret, tasks) for s in students]
    except exam_token.TokenError as exc:
        raise ExamError(exc.text) from None


def refresh(exam: Exam, clock: Clock = time.time) -> Exam:
    """Note the present time; past the deadline of a template that refuses late work, finish."""
    exam.now(clock)
    if not exam.finished and exam.time_left(clock) <= 0 and exam.template.late == "refuse":
        finish(exam, clock, reason="time-up")
    else:
        exam.save()
    return exam


def submit(
    exam: Exam,
    tasks: list[str],
    grade: Callable[[str, Path], Report],
    clock: Clock = time.time,
) -> list[Attempt]:
    """Grade the named tasks' files (all when empty); every attempt is kept with its report."""
    refresh(exam, clock)
    if exam.finished:
        timed_out = exam.finish_reason == "time-up"
        raise ExamError(
            Text(
                f"the exam is over ({'time ran out' if timed_out else 'finished'}): no more submissions",
                f"시험이 끝났습니다 ({'시간 종료' if timed_out else '제출 완료'}): 더 제출할 수 없습니다",
            )
        )
    chosen = [exam.task(name) for name in tasks] if tasks else list(exam.template.tasks)
    attempts_dir = exam.folder / ".attempts"
    attempts_dir.mkdir(exist_ok=True)
    made = []
    for task in chosen:
        source = exam.folder / f"{task.name}.py"
        if not source.is_file():
            raise ExamError(
                Text(
                    f"{source.name} is missing from the workspace",
                    f"작업 폴더에 {with_particle(source.name, '이/가')} 없습니다",
                )
            )
        report = grade(task.exercise, source)
        with locked(exam.folder):  # another submit may have finished meanwhile: number after it
            exam._take_in_saved()
            at = exam.now(clock)
            saved = _new_report_file(attempts_dir, len(exam.attempts) + 1, task.name, report.dumps())
            attempt = Attempt(
                task=task.name,
                exercise=task.exercise,
                at=at,
                verdict=report.verdict,
                score=report.score,
                max_score=report.max_score,
                points=task.points_for(
                    report.score, report.max_score, report.verdict == "passed", certificate_steps(task, report)
                ),
                late=at > exam.deadline,
                report=saved.relative_to(exam.folder).as_posix(),
            )
            exam.attempts.append(attempt)
            exam._write()
        made.append(attempt)
    return made


def missing_datasets(template: Template) -> list[str]:
    """The datasets the template's model tasks need that this machine's data dir lacks (the files
    the grader makes itself are made when graded): said when the clock starts, not at the first submit."""
    from grader.data.registry import GENERATED, get_dataset
    from grader.data.store import data_dir_for, status

    missing: list[str] = []
    for task in template.tasks:
        contract = find_exercise(task.exercise).model
        if contract is None or contract.dataset in missing:
            continue
        dataset = get_dataset(contract.dataset)
        (state,) = status(data_dir_for(dataset), [dataset.name])
        absent = [f for f in dataset.files if state.files[f.path] == "missing"]
        if any(not f.origin.startswith(GENERATED) for f in absent):
            missing.append(dataset.name)
    return missing


def _points(weight: float) -> str:
    return "point" if weight == 1 else "points"


def certificate_steps(task: Task, report: Report) -> int | None:
    """The certificate's own 0-5 for the task, where its exercise states the formula and the model
    was scored; None leaves the points to the report's share (`Task.points_for`)."""
    contract = find_exercise(task.exercise).model
    value = report.model.value if report.model is not None else None
    if contract is None or contract.steps is None or value is None or report.verdict not in ("passed", "failed"):
        return None
    return contract.steps.of(float(value))


def _new_report_file(folder: Path, number: int, task: str, text: str) -> Path:
    """``NNN-taskK.json`` under a number no other attempt has (created exclusively)."""
    while True:
        path = folder / f"{number:03d}-{task}.json"
        try:
            with open(path, "x", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except FileExistsError:
            number += 1


def finish(exam: Exam, clock: Clock = time.time, reason: str = "finished") -> dict[str, Any]:
    """Freeze the exam and write its final report (JSON and a readable summary)."""
    if not exam.finished:
        exam.finished_at = min(exam.now(clock), exam.deadline) if reason == "time-up" else exam.now(clock)
        exam.finish_reason = reason
        exam.save()
    final = final_report(exam)
    (exam.folder / "final_report.json").write_text(json.dumps(final, indent=1, ensure_ascii=False), encoding="utf-8")
    (exam.folder / "final_report.md").write_text(summary_markdown(final), encoding="utf-8")
    return final


def final_report(exam: Exam) -> dict[str, Any]:
    tasks = []
    for task in exam.template.tasks:
        counted = exam.counted(task)
        tasks.append(
            {
                "task": task.name,
                "exercise": task.exercise,
                "weight": task.weight,
                "points": counted.points if counted else 0.0,
                "of_5": task.steps(counted.points) if counted else 0,  # the certificate's 0-5 scale
                "verdict": counted.verdict if counted else "not submitted",
                "attempts": sum(a.task == task.name for a in exam.attempts),
                "late": bool(counted and counted.late),
            }
        )
    end = exam.finished_at if exam.finished_at is not None else exam.last_seen
    return {
        "exam_id": exam.exam_id,
        "template": exam.template.name,
        "title": exam.template.title,
        "tasks": tasks,
        "total": round(exam.total(), 2),
        "max_total": exam.template.total,
        "pass_mark": exam.template.pass_mark,
        "passed": exam.passed,
        "time_used_s": round(end - exam.started_at, 1),
        "duration_s": exam.deadline - exam.started_at,
        "finish_reason": exam.finish_reason,
        "late_attempts": sum(a.late for a in exam.attempts),
    }


def summary_markdown(final: dict[str, Any]) -> str:
    minutes = final["time_used_s"] / 60
    verdict = Text("PASSED", "합격") if final["passed"] else Text("NOT PASSED", "불합격")
    lines = [
        f"# {final['title']}",
        "",
        f"**{final['total']:g} / {final['max_total']:g}** — {verdict.en} / {verdict.ko} "
        f"(pass mark {final['pass_mark']:.0%}); time used {minutes:.0f} min",
        "",
        "| task | exercise | points | 0-5 | verdict | attempts | late |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t in final["tasks"]:
        lines.append(
            f"| {t['task']} | {t['exercise']} | {t['points']:g}/{t['weight']:g} | {t.get('of_5', '')} | {t['verdict']} "
            f"| {t['attempts']} | {'yes' if t['late'] else ''} |"
        )
    return "\n".join(lines) + "\n"


def warnings_due(before_s: float, after_s: float) -> list[int]:
    """The minute marks (60, 15, 5) that time left crossed between two readings."""
    return [m for m in WARNINGS_MIN if after_s <= m * 60 < before_s]
