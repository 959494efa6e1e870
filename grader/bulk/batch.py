"""Bulk grading: a class's submissions, K at a time, into a resumable results store.

    collect (folder / zip / manifest) ─▶ skip what the store already holds ─▶ backend
        local: a pool of K worker processes        ray: one Ray task per submission
    ─▶ each finished report goes into the store at once (one transaction) ─▶ exports

Workers are trusted grader processes: each calls `grader.grading.grade`, so the submission still
runs in its own sandbox or container, and hands the report back as JSON text.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal

import grader
from grader.bulk import cluster, similarity
from grader.bulk.collect import Collected, Entry, Problem, collect
from grader.bulk.store import ResultStore
from grader.config import settings
from grader.report import Report
from grader.runner.jobs import die_with_parent, job_folder
from grader.text import printable

Backend = Literal["local", "ray"]


@dataclass(frozen=True)
class BulkOptions:
    workers: int = 1
    backend: Backend = "local"
    address: str | None = None  # a Ray cluster's HOST:PORT; None: RAY_ADDRESS, else a Ray of its own
    runner: str | None = None
    gpus: tuple[str, ...] = ()  # GPU indexes handed out to jobs in turn (a device request, or CUDA_VISIBLE_DEVICES)
    gpus_per_job: float = 0.0  # Ray's GPU request per task; fractions share a GPU
    regrade: bool = False
    timeout_s: float | None = None
    data_dir: Path | None = None
    # Grade with a local sandbox that lacks properties 1–4 (grader.runner.boundary) all the same.
    allow_unisolated: bool = False


@dataclass
class BulkSummary:
    total: int = 0
    skipped: int = 0  # already in the store for this file and grader version
    graded: int = 0
    problems: list[Problem] = field(default_factory=list)  # found, but not gradable (listed, never dropped)
    verdicts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    # A worker that died (the machine's OOM killer, a lost Ray node) or sent a report from another
    # grader version: nothing is recorded for its job, so running the same command again grades it.
    lost: list[str] = field(default_factory=list)


Progress = Callable[[Entry | None, Report | None, BulkSummary], None]


def grade_job(job: dict[str, Any]) -> dict[str, Any]:
    """One submission, in a worker process: the report as JSON text, with who graded it."""
    from grader import grading
    from grader.grading import GradeRequest

    started = time.time()
    with job_folder("grade-job-") as here:
        path = Path(job["path"])
        if job.get("content") is not None:  # a Ray task on another machine: the file came with it
            path = here / path.name
            path.write_bytes(job["content"])
        request = GradeRequest(
            job["exercise"],
            path,
            runner=job["runner"],
            gpu=job["gpu"],
            timeout_s=job["timeout_s"],
            data_dir=Path(job["data_dir"]) if job["data_dir"] else None,
            aliases=dict(job.get("aliases") or ()),
        )
        report = grading.grade_or_report(request)
        code = similarity.code_of(path)  # what the class page compares, read while the file is here
    return {
        "report": report.dumps(),
        "started": started,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "code": code,
    }


def _jobs(entries: list[Entry], options: BulkOptions) -> list[dict[str, Any]]:
    return [
        {
            "student": e.student,
            "exercise": e.exercise,
            "path": str(e.path),
            "runner": options.runner,
            "gpu": options.gpus[i % len(options.gpus)] if options.gpus else None,
            "timeout_s": options.timeout_s,
            "data_dir": str(options.data_dir) if options.data_dir else None,
            "aliases": [list(pair) for pair in e.aliases],
            # Ray may run the task on another machine, where this path means nothing.
            "content": e.path.read_bytes() if options.backend == "ray" else None,
        }
        for i, e in enumerate(entries)
    ]


def grade_batch(
    source: Path,
    out: Path,
    *,
    exercise: str | None = None,
    roster: Path | None = None,
    options: BulkOptions | None = None,
    on_progress: Progress = lambda entry, report, summary: None,
) -> BulkSummary:
    options = options or BulkOptions()
    started = time.perf_counter()
    # A cluster that cannot be joined is the instructor's to fix: said at once, before anything is stored.
    how = cluster.access(options.address, settings()) if options.backend == "ray" else None
    # A killed run's extraction folder is removed by the next grade (it carries its owner's pid);
    # a class folder's tree of any depth is removed with it.
    with job_folder("grade-bulk-") as work, ResultStore(out) as store:
        collected = collect(source, exercise=exercise, roster=roster, workdir=work)
        store.record_collection(collected)
        for student, workspace in collected.exams.items():
            copied = student in collected.copied_exams  # its problem entry names the other workspace
            store.record_exam(student, {"state": "duplicate"} if copied else exam_info(workspace, student))
        summary = BulkSummary(total=len(collected.entries), problems=list(collected.problems))
        todo = _todo(collected, store, options, summary)
        on_progress(None, None, summary)
        jobs = _jobs(todo, options)
        entries = {id(job): entry for job, entry in zip(jobs, todo, strict=True)}

        def finished(job: dict[str, Any], result: dict[str, Any] | BaseException) -> None:
            entry = entries[id(job)]
            if isinstance(result, BaseException):
                report, refused = None, f"{type(result).__name__}: {result}"
            else:
                report, refused = report_from_worker(result)
            if report is None:
                summary.lost.append(f"{entry.student} · {entry.path.name}: {refused}")
                on_progress(entry, None, summary)
                return
            path = printable(str(entry.path))
            code = result.get("code")
            code = similarity.sanitised(code) if isinstance(code, str) else None  # bounded all the same
            store.add(entry.student, path, report, result["started"], result["worker"], entry.aliases_key, code)
            summary.graded += 1
            summary.verdicts[report.verdict] += 1
            on_progress(entry, report, summary)

        if how is not None:
            _run_on_ray(jobs, options, how, finished)
        else:
            _run_in_pool(jobs, options, finished)
    summary.seconds = time.perf_counter() - started
    return summary


def report_from_worker(result: dict[str, Any]) -> tuple[Report | None, str]:
    """The worker's report, or why it cannot be stored: a Ray node with another grader version
    grades by other checks, and its results would never match a re-run's (nor resume)."""
    try:
        report = Report.from_json(json.loads(result["report"]))
    except (ValueError, KeyError, TypeError) as exc:
        return None, f"worker {result.get('worker', '?')} sent a report this grader cannot read ({exc})"
    if report.grader_version != grader.__version__:
        return None, (
            f"worker {result.get('worker', '?')} runs tfcert-grader {report.grader_version}, this one "
            f"{grader.__version__}: install the same version on every node"
        )
    return report, ""


def exam_info(workspace: Path, student: str) -> dict[str, Any]:
    """An exam workspace's timing and late marks, trusted only when its signature checks out,
    and, for an exam the instructor issued, what its token proves for ``student``."""
    from grader import exam
    from grader.exam import token as exam_token

    try:
        state = exam.load(workspace)
    except exam.ExamTampered as exc:
        verdict = "unverified" if "cannot be verified" in str(exc) else "tampered"
        return {"state": verdict}
    except exam.ExamError as exc:
        return {"state": f"unreadable: {exc}"}
    final = exam.final_report(state)
    issued = {"issued": "not issued"}
    if state.issued is not None:
        token = state.issued
        said = exam_token.verdict(token, student, state.exam_id, exam_token.issuer_secret())
        if said == "verified" and state.started_at < token["issued_at"] - exam_token.CLOCK_SLACK_S:
            said = "started before it was issued"  # a state re-signed with an invented start
        issued = {"issued": said, "issued_at": token["issued_at"] if said == "verified" else None}
    return {
        **issued,
        "template": state.template.name,
        "state": "verified",
        "started_at": state.started_at,
        "deadline": state.deadline,
        "finished_at": state.finished_at,
        "finish_reason": state.finish_reason or "not finished",
        "time_used_s": final["time_used_s"],
        "attempts": len(state.attempts),
        "late_attempts": final["late_attempts"],
        "self_total": final["total"],
    }


def _todo(collected: Collected, store: ResultStore, options: BulkOptions, summary: BulkSummary) -> list[Entry]:
    todo = []
    for entry in collected.entries:
        done = store.has(entry.student, entry.exercise, entry.sha256, grader.__version__, entry.aliases_key)
        if done and not options.regrade:
            summary.skipped += 1
        else:
            todo.append(entry)
    return todo


def _run_in_pool(jobs: list[dict[str, Any]], options: BulkOptions, finished) -> None:
    """K workers; jobs caught in a worker's death are tried again one by one in a fresh worker,
    so a submission that kills its worker is found and reported, and the others still grade."""
    caught = _pool_round(jobs, max(1, options.workers), finished)
    for job in caught:
        if _pool_round([job], 1, finished):
            from grader.grading import worker_killed_report

            report = worker_killed_report(job["exercise"], Path(job["path"]), runner=job["runner"])
            code = similarity.code_of(Path(job["path"]))
            finished(job, {"report": report.dumps(), "started": time.time(), "worker": "driver", "code": code})


def _pool_round(jobs: list[dict[str, Any]], workers: int, finished) -> list[dict[str, Any]]:
    """Run ``jobs`` on a fresh pool; returns those whose worker died under them."""
    caught: list[dict[str, Any]] = []
    if not jobs:
        return caught
    # Fresh interpreters (spawn), not forks of this one: no inherited locks or open store handle.
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=die_with_parent, initargs=(os.getpid(),)
    )
    try:
        pending = {pool.submit(grade_job, job): job for job in jobs}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    caught.append(job)
                else:
                    finished(job, error if error is not None else future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # Ctrl-C: finish what runs, start nothing new
    return caught


def _run_on_ray(jobs: list[dict[str, Any]], options: BulkOptions, how: cluster.Access, finished) -> None:
    import ray  # on demand: the ray extra

    if not jobs:  # everything was in the store already: no cluster to start or join
        return
    if ray.is_initialized():  # a notebook or script that set up Ray itself keeps it as it is
        _grade_on_ray(ray, jobs, options, finished)
    else:
        with cluster.joined(how) as joined:
            _grade_on_ray(joined, jobs, options, finished)


def _grade_on_ray(ray, jobs: list[dict[str, Any]], options: BulkOptions, finished) -> None:
    # A task whose worker dies is tried once more before it counts as lost.
    remote = ray.remote(num_cpus=1, num_gpus=options.gpus_per_job, max_retries=1)(grade_job)
    pending = {remote.remote(job): job for job in jobs}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            job = pending.pop(ref)
            try:
                result = ray.get(ref)
            except (ray.exceptions.RayError, OSError) as exc:  # a lost worker or node
                result = exc
            finished(job, result)
