"""The results store of a bulk grading: one SQLite file in the output folder.

A result is written in one transaction when its grading finishes, keyed by student, exercise,
the submission's sha256 and the grader version; a re-run skips every key already there, so a
batch killed at any point (even by SIGKILL) loses no finished result and grades nothing twice.
A result graded under other function names (a manifest's ``function`` column changed since) is
not skipped: it is graded again, and replaces the one before.
Only the driver process writes (workers hand their reports back as JSON text).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from grader.bulk.collect import Collected, Problem
from grader.bulk.entries import exercise_id
from grader.report import Report
from grader.text import Text

DB_NAME = "results.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    student TEXT NOT NULL,
    exercise TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    runner TEXT NOT NULL,
    verdict TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    report TEXT NOT NULL,
    path TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL NOT NULL,
    seconds REAL NOT NULL,
    worker TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (student, exercise, sha256, grader_version)
);
CREATE TABLE IF NOT EXISTS problems (student TEXT, exercise TEXT, path TEXT, reason TEXT, reason_ko TEXT);
CREATE TABLE IF NOT EXISTS roster (student TEXT PRIMARY KEY);
-- The code of each graded file, as similarity compares it (grader.bulk.similarity.code_of), so
-- the class page is re-made from the store alone; keyed by content, so a class shares one copy.
CREATE TABLE IF NOT EXISTS sources (sha256 TEXT PRIMARY KEY, code TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exams (
    student TEXT PRIMARY KEY, template TEXT, state TEXT, started_at REAL, deadline REAL, finished_at REAL,
    finish_reason TEXT, time_used_s REAL, attempts INTEGER, late_attempts INTEGER, self_total REAL,
    issued TEXT, issued_at REAL
);
"""


@dataclass(frozen=True)
class StoredResult:
    student: str
    exercise: str
    sha256: str
    verdict: str
    score: float
    max_score: float
    seconds: float
    worker: str
    report: Report
    aliases: str = ""  # the function names it was graded under (``split_x=make_windows``; '' for none)


class ResultStore:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / DB_NAME
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)  # explicit transactions
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # a finished result survives a power cut too
        self.db.executescript(SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(problems)")}
        if "reason_ko" not in columns:  # a store from before the reasons were bilingual
            self.db.execute("ALTER TABLE problems ADD COLUMN reason_ko TEXT")
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(results)")}
        if "aliases" not in columns:  # a store from before a manifest could name functions
            self.db.execute("ALTER TABLE results ADD COLUMN aliases TEXT NOT NULL DEFAULT ''")
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(exams)")}
        for column, kind in (("issued", "TEXT"), ("issued_at", "REAL")):  # a store from before issued exams
            if column not in columns:
                self.db.execute(f"ALTER TABLE exams ADD COLUMN {column} {kind}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has(self, student: str, exercise: str, sha256: str, grader_version: str, aliases: str = "") -> bool:
        """Whether this file was graded by this version already, under the same function names."""
        row = self.db.execute(
            "SELECT 1 FROM results WHERE student=? AND exercise=? AND sha256=? AND grader_version=? AND aliases=?",
            (student, exercise, sha256, grader_version, aliases),
        ).fetchone()
        return row is not None

    def record_collection(self, collected: Collected) -> None:
        """What this run found that cannot be graded, and the roster; replaces the last run's."""
        with self._transaction():
            self.db.execute("DELETE FROM problems")
            self.db.executemany(
                "INSERT INTO problems (student, exercise, path, reason, reason_ko) VALUES (?, ?, ?, ?, ?)",
                [(p.student, p.exercise, p.path, p.reason.en, p.reason.ko) for p in collected.problems],
            )
            self.db.executemany("INSERT OR IGNORE INTO roster VALUES (?)", [(s,) for s in collected.roster])

    def add(
        self,
        student: str,
        path: str,
        report: Report,
        started_at: float,
        worker: str,
        aliases: str = "",
        code: str | None = None,
    ) -> None:
        finished = time.time()
        with self._transaction():
            if code is not None:
                self.db.execute("INSERT OR IGNORE INTO sources VALUES (?, ?)", (report.submission_sha256, code))
            self.db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    student,
                    report.exercise,
                    report.submission_sha256,
                    report.grader_version,
                    report.runner,
                    report.verdict,
                    report.score,
                    report.max_score,
                    report.dumps(),
                    path,
                    started_at,
                    finished,
                    finished - started_at,
                    worker,
                    aliases,
                ),
            )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write, all or nothing: a kill in the middle leaves the store as it was."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def latest(self) -> Iterator[StoredResult]:
        """The newest result per student and exercise (an edited resubmission replaces the old)."""
        rows = self.db.execute(
            "SELECT student, exercise, sha256, verdict, score, max_score, seconds, worker, report, aliases "
            "FROM results ORDER BY finished_at"
        ).fetchall()
        newest: dict[tuple[str, str], tuple] = {}
        for row in rows:
            newest[(row[0], row[1])] = row
        for row in sorted(newest.values(), key=lambda r: (r[0], r[1])):
            yield StoredResult(*row[:8], report=Report.from_json(json.loads(row[8])), aliases=row[9])

    def code(self, sha256: str) -> str | None:
        """The code of a graded file, or None where it was not kept (graded before it was)."""
        row = self.db.execute("SELECT code FROM sources WHERE sha256=?", (sha256,)).fetchone()
        return None if row is None else row[0]

    def secret(self, key: str) -> str:
        """A random value kept with this class (pseudonyms are keyed on it), made on first use."""
        import secrets

        with self._transaction():
            self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, secrets.token_hex(16)))
        return self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()[0]

    def record_exam(self, student: str, info: dict) -> None:
        """What a collected exam workspace's state says: verified, tampered or unverifiable."""
        columns = ("template", "state", "started_at", "deadline", "finished_at", "finish_reason", "time_used_s",
                   "attempts", "late_attempts", "self_total", "issued", "issued_at")  # fmt: skip
        with self._transaction():
            self.db.execute(
                f"INSERT OR REPLACE INTO exams (student, {', '.join(columns)}) "
                f"VALUES (?, {', '.join('?' for _ in columns)})",
                (student, *(info.get(c) for c in columns)),
            )

    def exams(self) -> list[dict]:
        cursor = self.db.execute("SELECT * FROM exams ORDER BY student")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def problems(self) -> list[Problem]:
        rows = self.db.execute(
            "SELECT student, exercise, path, reason, reason_ko FROM problems ORDER BY student, exercise"
        )
        return [Problem(student, exercise, path, Text(en, ko or en)) for student, exercise, path, en, ko in rows]

    def students(self, results: list[StoredResult]) -> list[str]:
        """The class: the roster first, then whoever handed something in, graded or not (a file
        for an exercise that could not be graded counts; one that names no exercise does not)."""
        found = [p.student for p in self.problems() if exercise_id(p.exercise) is not None]
        return list(dict.fromkeys([*self.roster(), *(r.student for r in results), *found]))

    def roster(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT student FROM roster ORDER BY rowid")]
