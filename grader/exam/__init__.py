"""Practice exams: a timed workspace, a tamper-evident state file, attempts and a final report.

    template.py  the tasks, weights, duration and rules (built in, or an instructor's TOML)
    state.py     the workspace's exam.json: its HMAC, its lock, reading it back whatever it holds
    session.py   start, issue, submit, refresh, finish, the final report
    token.py     instructor-issued start tokens (signed; the learner's state key comes from one)

What the CLI and bulk grading use is named here.
"""

from grader.exam.session import final_report, finish, issue, refresh, start, submit, summary_markdown, warnings_due
from grader.exam.state import STATE_FILE, Attempt, Exam, load, read_state
from grader.exam.template import (
    Clock,
    ExamError,
    ExamTampered,
    Task,
    Template,
    is_builtin_template,
    load_template,
    parse_duration,
)

__all__ = [
    "STATE_FILE",
    "Attempt",
    "Clock",
    "Exam",
    "ExamError",
    "ExamTampered",
    "Task",
    "Template",
    "final_report",
    "finish",
    "is_builtin_template",
    "issue",
    "load",
    "load_template",
    "parse_duration",
    "read_state",
    "refresh",
    "start",
    "submit",
    "summary_markdown",
    "warnings_due",
]
