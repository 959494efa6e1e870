"""An exam *issued* by an instructor: a start token signed with a key the learner never holds.

A practice exam started by the learner alone is signed with a key in the learner's own config
folder: that stops casual edits of ``exam.json`` and nothing more, since the learner can sign
a state of their choosing with the same key. An instructor who needs more issues each student
a token (``grade exam issue``) with a secret kept on the instructor's machine
(``GRADE_EXAM_ISSUER_SECRET``); the learner starts the exam from it (``grade exam start
--token``); ``grade bulk`` checks it when collecting.

What a verified token proves: this workspace belongs to an exam the instructor issued to this
student, for this template and duration, not before ``issued_at``, and no two students share
it. What it cannot prove: times recorded on the learner's machine (its clock and its state are
the learner's). The end of the exam is the moment the instructor collects the files.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from typing import Any

from grader.config import ISSUER_SECRET_ENV, settings
from grader.exam.template import TASK_NAME
from grader.text import Refusal, Text

TOKEN_VERSION = 2  # 2 signs the template's tasks too; a version 1 token (no tasks) is still read
CLOCK_SLACK_S = 300.0  # the learner's clock may run this far behind the instructor's
FIELDS_V1 = ("version", "exam_id", "student", "template", "duration_s", "issued_at")
# ``tasks``: "task1=exercise5,task2=exercise2", what each task is, as the instructor issued it: bulk
# grades by it, never by the learner's state (which the learner can re-sign with the token's key).
FIELDS = (*FIELDS_V1, "tasks")


class TokenError(Refusal, ValueError):
    """A token that is not in the shape ``issue`` writes, or cannot be issued here."""


def issuer_secret() -> str | None:
    return settings().issuer_secret


def _canonical(token: dict[str, Any]) -> bytes:
    fields = FIELDS if token["version"] == TOKEN_VERSION else FIELDS_V1
    return json.dumps({k: token[k] for k in fields}, sort_keys=True, ensure_ascii=False).encode()


def _signature(token: dict[str, Any], secret: str) -> str:
    return hmac.new(secret.encode(), _canonical(token), hashlib.sha256).hexdigest()


def issue(
    student: str,
    template: str,
    duration_s: float,
    issued_at: float,
    secret: str | None,
    tasks: list[tuple[str, str]],
) -> dict[str, Any]:
    """A signed token for ``student`` (NFC, as bulk compares ids) to start ``template``, whose
    tasks are ``tasks``, (task, exercise) pairs (read back with `task_list`)."""
    if not secret:
        raise TokenError(
            Text(
                f"issuing needs the instructor's secret in {ISSUER_SECRET_ENV} (never on learners' machines)",
                f"발급하려면 강사의 비밀값이 {ISSUER_SECRET_ENV}에 있어야 합니다 (학습자 컴퓨터에는 절대 두지 마세요)",
            )
        )
    token: dict[str, Any] = {
        "version": TOKEN_VERSION,
        "exam_id": secrets.token_hex(8),
        "student": unicodedata.normalize("NFC", student),
        "template": template,
        "duration_s": float(duration_s),
        "issued_at": float(issued_at),
        "tasks": ",".join(f"{name}={exercise}" for name, exercise in tasks),  # read back by `task_list`
    }
    token["signature"] = _signature(token, secret)
    return token


def _malformed(detail: str) -> Text:
    return Text(f"not a usable exam token: {detail}", f"쓸 수 있는 시험 토큰이 아닙니다: {detail}")


def checked(token: Any) -> dict[str, Any]:
    """``token`` if it has the shape ``issue`` gives, else a `TokenError` saying what is off."""
    kinds = {"version": int, "exam_id": str, "student": str, "template": str, "duration_s": float,
             "issued_at": float, "signature": str}  # fmt: skip
    if isinstance(token, dict) and token.get("version") == TOKEN_VERSION:
        kinds["tasks"] = str
    if not isinstance(token, dict) or set(token) != set(kinds):
        raise TokenError(_malformed("it does not hold the fields a token holds"))
    for key, kind in kinds.items():
        value = token[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            continue
        too_long = isinstance(value, str) and len(value) > (2000 if key == "tasks" else 200)
        if not isinstance(value, kind) or isinstance(value, bool) or too_long:
            raise TokenError(_malformed(f"its {key} is not a {kind.__name__}"))
    if token["version"] not in (1, TOKEN_VERSION) or token["duration_s"] <= 0:
        raise TokenError(_malformed("it is not one this grader issues"))
    if "tasks" in token:
        task_list(token)  # raises when it is not task names and known exercise ids
    return token


def task_list(token: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The (task, exercise) pairs the token was issued for; None for a version 1 token."""
    if "tasks" not in token:
        return None
    pairs = []
    for item in token["tasks"].split(","):
        name, _, exercise = item.partition("=")
        if not TASK_NAME.fullmatch(name) or not re.fullmatch(r"[a-z0-9_-]{1,40}", exercise):
            raise TokenError(_malformed(f"its tasks are not task names and exercises ({item[:40]!r})"))
        pairs.append((name, exercise))
    return pairs


def state_key(token: dict[str, Any]) -> bytes:
    """The key an issued exam's state is signed with: derived from the token, so the instructor
    can check the state on any machine (it stops casual edits; the token is the proof)."""
    return hashlib.sha256(b"tfcert-grader issued exam\0" + token["signature"].encode()).digest()


def verdict(token: dict[str, Any], student: str, exam_id: str, secret: str | None) -> str:
    """What a collected token says for ``student``'s workspace whose state names ``exam_id``:
    ``verified``, ``forged``, ``issued to NAME``, ``another exam`` or ``unverifiable``."""
    if secret is None:
        return "unverifiable"
    said = token["signature"].encode("utf-8", "surrogatepass")  # compare_digest refuses non-ASCII text
    if not hmac.compare_digest(said, _signature(token, secret).encode()):
        return "forged"
    if unicodedata.normalize("NFC", token["student"]) != unicodedata.normalize("NFC", student):
        return f"issued to {token['student']}"
    if token["exam_id"] != exam_id:
        return "another exam"
    return "verified"
