"""Grading a function exercise: start the sandbox, plan the checks meanwhile, judge from data.

job folder -> Runner (untrusted child: starts, imports the submission)
           ∥ plan (trusted: fresh hidden inputs) -> calls into the job folder
           -> outputs as data -> judge (trusted) -> the verdict -> Report

The child starts before this process has imported numpy or any check: the two overlap, which
is most of a function exercise's time. So this module imports only what starting needs; the
judging side (`grader.check.functions`) loads once the child runs.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from grader.exercise import Exercise
from grader.grading.endings import ReportMaker, ended_early, import_failure, memory_text, unreadable_record
from grader.report import CheckResult, Report, Verdict, judged_verdict
from grader.runner import Limits, Runner, Running, SandboxJob
from grader.runner.jobs import make_function_job_dir, remove_job_dir
from grader.sandbox.protocol import FunctionStatus
from grader.text import EMPTY, Text, join, with_particle

if TYPE_CHECKING:
    from grader.grading import GradeRequest
    from grader.runner.calls import ChildRecords

SLOW_IMPORT_S = 2.0  # top-level code this slow, and most of the run, gets a note


def grade_function(
    exercise: Exercise,
    request: GradeRequest,
    *,
    runner: Runner,
    limits: Limits,
    source: str | None,
    report: ReportMaker,
) -> Report:
    submission, seed, reveal, aliases = request.submission, request.seed, request.reveal, request.aliases
    assert seed is not None
    t0 = time.perf_counter()
    root = make_function_job_dir(submission, [f.name for f in exercise.functions], source, aliases)
    try:
        running = runner.start(SandboxJob(dir=root, limits=limits))
        planned, calls = _plan_while_running(exercise, seed, root, running)
        # Loaded while the child started (in _plan_while_running): nothing to wait for here.
        from grader.check.functions import STOPPED_BEFORE, judge_checks, judge_contract, where_it_stopped
        from grader.runner.calls import read_child_records

        t1 = time.perf_counter()
        run = running.wait()
        t2 = time.perf_counter()
        output = read_child_records(root, calls)
    finally:
        if not request.keep_dir:
            remove_job_dir(root)

    status = output.status or FunctionStatus("import")  # none written: it never got past the import
    import_error = status.error
    contract = (
        judge_contract(exercise, status.functions, lambda: _source_of(submission, source), submission.name)
        if status.functions is not None
        else {}
    )
    finished = status.finished

    verdict: Verdict
    message: Text
    stop = EMPTY
    if run.oom_killed:  # part of its process tree was killed for memory: nothing after that is sure
        verdict, message = ended_early(run, limits, where_it_stopped(output, planned, calls))
        stop = STOPPED_BEFORE
    elif output.unreadable is not None:  # the run's own record was tampered with: none of it counts
        verdict, message = unreadable_record(output.unreadable)
        output.returned.clear()
        stop = STOPPED_BEFORE
    elif import_error is not None:
        verdict, message = import_failure(import_error, limits)
        stop = Text("not run: your file did not import", "실행 안 됨: 파일을 import하지 못했습니다")
    elif not finished:
        at_import = output.event_time("imported") is None
        verdict, message = ended_early(run, limits, where_it_stopped(output, planned, calls), at_import)
        stop = STOPPED_BEFORE
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
        if imported - started >= SLOW_IMPORT_S and imported - started > run.wall_s / 2:
            notes_first = _slow_top_level(request, _source_of(submission, source), imported - started)
        else:
            notes_first = ()
    else:
        notes_first = ()
    timings["calls_s"] = sum(r.seconds for r in output.returned.values())
    if not request.top_level:
        notes_first += _left_out_names(output, submission)
    notes = notes_first + ((run.isolation_note,) if run.isolation_note is not None else ())
    shown = run.output
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
    return report(verdict, message, tuple(results), output=shown, timings=timings, notes=notes)


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


def _plan_while_running(exercise: Exercise, seed: int, root: Path, running: Running) -> tuple[list, list]:
    """The checks' calls, with fresh hidden inputs, written into the running job. Whatever goes
    wrong here, the child is released (with no calls) and waited for before the error goes on."""
    from grader.check import checks_for
    from grader.check.functions import plan_checks
    from grader.runner.calls import write_calls

    released = False
    try:
        planned, calls = plan_checks(checks_for(exercise), seed)
        write_calls(root, calls)
        released = True
        return planned, calls
    finally:
        if not released:
            write_calls(root, [])
            running.wait()


_NAME_ERROR = re.compile(r"name '([A-Za-z_][A-Za-z0-9_]{0,79})' is not defined")


def _left_out_names(output: ChildRecords, submission: Path) -> tuple[Text, ...]:
    """Under ``--no-top-level``, a NameError for a name the file sets in top-level work that was
    left out: say which line, and what to do. Only names the file itself binds there are named,
    so nothing a hidden call raised is shown but the learner's own identifiers."""
    from grader.grading.top_level import skipped_bindings

    wanted = set()
    for returned in output.returned.values():
        error = returned.error
        if error is not None and error.is_a("NameError") and (match := _NAME_ERROR.fullmatch(error.message)):
            wanted.add(match.group(1))
    if not wanted:
        return ()
    if submission.suffix == ".ipynb":  # its cells as one script, numbered as the other note numbers them
        from grader.grading.notebook import NotebookError, notebook_to_script

        try:
            original = notebook_to_script(submission)[0]
        except NotebookError:
            return ()
    else:
        original = _source_of(submission, None)
    found = skipped_bindings(original, wanted)
    return tuple(
        Text(
            f"{name} is set at line {line}, top-level work that --no-top-level leaves out, so your function "
            "cannot see it (NameError): compute it inside the function or from its arguments, or grade without "
            "--no-top-level",
            f"{with_particle(name, '은/는')} {line}번째 줄에서 정해지는데, 이 줄은 --no-top-level이 빼는 최상위 "
            "코드라 함수에서 보이지 않습니다 (NameError): 함수 안에서나 인자로 계산하거나, --no-top-level 없이 "
            "채점하세요",
        )
        for name, line in sorted(found.items(), key=lambda item: item[1])
    )


def _slow_top_level(request: GradeRequest, text: str, seconds: float) -> tuple[Text, ...]:
    """A note for a file whose top-level work took most of its grading, with advice that works
    where it is given; none where there is nothing to move (only definitions ran, or the file's
    top level is only imports and definitions: the time is its libraries' own start-up)."""
    from grader.grading.top_level import definitions_only

    if not request.top_level or not definitions_only(text)[1]:
        return ()
    spent = f"{seconds:.1f}"
    said = Text(
        f"your file's top-level code took {spent} s of this grading, and runs at every one: ",
        f"파일의 최상위 코드가 이번 채점에서 {spent}초를 썼고 채점할 때마다 실행됩니다: ",
    )
    if request.submission.suffix == ".ipynb":  # a notebook has no __main__ guard to put cells under
        return (
            said
            + Text(
                "grade it with --no-top-level, which runs only its cells' imports and definitions",
                "--no-top-level로 채점하세요: 셀의 import와 정의만 실행합니다",
            ),
        )
    return (
        said
        + Text(
            'put training, plots and prints under `if __name__ == "__main__":` (or grade with --no-top-level)',
            '학습, 그래프, 출력은 `if __name__ == "__main__":` 아래로 옮기세요 (또는 --no-top-level로 채점)',
        ),
    )


def _source_of(submission: Path, source: str | None) -> str:
    """The submission's text, for naming what it defines when a required function is missing."""
    if source is not None:
        return source
    try:
        return submission.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
