"""Runners: where untrusted code runs. One small interface, backends imported on demand.

A runner takes a prepared job folder (see `grader.sandbox.functions` for its layout) and runs a grader
module over it under limits, returning how the process ended. It never looks at what the
module produced: judging is the trusted side's work.

A job names folders by role, not by where they are: environment values may say ``{job}``
(the job folder) or ``{NAME}`` for a read-only folder in ``SandboxJob.mounts``, and each
runner puts in the path its child sees (the host path locally, ``/job`` in a container).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal, Protocol, get_args

from grader.config import settings
from grader.text import EMPTY, Refusal, Text, settle, with_particle

RunnerName = Literal["local", "docker", "auto"]
RUNNER_NAMES: tuple[str, ...] = get_args(RunnerName)
OUTPUT_TAIL_BYTES = 64 * 1024  # how much of a child's output a report keeps
RAW_TAIL_FACTOR = 64  # 4 MB of a 64 KB tail: minutes of Keras' redraws at 20 a second
WRITABLE = ("out", "keras")  # the job folders a child may write to; every runner leaves the rest read-only


@dataclass(frozen=True)
class Limits:
    """What one sandboxed run may use."""

    timeout_s: float
    memory_mb: int = 2048
    max_processes: int = 64
    max_file_mb: int = 512  # any file the child writes, its captured output included
    max_output_mb: int = 2560  # all it leaves in its writable job folders together (a model file included)
    threads: int = 1  # BLAS/OpenMP threads: one keeps function exercises fast to start

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.memory_mb <= 0:
            raise ValueError(f"limits must be positive: {self}")


@dataclass(frozen=True)
class SandboxJob:
    """A prepared job folder and the grader module to run over it.

    ``mounts`` are read-only folders the child needs, by name (the evaluator's hidden data);
    ``hide`` lists folders the child must not see (the hidden test data, for the local runner;
    a container never sees a folder it was not given). ``trusted`` marks the evaluator: no
    submission code runs in it. ``on_output`` receives the child's output as it comes.
    """

    dir: Path
    limits: Limits
    module: str = "grader.sandbox.functions"
    env: dict[str, str] = field(default_factory=dict)
    mounts: dict[str, Path] = field(default_factory=dict)
    hide: tuple[Path, ...] = ()
    trusted: bool = False
    on_output: Callable[[str], None] | None = None

    def environment(self, job_path: str, mount_paths: dict[str, str]) -> dict[str, str]:
        """``env`` with ``{job}`` and ``{NAME}`` replaced by the paths the child sees."""
        places = {"job": job_path, **mount_paths}
        return {key: value.format_map(places) for key, value in self.env.items()}


@dataclass(frozen=True)
class SandboxRun:
    """How the sandboxed process ended, and the tail of what it printed."""

    exit_code: int | None  # None when it ended by a signal
    signal: str | None
    timed_out: bool
    wall_s: float
    output: str
    output_truncated: bool = False
    hidden: bool = False  # whether the hidden data was out of the child's reach
    oom_killed: bool = False  # the kernel's OOM killer ended it (a container's or cgroup's memory limit)
    disk_exceeded: bool = False  # stopped because its writable folders outgrew ``Limits.max_output_mb``
    memory_limit: Text | None = None  # which memory limit held, in the report's words
    isolation_note: Text | None = None  # what did not hold, where the runner could not isolate the child


def read_tail(fh: BinaryIO, limit: int = OUTPUT_TAIL_BYTES, end: int | None = None) -> tuple[str, bool]:
    """The end of an output file as a terminal would show it (`settle`: a progress bar redrawn
    with carriage returns is its last drawing), at most ``limit`` characters from a line's start,
    and whether anything was cut. Redraws take many bytes and settle to few, so up to
    `RAW_TAIL_FACTOR` times ``limit`` bytes are read. ``end``: the file as it stood at that size
    (what was printed before some moment)."""
    size = os.fstat(fh.fileno()).st_size if end is None else min(end, os.fstat(fh.fileno()).st_size)
    raw_limit = limit * RAW_TAIL_FACTOR  # settled once: hostile redraws cost their bytes once
    fh.seek(max(size - raw_limit, 0))
    text = settle(fh.read(min(raw_limit, size)).decode("utf-8", errors="replace"))
    cut = size > raw_limit or len(text) > limit
    if len(text) > limit:
        text = text[-limit:]
        text = text.partition("\n")[2] or text  # from a line's start, unless it is one long line
    return text, cut


class Running(Protocol):
    """A started job: ``wait`` blocks until it ends and says how; ``ended`` says, at once,
    whether it has."""

    def wait(self) -> SandboxRun: ...

    def ended(self) -> bool: ...


class Runner(Protocol):
    name: str

    def run(self, job: SandboxJob) -> SandboxRun: ...

    def start(self, job: SandboxJob) -> Running:
        """Start ``job`` and return at once, so the trusted side can prepare while the child
        starts (a function exercise plans its checks while the submission is imported)."""
        ...


class RunningOnThread:
    """``Runner.start`` for a runner whose ``run`` holds no fork-sensitive step (the docker
    runner talks to a daemon): ``run`` on a thread of its own. Its output reaches ``output.log``
    through the daemon's log stream, a little after it was printed (``output_lags``)."""

    output_lags = True

    def __init__(self, runner: Runner, job: SandboxJob) -> None:
        self._ended: SandboxRun | BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(runner, job), daemon=True)
        self._thread.start()

    def _run(self, runner: Runner, job: SandboxJob) -> None:
        try:
            self._ended = runner.run(job)
        except BaseException as exc:  # raised again in the caller's thread, by wait
            self._ended = exc

    def ended(self) -> bool:
        return not self._thread.is_alive()

    def wait(self) -> SandboxRun:
        self._thread.join()
        if isinstance(self._ended, BaseException):
            raise self._ended
        assert self._ended is not None
        return self._ended


class RunnerUnavailable(Refusal, RuntimeError):
    """The requested runner cannot run here; the message says what is missing."""


@dataclass(frozen=True)
class RunnerChoice:
    """The runner a grading uses, and why ``auto`` did not pick docker where docker seems set up
    (a daemon address and the SDK) but cannot run: no daemon answers, or the image is missing or
    stale. Empty otherwise."""

    runner: Runner
    fallback_reason: Text = EMPTY


def default_runner_name() -> str:
    return settings().runner


def create_runner(name: str | None = None, *, gpu: str | None = None) -> RunnerChoice:
    """The runner for ``--runner NAME``; ``auto`` picks docker when its daemon and a current
    image are there, else local. ``gpu`` is ``--gpu`` (a device index, ``all`` or ``none``)."""
    name = name or default_runner_name()
    if name not in RUNNER_NAMES:
        raise RunnerUnavailable(
            Text(
                f"unknown runner {name!r}; choose one of {', '.join(RUNNER_NAMES)}",
                f"{with_particle(repr(name), '이라는/라는')} 실행 환경은 없습니다; "
                f"{', '.join(RUNNER_NAMES)} 중에서 고르세요",
            )
        )
    from grader.runner.engine import docker_expected

    reason = EMPTY
    # No docker on this machine at all (no SDK or no daemon address): under auto, local is simply
    # the runner, with nothing to explain, and the docker runner's module is not even loaded.
    if name == "docker" or (name == "auto" and docker_expected()):
        from grader.runner.docker import DockerRunner, docker_unavailable_reason  # on demand

        reason = docker_unavailable_reason()
        if reason == EMPTY:
            return RunnerChoice(DockerRunner(gpu=gpu))
        if name == "docker":
            raise RunnerUnavailable(reason)
    from grader.runner.local import LocalRunner

    return RunnerChoice(LocalRunner(gpu=gpu), reason)
