"""Judging a function exercise from data: plan the checks (fresh hidden inputs), then hand
each check what its calls returned. Trusted side only; `grader.grading.functions` runs it.
"""

from __future__ import annotations

import ast
import difflib
import inspect
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.check import Call, Check, CheckFailed, Plan
from grader.exercise import Exercise, parse_submission
from grader.report import CheckResult
from grader.runner.calls import ChildRecords
from grader.sandbox.protocol import PARAMETER_KINDS
from grader.text import EMPTY, Text, with_particle

_PARAMETER_KINDS = {name: getattr(inspect.Parameter, name) for name in PARAMETER_KINDS}


class GraderBug(RuntimeError):
    """A check misbehaved; the report names it as ours, never as the learner's."""


@dataclass
class PlannedCheck:
    check: Check
    plan: Plan
    calls: list[Call]
    call_ids: list[int]


def plan_checks(checks: tuple[Check, ...], seed: int) -> tuple[list[PlannedCheck], list[Call]]:
    """Run every check up to its first ``yield``: that gives the calls, with fresh hidden inputs."""
    planned: list[PlannedCheck] = []
    calls: list[Call] = []
    # One independent stream per check: adding a check never changes another's inputs.
    for chk, child in zip(checks, np.random.SeedSequence(seed).spawn(len(checks)), strict=True):
        gen = chk.plan(np.random.default_rng(child))
        try:
            wanted = list(next(gen))
        except StopIteration:
            raise GraderBug(f"check {chk.name!r} yields no calls") from None
        ids = list(range(len(calls), len(calls) + len(wanted)))
        calls.extend(wanted)
        planned.append(PlannedCheck(chk, gen, wanted, ids))
    return planned, calls


def _signature_problem(contract_sig: inspect.Signature, params: list[dict[str, Any]] | None) -> str | None:
    """Why calls written against the contract would not bind to the learner's function, if so."""
    if params is None:  # no introspectable signature: the calls themselves will tell
        return None
    try:
        submitted = inspect.Signature(
            [
                inspect.Parameter(
                    p["name"],
                    _PARAMETER_KINDS[p["kind"]],
                    default=None if p["has_default"] else inspect.Parameter.empty,
                )
                for p in params
            ]
        )
    except (ValueError, TypeError, IndexError):  # not a signature Python makes (names, order): the calls tell
        return None
    required = [p for p in contract_sig.parameters.values() if p.default is p.empty]
    optional = [p for p in contract_sig.parameters.values() if p.default is not p.empty]
    positional = [None] * len(required)
    try:
        submitted.bind(*positional)  # optional parameters need defaults
        submitted.bind(*positional, **{p.name: None for p in optional})  # and their exact names
    except TypeError as exc:
        return str(exc)
    return None


def judge_contract(
    exercise: Exercise,
    functions: dict[str, dict[str, Any]],
    read_source: Callable[[], str] = str,
    file_name: str = "FILE",
    aliases: Mapping[str, str] | None = None,
) -> dict[str, Text]:
    """Per function name, what is wrong with it: missing, not callable, or a wrong signature.
    For a missing one, the file's source (``read_source()``, read as a syntax tree, never run)
    tells what it does define, so the message can name it and the command that grades it under an alias.
    A suggestion never names a function graded already (one with a required name, or one of
    ``aliases``, the file's names given with --function, which its command keeps)."""
    problems: dict[str, Text] = {}
    absent = [c for c in exercise.functions if not functions.get(c.name, {}).get("present")]
    source = read_source() if absent else ""
    aliases = dict(aliases or {})
    guesses = _guess_aliases(exercise, absent, source, aliases.values())
    for contract in exercise.functions:
        info = functions.get(contract.name, {"present": False})
        if not info.get("present"):
            problems[contract.name] = _missing(contract.name, contract.signature, source, guesses)
        elif not info.get("callable"):
            problems[contract.name] = Text(
                f"{contract.name} is defined but is not a function (expected: def {contract.signature})",
                f"{with_particle(contract.name, '이/가')} 정의되어 있지만 함수가 아닙니다 "
                f"(기대: def {contract.signature})",
            )
        else:
            why = _signature_problem(contract.parameters, info.get("parameters"))
            if why:
                problems[contract.name] = Text(
                    f"{contract.name} has the wrong signature ({why}); expected def {contract.signature}",
                    f"{contract.name}의 시그니처가 다릅니다 ({why}); 기대: def {contract.signature}",
                )
    if guesses:  # one command for all of them, said once, after the last
        last = [c.name for c in absent if c.name in problems][-1]
        mapped = {**aliases, **guesses}
        command = f"grade {exercise.id} {file_name} " + " ".join(f"--function {n}={y}" for n, y in mapped.items())
        problems[last] = problems[last] + Text(
            f" To grade {'them' if len(guesses) > 1 else 'it'} under the exercise's names: {command}",
            f" 문제의 이름으로 채점하려면: {command}",
        )
    return problems


def _defined(source: str) -> tuple[list[ast.FunctionDef], list[str], bool]:
    """The file's top-level functions, the names defined under ``if __name__ == "__main__":``,
    and whether it holds any code at all."""
    tree = parse_submission(source)
    if tree is None:
        return [], [], bool(source.strip())
    top: list[ast.FunctionDef] = []
    guarded: list[str] = []

    def is_main_guard(node: ast.stmt) -> bool:
        return (
            isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) and "__name__" in ast.unparse(node.test)
        )

    def visit(body: list[ast.stmt], under_guard: bool) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                (guarded.append(node.name) if under_guard else top.append(node))  # type: ignore[func-returns-value]
            elif isinstance(node, ast.If):
                visit(node.body, under_guard or is_main_guard(node))
                visit(node.orelse, under_guard)
            elif isinstance(node, ast.Try):
                visit(node.body, under_guard)

    visit(tree.body, False)
    code = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return top, guarded, bool(code)


def _guess_aliases(exercise: Exercise, absent: list, source: str, aliased: Collection[str] = ()) -> dict[str, str]:
    """For each missing function, the file's function that is most likely it under another name,
    each used once: the closest names first (``make_xy`` for ``split_xy``), then one taking as
    many arguments; what the one command that grades them all maps. Only a function the exercise's
    calls can call is named (``split_data(dataset)`` is no ``split_xy(seq, size)``)."""
    top, _, _ = _defined(source)
    graded = {c.name.casefold() for c in exercise.functions} | {name.casefold() for name in aliased}
    free = [f for f in top if f.name.casefold() not in graded]  # never one required function as another
    scored = []
    for contract in absent:
        wanted = len(contract.parameters.parameters)
        required = sum(p.default is p.empty for p in contract.parameters.parameters.values())
        for f in free:
            positional = len(f.args.posonlyargs) + len(f.args.args)
            if positional - len(f.args.defaults) > required or (positional < wanted and f.args.vararg is None):
                continue  # the exercise's calls would not bind to it
            ratio = difflib.SequenceMatcher(None, contract.name, f.name).ratio()
            fits = positional == wanted
            if ratio >= 0.5 or fits:
                scored.append((ratio + (0.25 if fits else 0.0), contract.name, f.name))
    guesses: dict[str, str] = {}
    for _, name, yours in sorted(scored, reverse=True):
        if name not in guesses and yours not in guesses.values():
            guesses[name] = yours
    return {c.name: guesses[c.name] for c in absent if c.name in guesses}


def _missing(name: str, signature: str, source: str, guesses: dict[str, str]) -> Text:
    """Why ``name`` is not there, what the file defines instead, and which of its functions looks
    like it (``guesses``; `judge_contract` adds the command that grades them so)."""
    top, guarded, has_code = _defined(source)
    expected = Text(f" (expected: def {signature})", f" (기대: def {signature})")
    if not has_code:
        return Text(
            f"Your file is empty (no code, only comments or nothing): write def {signature}: and grade it again",
            f"파일이 비어 있습니다 (주석뿐이거나 아무것도 없음): def {signature}:부터 작성한 뒤 다시 채점하세요",
        )
    if name in guarded:
        return Text(
            f'{name} is defined under `if __name__ == "__main__":`, which does not run when the grader imports '
            "your file: move the def to the top level (no indentation), and keep only the calls under the guard",
            f'{with_particle(name, "은/는")} `if __name__ == "__main__":` 아래에 정의되어 있어 채점기가 파일을 '
            "import할 때 실행되지 않습니다: def를 맨 바깥(들여쓰기 없이)으로 옮기고, 호출만 그 아래에 두세요",
        )
    base = (
        Text(f"{name} is not defined in your file", f"파일에 {with_particle(name, '이/가')} 정의되어 있지 않습니다")
        + expected
    )
    if not top:
        return base + Text(
            ". Your file defines no function at the top level.", ". 파일의 맨 바깥에 정의된 함수가 없습니다."
        )
    shown = ", ".join(f"{f.name}({ast.unparse(f.args)})" for f in top[:6]) + (", ..." if len(top) > 6 else "")
    found = Text(f". Your file defines: {shown}.", f". 파일에 정의된 함수: {shown}.")
    if name not in guesses:
        return base + found
    yours = guesses[name]
    return (
        base
        + found
        + Text(
            f" {yours} looks like your {name} under another name.",
            f" {with_particle(yours, '은/는')} 이름만 다른 {with_particle(name, '으로/로')} 보입니다.",
        )
    )


STOPPED_HERE = Text("stopped here — see the message below", "여기서 멈췄습니다 — 아래 메시지를 보세요")
STOPPED_BEFORE = Text("not run — the run stopped before this check", "실행 안 됨 — 이 검사 전에 실행이 멈췄습니다")


def judge_checks(
    planned: list[PlannedCheck], output: ChildRecords, reveal: bool, contract: dict[str, Text], stop: Text
) -> tuple[CheckResult, ...]:
    """Hand each check what its calls returned; a check whose calls never ran is ``not-run``.

    The reason a check did not run is kept short: the report's message tells the whole story once.
    """
    results = []
    stopped_in = output.last_call_started
    for pc in planned:
        chk = pc.check
        returned = [output.returned.get(i) for i in pc.call_ids]
        if any(r is None for r in returned):
            broken = [c.function for c in pc.calls if c.function in contract]
            if broken:  # the report's message says what is wrong with it, once
                why = Text(
                    f"not run — {broken[0]}: see the message below",
                    f"실행 안 됨 — {broken[0]}: 아래 메시지를 보세요",
                )
            elif stopped_in in pc.call_ids and output.returned.get(stopped_in) is None:
                why = STOPPED_HERE
            else:
                why = stop
            results.append(CheckResult(chk.name, chk.title, 0.0, chk.points, "not-run", why))
            continue
        duration = sum(r.seconds for r in returned if r is not None)
        try:
            pc.plan.send(returned)
        except StopIteration:
            results.append(CheckResult(chk.name, chk.title, chk.points, chk.points, "passed", EMPTY, duration))
            continue
        except CheckFailed as failed:
            revealed = failed.reveal if reveal else None
            if reveal:
                inputs = "\n".join(f"call: {c.describe()}" for c in pc.calls)
                revealed = f"{inputs}\n{failed.reveal or ''}".strip()
            results.append(
                CheckResult(
                    chk.name, chk.title, 0.0, chk.points, failed.status, failed.message, duration, revealed, failed.slip
                )
            )
            continue
        raise GraderBug(f"check {chk.name!r} yielded twice; a check makes all its calls at once")
    return tuple(results)


def where_it_stopped(output: ChildRecords, planned: list[PlannedCheck], calls: list[Call]) -> Text:
    """Which check was running when the process stopped, for timeout and crash messages."""
    last = output.last_call_started
    if last is None:
        return Text(" while importing your file", " (파일을 import하는 중)")
    owner = next((pc.check.name for pc in planned if last in pc.call_ids), None)
    if owner is None:  # a call id no check made: the journal was written by other hands
        return EMPTY
    return Text(
        f" during check '{owner}', in {calls[last].describe()}",
        f" (검사 '{owner}'의 {calls[last].describe()} 실행 중)",
    )
