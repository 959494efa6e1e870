"""Practice exams: a timed workspace, a tamper-evident state file, attempts and a final report.

A workspace holds one starter file per task (``task1.py``…), ``TASKS.md`` (every statement)
and ``exam.json``, the state: template, start, deadline, attempts. Time is wall-clock time from
the recorded start, so it survives a closed shell or a reboot; the state also remembers the
latest time it has seen, so a clock moved backwards gives no extra time.

``exam.json`` carries an HMAC-SHA256 over its content. The key lives outside the workspace:
derived from ``GRADE_EXAM_SECRET`` where an instructor sets one (then collected workspaces can
be verified on another machine), else a random key in the user's config folder. An edited
state (more time, a better score) no longer matches and is reported as tampered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from grader import exam_token
from grader.config import EXAM_SECRET_ENV, settings
from grader.exercise import UnknownExercise, find_exercise
from grader.report import Report
from grader.text import Lang, Text

STATE_FILE = "exam.json"
LOCK_FILE = ".exam.lock"  # held while the state is read, changed and written
STATE_VERSION = 1
TEMPLATES_DIR = Path(__file__).resolve().parent / "exam_templates"
WARNINGS_MIN = (60, 15, 5)

Clock = Callable[[], float]
LatePolicy = Literal["refuse", "mark"]
Counts = Literal["best", "last"]


class ExamError(ValueError):
    """A request the exam cannot take (no workspace, an unknown task, the exam is over)."""


class ExamTampered(ExamError):
    """The state file does not match its HMAC: it was edited outside the grader."""


@dataclass(frozen=True)
class Task:
    name: str  # task1, task2, ... (the file is <name>.py)
    exercise: str  # an exercise id
    weight: float  # the points this task is worth (the certificate: 5)


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
        raise ExamError(f"cannot read the duration {text!r} (write e.g. 5h, 90m or 1h30m)")
    h, m, s = (int(g or 0) for g in parts.groups())
    return float(h * 3600 + m * 60 + s)


def load_template(name_or_path: str) -> Template:
    """A built-in template by name (``cert``, ``functions``) or an instructor's TOML file."""
    path = Path(name_or_path)
    if not path.is_file():
        path = TEMPLATES_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in TEMPLATES_DIR.glob("*.toml")))
        raise ExamError(f"no exam template {name_or_path!r} (built in: {known}; or give a .toml file)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExamError(f"{path}: {exc}") from None
    tasks = []
    for i, raw in enumerate(data.get("tasks", []), start=1):
        try:
            exercise = find_exercise(str(raw["exercise"])).id
        except (KeyError, UnknownExercise) as exc:
            raise ExamError(f"{path}: task {i}: {exc}") from None
        tasks.append(Task(f"task{i}", exercise, float(raw.get("weight", 5))))
    if not tasks:
        raise ExamError(f"{path}: a template needs at least one [[tasks]] entry")
    late, counts = data.get("late", "refuse"), data.get("counts", "best")
    if late not in ("refuse", "mark") or counts not in ("best", "last"):
        raise ExamError(f"{path}: late must be refuse|mark and counts best|last")
    pass_mark = float(data.get("pass_mark", 0.9))
    if not 0 < pass_mark <= 1:
        raise ExamError(f"{path}: pass_mark {pass_mark} must be in (0, 1]")
    return Template(
        name=str(data.get("name", path.stem)),
        title=str(data.get("title", path.stem)),
        duration_s=parse_duration(str(data.get("duration", "5h"))),
        pass_mark=pass_mark,
        late=late,
        counts=counts,
        tasks=tuple(tasks),
    )


# --- the state and its HMAC --------------------------------------------------------------


def _config_dir() -> Path:
    return settings().config_dir / "exam-keys"


def _key(exam_id: str, create: bool = False) -> bytes:
    secret = settings().exam_secret
    if secret:
        return hmac.new(secret.encode(), exam_id.encode(), hashlib.sha256).digest()
    path = _config_dir() / f"{exam_id}.key"
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ExamTampered(
            f"no key for exam {exam_id} on this machine ({path}); the state cannot be verified "
            f"(an instructor verifying collected exams sets {EXAM_SECRET_ENV})"
        ) from None


def _canonical(state: dict[str, Any]) -> bytes:
    return json.dumps({k: v for k, v in state.items() if k != "hmac"}, sort_keys=True, ensure_ascii=False).encode()


def _sign(state: dict[str, Any]) -> str:
    issued = state.get("issued")  # an issued exam's key comes from its token (`grader.exam_token`)
    key = exam_token.state_key(issued) if isinstance(issued, dict) else _key(state["exam_id"])
    return hmac.new(key, _canonical(state), hashlib.sha256).hexdigest()


@dataclass
class Attempt:
    task: str
    exercise: str
    at: float
    verdict: str
    score: float
    max_score: float
    points: float  # on the task's scale (weight)
    late: bool
    report: str  # the saved report, relative to the workspace


@dataclass
class Exam:
    folder: Path
    exam_id: str
    template: Template
    started_at: float
    deadline: float
    last_seen: float
    attempts: list[Attempt] = field(default_factory=list)
    finished_at: float | None = None
    finish_reason: str | None = None
    issued: dict[str, Any] | None = None  # the instructor's token, for an issued exam

    # -- time --
    def now(self, clock: Clock) -> float:
        """The exam's present: never earlier than a time it has already seen."""
        self.last_seen = max(self.last_seen, clock())
        return self.last_seen

    def time_left(self, clock: Clock) -> float:
        return max(0.0, self.deadline - self.now(clock))

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    # -- scores --
    def task(self, name: str) -> Task:
        for task in self.template.tasks:
            if task.name == name:
                return task
        raise ExamError(f"no task {name!r} (tasks: {', '.join(t.name for t in self.template.tasks)})")

    def counted(self, task: Task) -> Attempt | None:
        """The attempt that counts for ``task``: its best or its last, as the template says."""
        mine = [a for a in self.attempts if a.task == task.name]
        if not mine:
            return None
        return mine[-1] if self.template.counts == "last" else max(mine, key=lambda a: (a.points, -a.at))

    def total(self) -> float:
        return sum(a.points for t in self.template.tasks if (a := self.counted(t)) is not None)

    @property
    def passed(self) -> bool:
        return self.total() >= self.template.pass_mark * self.template.total - 1e-9

    # -- storage --
    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "exam_id": self.exam_id,
            "template": asdict(self.template),
            "started_at": self.started_at,
            "deadline": self.deadline,
            "last_seen": self.last_seen,
            "attempts": [asdict(a) for a in self.attempts],
            "finished_at": self.finished_at,
            "finish_reason": self.finish_reason,
            **({"issued": self.issued} if self.issued is not None else {}),
        }

    def save(self) -> None:
        """Write the state, with what other grade processes saved meanwhile taken in first."""
        with _locked(self.folder):
            self._take_in_saved()
            self._write()

    def _take_in_saved(self) -> None:
        """Merge the state on disk into this one (call with the lock held): another ``grade exam
        submit`` may have added attempts since this process read it. Attempts are told apart by
        their report file, which is unique."""
        if not (self.folder / STATE_FILE).exists():
            return
        saved = load(self.folder)
        known = {a.report for a in self.attempts}
        self.attempts = sorted([*self.attempts, *(a for a in saved.attempts if a.report not in known)], key=_when)
        self.last_seen = max(self.last_seen, saved.last_seen)
        if self.finished_at is None and saved.finished_at is not None:
            self.finished_at, self.finish_reason = saved.finished_at, saved.finish_reason

    def _write(self) -> None:
        state = self.to_json()
        state["hmac"] = _sign(state)
        tmp = self.folder / (STATE_FILE + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(state, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.folder / STATE_FILE)  # a crash mid-write never leaves half a state


def _when(attempt: Attempt) -> tuple[float, str]:
    return attempt.at, attempt.report


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Exclusive use of a workspace's state among grade processes (two submits at once). Where
    there is no ``flock`` (Windows), writes are still atomic, but not serialised."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(folder / LOCK_FILE, "a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except OSError:  # a filesystem without locks (some network mounts): atomic writes still hold
            yield
            return
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


TASK_NAME = re.compile(r"task[1-9][0-9]{0,2}")  # what `load_template` names tasks; never a path
EXAM_ID = re.compile(r"[0-9a-f]{16}")  # `start`'s secrets.token_hex(8); it names the key file


class _Malformed(ExamError):
    pass


def _field(data: dict[str, Any], key: str, check: Callable[[Any], bool], what: str, where: str = "") -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, dict) or key not in data or not check(value):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise _Malformed(f"the exam state's {where}{key} should be {what}, not {shown}")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value and abs(value) < 1e12


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 1000


def _parse(folder: Path, state: Any) -> Exam:
    """An `Exam` from a state as read from disk, every field checked for its type first: a state
    edited by hand (or by a learner) is a clear `ExamError`, never a crash further on."""
    if not isinstance(state, dict):
        raise _Malformed(f"the exam state should be a JSON object, not {type(state).__name__}")
    _field(state, "version", lambda v: v == STATE_VERSION, f"{STATE_VERSION} (this grader's state format)")
    exam_id = _field(state, "exam_id", lambda v: isinstance(v, str) and EXAM_ID.fullmatch(v), "a 16-digit hex id")
    raw = _field(state, "template", lambda v: isinstance(v, dict), "an object (name, title, tasks, ...)")
    tasks = []
    for i, task in enumerate(
        _field(raw, "tasks", lambda v: isinstance(v, list) and v, "a list of tasks", "template's ")
    ):
        where = f"template's task {i + 1} "
        name = _field(task, "name", _text, "text", where)
        if not TASK_NAME.fullmatch(name):
            raise _Malformed(f"the exam state names a task {name[:60]!r}, not a plain task name (task1, task2, ...)")
        exercise = _field(task, "exercise", _text, "an exercise id", where)
        try:
            exercise = find_exercise(exercise).id
        except UnknownExercise:
            raise _Malformed(f"the exam state's {where}names an unknown exercise {exercise[:60]!r}") from None
        tasks.append(Task(name, exercise, float(_field(task, "weight", _number, "a number", where))))
    template = Template(
        name=_field(raw, "name", _text, "text", "template's "),
        title=_field(raw, "title", _text, "text", "template's "),
        duration_s=float(_field(raw, "duration_s", _number, "a number of seconds", "template's ")),
        pass_mark=float(_field(raw, "pass_mark", _number, "a fraction", "template's ")),
        late=_field(raw, "late", lambda v: v in ("refuse", "mark"), "refuse or mark", "template's "),
        counts=_field(raw, "counts", lambda v: v in ("best", "last"), "best or last", "template's "),
        tasks=tuple(tasks),
    )
    attempts = []
    for i, a in enumerate(_field(state, "attempts", lambda v: isinstance(v, list), "a list of attempts")):
        where = f"attempt {i + 1}'s "
        attempts.append(
            Attempt(
                task=_field(a, "task", _text, "text", where),
                exercise=_field(a, "exercise", _text, "text", where),
                at=_field(a, "at", _number, "a time in seconds", where),
                verdict=_field(a, "verdict", _text, "text", where),
                score=_field(a, "score", _number, "a number", where),
                max_score=_field(a, "max_score", _number, "a number", where),
                points=_field(a, "points", _number, "a number", where),
                late=_field(a, "late", lambda v: isinstance(v, bool), "true or false", where),
                report=_field(a, "report", _text, "a file name", where),
            )
        )
    return Exam(
        folder=folder,
        exam_id=exam_id,
        template=template,
        started_at=_field(state, "started_at", _number, "a time in seconds"),
        deadline=_field(state, "deadline", _number, "a time in seconds"),
        last_seen=_field(state, "last_seen", _number, "a time in seconds"),
        attempts=attempts,
        finished_at=_field(state, "finished_at", lambda v: v is None or _number(v), "a time in seconds or null"),
        finish_reason=_field(state, "finish_reason", lambda v: v is None or _text(v), "text or null"),
        issued=_issued(state, exam_id),
    )


def _issued(state: dict[str, Any], exam_id: str) -> dict[str, Any] | None:
    if "issued" not in state:
        return None
    try:
        token = exam_token.checked(state["issued"])
    except exam_token.TokenError as exc:
        raise _Malformed(f"the exam state's issued token is malformed ({exc})") from None
    if token["exam_id"] != exam_id:
        raise _Malformed("the exam state's issued token names another exam")
    return token


def _read_json(folder: Path) -> Any:
    path = folder / STATE_FILE
    if not path.is_file():
        raise ExamError(f"no exam in {folder} (no {STATE_FILE}); start one with: grade exam start --dir {folder}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExamTampered(f"{path} is not a readable exam state ({exc})") from None


def read_state(folder: Path) -> Exam:
    """The workspace's state, its shape checked but not its signature (bulk reads its task list
    here, and checks the signature where the key is)."""
    return _parse(folder, _read_json(folder))


def load(folder: Path) -> Exam:
    """The workspace's state, checked for its shape and then its signature."""
    state = _read_json(folder)
    exam = _parse(folder, state)
    if not hmac.compare_digest(str(state.get("hmac", "")), _sign(state)):
        raise ExamTampered(
            f"{folder / STATE_FILE} was changed outside the grader (its signature does not match): "
            "the exam's time and scores can no longer be trusted"
        )
    return exam


# --- what a learner does ---------------------------------------------------------------


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
        raise ExamError(f"{folder} already holds an exam; pick another --dir")
    folder.mkdir(parents=True, exist_ok=True)
    statements = [f"# {template.title}", ""]
    for task in template.tasks:
        exercise = find_exercise(task.exercise)
        target = folder / f"{task.name}.py"
        if not target.exists():
            target.write_text(exercise.starter(lang), encoding="utf-8")
        statements += [
            f"## {task.name} · {exercise.title(lang)} ({task.weight:g} points / 점)",
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
        _key(exam.exam_id, create=True)
    exam.save()
    return exam


def _token_for(template: Template, token: Any) -> dict[str, Any]:
    """The token, if it is well formed and issued for ``template``."""
    try:
        token = exam_token.checked(token)
    except exam_token.TokenError as exc:
        raise ExamError(str(exc)) from None
    if token["template"] != template.name:
        raise ExamError(
            f"the token was issued for the template {token['template']!r}, not {template.name!r}: "
            f"start with --template {token['template']}"
        )
    return token


def issue(students: list[str], template: Template, *, clock: Clock = time.time, duration_s: float | None = None):
    """``grade exam issue``: one signed start token per student (the instructor's side)."""
    duration = duration_s if duration_s is not None else template.duration_s
    secret = exam_token.issuer_secret()
    try:
        return [exam_token.issue(s, template.name, duration, clock(), secret) for s in students]
    except exam_token.TokenError as exc:
        raise ExamError(str(exc)) from None


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
        raise ExamError(
            "the exam is over ("
            + ("time ran out" if exam.finish_reason == "time-up" else "finished")
            + "): no more submissions"
        )
    chosen = [exam.task(name) for name in tasks] if tasks else list(exam.template.tasks)
    attempts_dir = exam.folder / ".attempts"
    attempts_dir.mkdir(exist_ok=True)
    made = []
    for task in chosen:
        source = exam.folder / f"{task.name}.py"
        if not source.is_file():
            raise ExamError(f"{source.name} is missing from the workspace")
        report = grade(task.exercise, source)
        with _locked(exam.folder):  # another submit may have finished meanwhile: number after it
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
                points=round(task.weight * report.score / report.max_score, 2) if report.max_score else 0.0,
                late=at > exam.deadline,
                report=saved.relative_to(exam.folder).as_posix(),
            )
            exam.attempts.append(attempt)
            exam._write()
        made.append(attempt)
    return made


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
        "| task | exercise | points | verdict | attempts | late |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for t in final["tasks"]:
        lines.append(
            f"| {t['task']} | {t['exercise']} | {t['points']:g}/{t['weight']:g} | {t['verdict']} "
            f"| {t['attempts']} | {'yes' if t['late'] else ''} |"
        )
    return "\n".join(lines) + "\n"


def warnings_due(before_s: float, after_s: float) -> list[int]:
    """The minute marks (60, 15, 5) that time left crossed between two readings."""
    return [m for m in WARNINGS_MIN if after_s <= m * 60 < before_s]
