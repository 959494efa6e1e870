"""Grading a function exercise: plan the checks, run the sandbox once, judge from data.

plan (trusted) -> job folder -> Runner (untrusted child) -> outputs as data
               -> judge (trusted) -> Outcome (the API wraps it into a Report)
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from grader.check import Call, Check, CheckFailed, Plan
from grader.exercise import Exercise
from grader.job import JobOutput, make_job_dir, read_job_output, remove_job_dir
from grader.outcome import Outcome, ended_early, import_failure, memory_text
from grader.report import CheckResult, Verdict
from grader.runners import Limits, Runner, SandboxJob
from grader.text import EMPTY, Text, join

_PARAMETER_KINDS = {
    name: getattr(inspect.Parameter, name)
    for name in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD", "VAR_POSITIONAL", "KEYWORD_ONLY", "VAR_KEYWORD")
}


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
    required = [p for p in contract_sig.parameters.values() if p.default is p.empty]
    optional = [p for p in contract_sig.parameters.values() if p.default is not p.empty]
    positional = [None] * len(required)
    try:
        submitted.bind(*positional)  # optional parameters need defaults
        submitted.bind(*positional, **{p.name: None for p in optional})  # and their exact names
    except TypeError as exc:
        return str(exc)
    return None


def judge_contract(exercise: Exercise, functions: dict[str, dict[str, Any]]) -> dict[str, Text]:
    """Per function name, what is wrong with it: missing, not callable, or a wrong signature."""
    problems: dict[str, Text] = {}
    for contract in exercise.functions:
        info = functions.get(contract.name, {"present": False})
        if not info.get("present"):
            problems[contract.name] = Text(
                f"{contract.name} is not defined in your file (expected: def {contract.signature})",
                f"파일에 {contract.name}이(가) 정의되어 있지 않습니다 (기대: def {contract.signature})",
            )
        elif not info.get("callable"):
            problems[contract.name] = Text(
                f"{contract.name} is defined but is not a function (expected: def {contract.signature})",
                f"{contract.name}이(가) 정의되어 있지만 함수가 아닙니다 (기대: def {contract.signature})",
            )
        else:
            why = _signature_problem(contract.parameters, info.get("parameters"))
            if why:
                problems[contract.name] = Text(
                    f"{contract.name} has the wrong signature ({why}); expected def {contract.signature}",
                    f"{contract.name}의 시그니처가 다릅니다 ({why}); 기대: def {contract.signature}",
                )
    return problems


STOPPED_HERE = Text("stopped here — see the message below", "여기서 멈췄습니다 — 아래 메시지를 보세요")
STOPPED_BEFORE = Text("not run — the run stopped before this check", "실행 안 됨 — 이 검사 전에 실행이 멈췄습니다")


def judge_checks(
    planned: list[PlannedCheck], output: JobOutput, reveal: bool, contract: dict[str, Text], stop: Text
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
            broken = [contract[c.function] for c in pc.calls if c.function in contract]
            if broken:
                why = broken[0]
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
                CheckResult(chk.name, chk.title, 0.0, chk.points, failed.status, failed.message, duration, revealed)
            )
            continue
        raise GraderBug(f"check {chk.name!r} yielded twice; a check makes all its calls at once")
    return tuple(results)


def _where(output: JobOutput, planned: list[PlannedCheck], calls: list[Call]) -> Text:
    """Which check was running when the process stopped, for timeout and crash messages."""
    last = output.last_call_started
    if last is None:
        return Text(" while importing your file", " (파일을 import하는 중)")
    owner = next(pc.check.name for pc in planned if last in pc.call_ids)
    return Text(
        f" during check '{owner}', in {calls[last].describe()}",
        f" (검사 '{owner}'의 {calls[last].describe()} 실행 중)",
    )


def grade_function(
    exercise: Exercise,
    checks: tuple[Check, ...],
    submission: Path,
    *,
    runner: Runner,
    limits: Limits,
    seed: int,
    reveal: bool = False,
    keep_dir: bool = False,
    source: str | None = None,
) -> Outcome:
    t0 = time.perf_counter()
    planned, calls = plan_checks(checks, seed)
    functions = [f.name for f in exercise.functions]
    root = make_job_dir(submission, functions, calls, source)
    t1 = time.perf_counter()
    try:
        run = runner.run(SandboxJob(dir=root, limits=limits))
        t2 = time.perf_counter()
        output = read_job_output(root, calls)
    finally:
        if not keep_dir:
            remove_job_dir(root)

    status = output.status or {}
    import_error = status.get("error")
    contract = judge_contract(exercise, status.get("functions", {})) if "functions" in status else {}
    finished = status.get("phase") == "done"

    verdict: Verdict
    message: Text
    stop = EMPTY
    if run.oom_killed:  # part of its process tree was killed for memory: nothing after that is sure
        verdict, message = ended_early(run, limits, _where(output, planned, calls))
        stop = STOPPED_BEFORE
    elif import_error is not None:
        verdict, message = import_failure(import_error, limits)
        stop = Text("not run: your file did not import", "실행 안 됨: 파일을 import하지 못했습니다")
    elif not finished:
        verdict, message = ended_early(run, limits, _where(output, planned, calls))
        stop = STOPPED_BEFORE
    results = judge_checks(planned, output, reveal, contract, stop)
    t3 = time.perf_counter()

    memory_errors = [r for r in output.returned.values() if r.error is not None and r.error.is_a("MemoryError")]
    if import_error is None and finished and not run.oom_killed:
        if memory_errors:
            err = memory_errors[0]
            verdict, message = "memory-exceeded", memory_text(limits, f"{err.call.describe()}: {err.error.message}")  # type: ignore[union-attr]
        elif contract:
            verdict, message = "contract-error", join(list(contract.values()), "\n")
        elif all(r.status == "passed" for r in results):
            verdict = "passed"
            message = Text(f"All {len(results)} checks passed.", f"검사 {len(results)}개를 모두 통과했습니다.")
        else:
            failed = sum(r.status != "passed" for r in results)
            verdict = "failed"
            message = Text(
                f"{failed} of {len(results)} checks did not pass.",
                f"검사 {len(results)}개 중 {failed}개를 통과하지 못했습니다.",
            )

    imported = output.event_time("imported")
    started = output.event_time("start")
    timings = {
        "prepare_s": t1 - t0,
        "sandbox_s": run.wall_s,
        "judge_s": t3 - t2,
        "total_s": t3 - t0,
    }
    if imported is not None and started is not None:
        timings["import_submission_s"] = imported - started
    timings["calls_s"] = sum(r.seconds for r in output.returned.values())
    notes = (run.isolation_note,) if run.isolation_note is not None else ()
    return Outcome(verdict, message, results, run.output, timings, notes)
