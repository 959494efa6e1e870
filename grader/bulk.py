"""Bulk grading: a class's submissions, K at a time, into a resumable results store.

    collect (folder / zip / manifest) ─▶ skip what the store already holds ─▶ backend
        local: a pool of K worker processes        ray: one Ray task per submission
    ─▶ each finished report goes into the store at once (one transaction) ─▶ exports

Workers are trusted grader processes: each calls `grader.api.grade`, so the submission still
runs in its own sandbox or container, and hands the report back as JSON text.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal

import grader
from grader.collect import Collected, Entry, Problem, collect
from grader.report import Report
from grader.results import ResultStore
from grader.text import printable

Backend = Literal["local", "ray"]


@dataclass(frozen=True)
class BulkOptions:
    workers: int = 1
    backend: Backend = "local"
    address: str | None = None  # a Ray cluster; None starts a local one
    runner: str | None = None
    gpus: tuple[str, ...] = ()  # GPU indexes handed out to jobs in turn (a device request, or CUDA_VISIBLE_DEVICES)
    gpus_per_job: float = 0.0  # Ray's GPU request per task; fractions share a GPU
    regrade: bool = False
    timeout_s: float | None = None
    data_dir: Path | None = None


@dataclass
class BulkSummary:
    total: int = 0
    skipped: int = 0  # already in the store for this file and grader version
    graded: int = 0
    problems: list[Problem] = field(default_factory=list)  # found, but not gradable (listed, never dropped)
    verdicts: Counter = field(default_factory=Counter)
    seconds: float = 0.0


Progress = Callable[[Entry | None, Report | None, BulkSummary], None]


def grade_job(job: dict[str, Any]) -> dict[str, Any]:
    """One submission, in a worker process: the report as JSON text, with who graded it."""
    from grader import api

    started = time.time()
    report = api.grade_or_report(
        job["exercise"],
        Path(job["path"]),
        runner=job["runner"],
        gpu=job["gpu"],
        timeout_s=job["timeout_s"],
        data_dir=Path(job["data_dir"]) if job["data_dir"] else None,
    )
    return {"report": report.dumps(), "started": started, "worker": f"{socket.gethostname()}:{os.getpid()}"}


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
    with tempfile.TemporaryDirectory(prefix="grade-bulk-") as work, ResultStore(out) as store:
        collected = collect(source, exercise=exercise, roster=roster, workdir=Path(work))
        store.record_collection(collected)
        summary = BulkSummary(total=len(collected.entries), problems=list(collected.problems))
        todo = _todo(collected, store, options, summary)
        on_progress(None, None, summary)
        jobs = _jobs(todo, options)
        entries = {id(job): entry for job, entry in zip(jobs, todo, strict=True)}

        def finished(job: dict[str, Any], result: dict[str, Any]) -> None:
            report = Report.from_json(json.loads(result["report"]))
            entry = entries[id(job)]
            store.add(entry.student, printable(str(entry.path)), report, result["started"], result["worker"])
            summary.graded += 1
            summary.verdicts[report.verdict] += 1
            on_progress(entry, report, summary)

        if options.backend == "ray":
            _run_on_ray(jobs, options, finished)
        else:
            _run_in_pool(jobs, options, finished)
    summary.seconds = time.perf_counter() - started
    return summary


def _todo(collected: Collected, store: ResultStore, options: BulkOptions, summary: BulkSummary) -> list[Entry]:
    todo = []
    for entry in collected.entries:
        if not options.regrade and store.has(entry.student, entry.exercise, entry.sha256, grader.__version__):
            summary.skipped += 1
        else:
            todo.append(entry)
    return todo


def _run_in_pool(jobs: list[dict[str, Any]], options: BulkOptions, finished) -> None:
    if not jobs:
        return
    # Fresh interpreters (spawn), not forks of this one: no inherited locks or open store handle.
    with ProcessPoolExecutor(max_workers=max(1, options.workers), mp_context=get_context("spawn")) as pool:
        pending = {pool.submit(grade_job, job): job for job in jobs}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                finished(pending.pop(future), future.result())


def _run_on_ray(jobs: list[dict[str, Any]], options: BulkOptions, finished) -> None:
    import ray  # on demand: the ray extra

    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=options.address, include_dashboard=False, log_to_driver=False)
    try:
        remote = ray.remote(num_cpus=1, num_gpus=options.gpus_per_job)(grade_job)
        pending = {remote.remote(job): job for job in jobs}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                finished(pending.pop(ref), ray.get(ref))
    finally:
        if started_here:
            ray.shutdown()
