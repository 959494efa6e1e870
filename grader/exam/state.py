"""An exam's state: the workspace's ``exam.json``, its HMAC, its lock, and reading it back.

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grader.config import EXAM_SECRET_ENV, settings
from grader.exam import token as exam_token
from grader.exam.template import TASK_NAME, Clock, ExamError, ExamTampered, Task, Template
from grader.exercise import UnknownExercise, find_exercise
from grader.sandbox import wire
from grader.text import Text, with_particle

STATE_FILE = "exam.json"
LOCK_FILE = ".exam.lock"  # held while the state is read, changed and written
STATE_VERSION = 1
STATE_LIMIT = 4 * 2**20  # a state holds a template and its attempts: kilobytes


def _config_dir() -> Path:
    return settings().config_dir / "exam-keys"


def exam_key(exam_id: str, create: bool = False) -> bytes:
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
            Text(
                f"no key for exam {exam_id} on this machine ({path}); the state cannot be verified "
                f"(an instructor verifying collected exams sets {EXAM_SECRET_ENV})",
                f"이 컴퓨터에 시험 {exam_id}의 키가 없어 ({path}) 상태를 확인할 수 없습니다 "
                f"(걷은 시험을 확인하는 강사는 {EXAM_SECRET_ENV}를 설정합니다)",
            )
        ) from None


def _canonical(state: dict[str, Any]) -> bytes:
    return json.dumps({k: v for k, v in state.items() if k != "hmac"}, sort_keys=True, ensure_ascii=False).encode()


def _sign(state: dict[str, Any]) -> str:
    issued = state.get("issued")  # an issued exam's key comes from its token (`grader.exam_token`)
    key = exam_token.state_key(issued) if isinstance(issued, dict) else exam_key(state["exam_id"])
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
        names = ", ".join(t.name for t in self.template.tasks)
        raise ExamError(
            Text(
                f"no task {name!r} (tasks: {names})",
                f"과제 {with_particle(repr(name), '이/가')} 없습니다 (과제: {names})",
            )
        )

    def counted(self, task: Task) -> Attempt | None:
        """The attempt that counts for ``task``: its best or its last, as the template says."""
        mine = [a for a in self.attempts if a.task == task.name]
        if not mine:
            return None
        best = max(mine, key=lambda a: (a.points, a.verdict == "passed", -a.at))
        return mine[-1] if self.template.counts == "last" else best

    def total(self) -> float:
        return sum(a.points for t in self.template.tasks if (a := self.counted(t)) is not None)

    @property
    def passed(self) -> bool:
        """The total reaches the pass mark, and at least one task passed: an exam whose every
        task missed its target is never passed, whatever pass mark a template sets (each such
        task keeps at most 4 of 5: `Task.points_for`)."""
        counted = [a for t in self.template.tasks if (a := self.counted(t)) is not None]
        reached = self.total() >= self.template.pass_mark * self.template.total - 1e-9
        return reached and any(a.verdict == "passed" for a in counted)

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
        with locked(self.folder):
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
def locked(folder: Path) -> Iterator[None]:
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


EXAM_ID = re.compile(r"[0-9a-f]{16}")  # `start`'s secrets.token_hex(8); it names the key file


class _Malformed(ExamError):
    """A state whose shape is off; ``detail`` names the field, in the file's own terms."""

    def __init__(self, detail: str) -> None:
        super().__init__(Text(detail, f"시험 상태 파일의 형식이 맞지 않습니다: {detail}"))


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
        raise ExamError(
            Text(
                f"no exam in {folder} (no {STATE_FILE}); start one with: grade exam start --dir {folder}",
                f"{folder}에 시험이 없습니다 ({STATE_FILE} 없음); 시작하려면: grade exam start --dir {folder}",
            )
        )
    try:  # the learner's to write: one bounded reader, no link followed (grader.sandbox.wire)
        return wire.parse_json(wire.read_plain_file(path, STATE_LIMIT), STATE_FILE)
    except wire.WireError as exc:
        raise ExamTampered(
            Text(f"{path} is not a readable exam state ({exc})", f"{path}은 읽을 수 있는 시험 상태가 아닙니다 ({exc})")
        ) from None


def read_state(folder: Path) -> Exam:
    """The workspace's state, its shape checked but not its signature (bulk reads its task list
    here, and checks the signature where the key is)."""
    return _parse(folder, _read_json(folder))


def load(folder: Path) -> Exam:
    """The workspace's state, checked for its shape and then its signature."""
    state = _read_json(folder)
    exam = _parse(folder, state)
    said = str(state.get("hmac", "")).encode("utf-8", "surrogatepass")  # any text a learner wrote: compared as bytes
    if not hmac.compare_digest(said, _sign(state).encode()):
        raise ExamTampered(
            Text(
                f"{folder / STATE_FILE} was changed outside the grader (its signature does not match): "
                "the exam's time and scores can no longer be trusted",
                f"{folder / STATE_FILE}이 채점기 밖에서 바뀌었습니다 (서명이 맞지 않음): "
                "시험 시간과 점수를 더는 믿을 수 없습니다",
            )
        )
    return exam
