"""Grading a function exercise: start the sandbox, plan the checks meanwhile, judge from data.

job folder -> Runner (untrusted child: starts, imports the submission)
           ∥ plan (trusted: fresh hidden inputs) -> calls into the job folder
           -> outputs as data -> judge (trusted) -> the verdict -> Report

The child starts before this process has imported numpy or any check: the two overlap, which
is most of a function exercise's time. So this module imports only what starting needs; the
judging side (`grader.check.functions`) loads once the child runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from grader.exercise import Exercise, is_utf8
from grader.grading.endings import ReportMaker, ended_early, import_failure, memory_text, unreadable_record
from grader.grading.top_level_notes import (
    left_out_names,
    rebinding,
    slow_top_level,
    stopped_by_limit,
    top_level_note,
    top_level_raised,
)
from grader.report import CheckResult, Report, Verdict, judged_verdict
from grader.runner import Limits, Runner, Running, SandboxJob
from grader.runner.jobs import make_function_job_dir, remove_job_dir
from grader.sandbox.protocol import FunctionStatus
from grader.text import EMPTY, Text, join, with_particle

if TYPE_CHECKING:
    from grader.grading import GradeRequest

SLOW_IMPORT_S = 2.0  # top-level code this slow, and most of the run, gets a note


@dataclass
class _Graded:
    """One sandboxed run of a function exercise, judged; ``top_level_stop`` says how the file's
    top-level code kept the run from its calls (it raised, or the run ended before its end), if so."""

    verdict: Verdict
    message: Text
    results: tuple[CheckResult, ...]
    output: str
    timings: dict[str, float]
    notes: tuple[Text, ...]
    top_level_stop: Text | None = None
    import_failed: bool = False
    contract_names: tuple[str, ...] = ()  # the required names with a contract problem


def grade_function(
    exercise: Exercise,
    request: GradeRequest,
    *,
    runner: Runner,
    limits: Limits,
    source: str | None,
    report: ReportMaker,
) -> Report:
    """Grade the file's functions whatever its script does: a required function the file does not
    define at all is named before anything runs; a file whose top-level code raises or keeps the
    run from its end (time, memory, a crash) has its definitions graded again without that code
    (`grader.grading.top_level`), and that run is the score, so a file scores the same on every
    machine however long its top-level training takes there."""
    from grader.grading.top_level import definitions_only, statically_absent

    text = _source_of(request.submission, source)
    # A file Python cannot read as UTF-8 is told so by its import, not by a reading of it made with
    # its undecodable bytes replaced.
    readable = source is not None or "\ufffd" not in text or is_utf8(request.submission)
    absent = statically_absent(text, [f.name for f in exercise.functions], request.aliases) if readable else None
    if absent is not None and len(absent) == len(exercise.functions):  # nothing to call: said at once
        return _nothing_to_call(exercise, request, text, report)
    first = _run_once(exercise, request, runner=runner, limits=limits, source=source, text=text)
    graded = first
    if request.top_level and first.top_level_stop is None and first.contract_names:
        first = replace(first, top_level_stop=rebinding(text, first.contract_names))
    if request.top_level and first.top_level_stop is not None:
        cut, dropped = definitions_only(
            text, frozenset([*(f.name for f in exercise.functions), *request.aliases.values()])
        )
        if dropped:
            second = _run_once(exercise, request, runner=runner, limits=limits, source=cut, text=cut, automatic=True)
            if not second.import_failed:  # the definitions alone import: they are what is graded
                note = top_level_note(first.top_level_stop, dropped, request.submission.suffix == ".ipynb")
                timings = _both_runs(first.timings, second.timings)
                graded = replace(second, output=first.output, timings=timings, notes=(note, *second.notes))
    if graded.import_failed and absent:  # the import failed, but what is missing is known all the same
        missing = judge_contract_static(exercise, absent, text, request.submission.name, request.aliases)
        graded = replace(graded, message=graded.message + Text.same("\n") + missing)
    notes = graded.notes + _alias_notes(request.aliases, text)
    return report(
        graded.verdict, graded.message, graded.results, output=graded.output, timings=graded.timings, notes=notes
    )


def _both_runs(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    """The timings of a grading that ran twice: the time both took, the calls' of the second, and
    the top-level code's of the first where it finished (the second ran definitions only)."""
    timings = {k: v for k, v in second.items() if k != "import_submission_s"}
    for key in ("prepare_s", "sandbox_s", "judge_s", "total_s"):
        timings[key] = first.get(key, 0.0) + second.get(key, 0.0)
    if "import_submission_s" in first:
        timings["import_submission_s"] = first["import_submission_s"]
    return timings


def judge_contract_static(
    exercise: Exercise, absent: list[str], text: str, file_name: str, aliases: dict[str, str]
) -> Text:
    """What `judge_contract` says of the functions the file's syntax tree shows are missing."""
    from grader.check.functions import judge_contract

    functions = {f.name: {"present": f.name not in absent, "callable": True} for f in exercise.functions}
    problems = judge_contract(exercise, functions, lambda: text, file_name, aliases)
    return join([problems[name] for name in absent if name in problems], "\n")


def _nothing_to_call(exercise: Exercise, request: GradeRequest, text: str, report: ReportMaker) -> Report:
    """A file that defines none of the required functions: a contract error before anything runs,
    whatever its top-level code would have done (trained for minutes, read files it does not have)."""
    from grader.check import checks_for
    from grader.check.functions import judge_checks, judge_contract, plan_checks
    from grader.runner.calls import ChildRecords

    assert request.seed is not None
    functions = {f.name: {"present": False} for f in exercise.functions}
    contract = judge_contract(exercise, functions, lambda: text, request.submission.name, request.aliases)
    planned, _ = plan_checks(checks_for(exercise), request.seed)
    results = judge_checks(planned, ChildRecords(), request.reveal, contract, EMPTY)
    return report("contract-error", join(list(contract.values()), "\n"), results, timings={"total_s": 0.0})


def _alias_notes(aliases: dict[str, str], text: str) -> tuple[Text, ...]:
    """Which definition was graded under an alias, and that a same-named one of the file's was not."""
    from grader.grading.aliases import bound_names

    names = bound_names(text) if aliases else None
    said = []
    for name, yours in aliases.items():
        note = Text(
            f"graded your {yours} as {name} (--function {name}={yours})",
            f"{with_particle(yours, '을/를')} {with_particle(name, '으로/로')} 채점했습니다 "
            f"(--function {name}={yours})",
        )
        if names is not None and name in names:
            note = note + Text(
                f"; your file's own {name} was not graded",
                f"; 파일에 있는 {with_particle(name, '은/는')} 채점하지 않았습니다",
            )
        said.append(note)
    return tuple(said)


def _run_once(
    exercise: Exercise,
    request: GradeRequest,
    *,
    runner: Runner,
    limits: Limits,
    source: str | None,
    text: str,
    automatic: bool = False,
) -> _Graded:
    """Run the file (``source``: the code to run instead of the file as it is; ``text``: that code,
    read once by the caller) and judge its calls; ``automatic``: the definitions alone, run because
    the file's top level kept the first run from its end."""
    submission, seed, reveal, aliases = request.submission, request.seed, request.reveal, request.aliases
    assert seed is not None
    t0 = time.perf_counter()
    root = make_function_job_dir(submission, [f.name for f in exercise.functions], source, aliases)
    try:
        running = runner.start(SandboxJob(dir=root, limits=limits))
        planned, calls, mark = _plan_while_running(exercise, seed, root, running)
        # Loaded while the child started (in _plan_while_running): nothing to wait for here.
        from grader.check.functions import STOPPED_BEFORE, judge_checks, judge_contract, where_it_stopped
        from grader.runner.calls import output_before, read_child_records

        t1 = time.perf_counter()
        run = running.wait()
        t2 = time.perf_counter()
        output = read_child_records(root, calls)
        shown, printed_after = (run.output, False) if reveal else output_before(root, mark, run.output)
    finally:
        if not request.keep_dir:
            remove_job_dir(root)

    status = output.status or FunctionStatus("import")  # none written: it never got past the import
    if status.error is not None and mark is not None and output.unreadable is None:
        # The child marks the import done only once it is: this import "failed" after the marker,
        # with the hidden inputs already there. The file wrote both; its message is not shown.
        output.unreadable = "an import error recorded after the import was marked done"
        status = FunctionStatus("import")
    import_error = status.error
    contract = (
        judge_contract(exercise, status.functions, lambda: text, submission.name, aliases)
        if status.functions is not None
        else {}
    )
    finished = status.finished
    at_import = output.event_time("imported") is None
    imported, started = output.event_time("imported"), output.event_time("start")
    import_s = imported - started if imported is not None and started is not None else None

    verdict: Verdict
    message: Text
    stop = EMPTY
    top_level_stop: Text | None = None
    if run.oom_killed:  # part of its process tree was killed for memory: nothing after that is sure
        verdict, message = ended_early(run, limits, where_it_stopped(output, planned, calls))
        stop = STOPPED_BEFORE
        top_level_stop = stopped_by_limit(run, limits, at_import)
    elif output.unreadable is not None:  # the run's own record was tampered with: none of it counts
        verdict, message = unreadable_record(output.unreadable)
        output.returned.clear()
        stop = STOPPED_BEFORE
    elif import_error is not None:
        verdict, message = import_failure(import_error, limits)
        stop = Text("not run: your file did not import", "실행 안 됨: 파일을 import하지 못했습니다")
        top_level_stop = top_level_raised(import_error)
    elif not finished:
        verdict, message = ended_early(run, limits, where_it_stopped(output, planned, calls), at_import)
        stop = STOPPED_BEFORE
        top_level_stop = stopped_by_limit(run, limits, at_import)
    results = judge_checks(planned, output, reveal, contract, stop)
    t3 = time.perf_counter()

    memory_errors = [r for r in output.returned.values() if r.error is not None and r.error.is_a("MemoryError")]
    if import_error is None and finished and not run.oom_killed:
        if memory_errors:
            err = memory_errors[0]
            # The message could show the hidden input; that the call ran out of memory is what counts.
            verdict, message = "memory-exceeded", memory_text(limits, f"{err.call.describe()}: MemoryError")
        elif contract:
            verdict, message = "contract-error", join(list(contract.values()), "\n")
        elif all(r.status == "passed" for r in results):
            verdict = "passed"
            message = Text(f"All {len(results)} checks passed.", f"검사 {len(results)}개를 모두 통과했습니다.")
        else:
            failed = sum(r.status != "passed" for r in results)
            verdict = judged_verdict(results, exercise.pass_score)
            message = Text(
                f"{failed} of {len(results)} checks did not pass.",
                f"검사 {len(results)}개 중 {failed}개를 통과하지 못했습니다.",
            )
            lost = {r.name for r in results if r.status != "passed"}
            if all(pc.check.validates_input for pc in planned if pc.check.name in lost):
                message = message + Text(
                    " Your function gives the right answers: only its input validation is missing "
                    "(raise ValueError for an impossible size).",
                    " 함수의 답은 맞습니다: 입력 검증만 빠졌습니다 (불가능한 size에는 ValueError를 발생시키세요).",
                )

    results = limit_keeps_no_full_score(tuple(results), verdict)
    timings = {
        "prepare_s": t1 - t0,
        "sandbox_s": run.wall_s,
        "judge_s": t3 - t2,
        "total_s": t3 - t0,
    }
    notes_first: tuple[Text, ...] = ()
    if import_s is not None:
        timings["import_submission_s"] = import_s
        if import_s >= SLOW_IMPORT_S and import_s > run.wall_s / 2:
            notes_first = slow_top_level(request, text, import_s)
    timings["calls_s"] = sum(r.seconds for r in output.returned.values())
    if not request.top_level or automatic:
        notes_first += left_out_names(output, submission, automatic)
    notes = notes_first + ((run.isolation_note,) if run.isolation_note is not None else ())
    if printed_after and not output.calls_output.strip():
        notes += (
            Text(
                "what your program printed once its hidden inputs were given to it (a thread or process "
                "it left running, say) is not shown, since it could show them (instructors: --reveal)",
                "숨겨진 입력을 받은 뒤에 프로그램이 출력한 내용(남겨 둔 스레드나 프로세스 등)은 그 입력이 "
                "드러날 수 있어 보여 주지 않습니다 (강사: --reveal)",
            ),
        )
    if output.calls_output.strip():
        if reveal:
            shown = f"{shown.rstrip()}\n--- printed during the hidden calls ---\n{output.calls_output}"
        else:
            lines = len(output.calls_output.rstrip().splitlines())
            notes += (
                Text(
                    f"your function printed {lines} lines while it ran on the hidden inputs; they are not shown, "
                    "since they would show those inputs (instructors: --reveal)",
                    f"함수가 숨겨진 입력으로 실행되는 동안 {lines}줄을 출력했습니다; 그 입력이 드러나므로 "
                    "보여 주지 않습니다 (강사: --reveal)",
                ),
            )
    return _Graded(
        verdict,
        message,
        tuple(results),
        shown,
        timings,
        notes,
        top_level_stop,
        import_failed=import_error is not None,
        contract_names=tuple(contract),
    )


LIMIT_VERDICTS = ("timeout", "memory-exceeded", "crashed")


def limit_keeps_no_full_score(results: tuple[CheckResult, ...], verdict: Verdict) -> tuple[CheckResult, ...]:
    """A run stopped by a limit (time, memory, disk, output) or a crash keeps the points of the
    checks that finished before it, never the full score: when every check had passed, the run
    broke the limit after them (at exit, in a thread it left running), and the last check's
    points go with it, so the score agrees with the verdict."""
    scoring = [i for i, r in enumerate(results) if r.max_points > 0]
    if verdict not in LIMIT_VERDICTS or not scoring or any(r.status != "passed" for r in results):
        return results
    last = scoring[-1]
    lost = replace(
        results[last],
        points=0.0,
        status="failed",
        message=Text(
            "passed, but the run then broke a limit (see the verdict): a run over a limit never keeps the full score",
            "통과했지만 그 뒤 실행이 한도를 넘었습니다 (판정 참고): 한도를 넘은 실행은 만점을 받지 않습니다",
        ),
    )
    return (*results[:last], lost, *results[last + 1 :])


def _plan_while_running(exercise: Exercise, seed: int, root: Path, running: Running) -> tuple[list, list, int | None]:
    """The checks' calls, with fresh hidden inputs, planned while the child imports the file and
    written into the job once it has (`IMPORTED_FILE`): the file's top-level code never runs
    beside its hidden inputs. Also how much the child had printed then (what the learner may see
    as their own output); None when it ended first (nothing of it ran beside them). Whatever goes
    wrong here, the child is released (with no calls) and waited for before the error goes on."""
    from grader.check import checks_for
    from grader.check.functions import plan_checks
    from grader.runner.calls import output_once_imported, write_calls

    released = False
    try:
        planned, calls = plan_checks(checks_for(exercise), seed)
        mark = output_once_imported(root, running)
        # Written even when the child ended first: a runner that starts it again (bwrap refused
        # to build a sandbox here) has a child waiting for them.
        write_calls(root, calls)
        released = True
        return planned, calls, mark
    finally:
        if not released:
            write_calls(root, [])
            running.wait()


def _source_of(submission: Path, source: str | None) -> str:
    """The submission's text, for naming what it defines when a required function is missing."""
    if source is not None:
        return source
    try:
        return submission.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""
