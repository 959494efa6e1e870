"""Runners: where untrusted code runs. One small interface, backends imported on demand.

A runner takes a prepared job folder (see `grader.sandbox` for its layout) and runs the
sandbox entry point over it under limits, returning how the process ended. It never looks at
what the submission produced: judging is the trusted side's work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, get_args

RunnerName = Literal["local", "docker", "auto"]
RUNNER_NAMES: tuple[str, ...] = get_args(RunnerName)


@dataclass(frozen=True)
class Limits:
    """What one sandboxed run may use."""

    timeout_s: float
    memory_mb: int = 2048
    max_processes: int = 64
    max_file_mb: int = 512  # any file the child writes, its captured output included
    threads: int = 1  # BLAS/OpenMP threads: one keeps function exercises fast to start

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.memory_mb <= 0:
            raise ValueError(f"limits must be positive: {self}")


@dataclass(frozen=True)
class SandboxJob:
    """A prepared job folder and the sandbox module to run over it.

    ``hide`` lists folders the child must not see (the hidden test data); ``on_output``
    receives the child's output as it comes (a live training log).
    """

    dir: Path
    limits: Limits
    module: str = "grader.sandbox"
    env: dict[str, str] = field(default_factory=dict)
    hide: tuple[Path, ...] = ()
    on_output: Callable[[str], None] | None = None


@dataclass(frozen=True)
class SandboxRun:
    """How the sandboxed process ended, and the tail of what it printed."""

    exit_code: int | None  # None when it ended by a signal
    signal: str | None
    timed_out: bool
    wall_s: float
    output: str
    output_truncated: bool = False
    hidden: bool = False  # whether ``hide`` was enforced (a private mount namespace)


class Runner(Protocol):
    name: str
    isolation: str  # the guarantee that held, in a phrase the report shows

    def run(self, job: SandboxJob) -> SandboxRun: ...


class RunnerUnavailable(RuntimeError):
    """The requested runner cannot run here; the message says what is missing."""


def create_runner(name: str) -> Runner:
    """The runner for ``--runner NAME``; ``auto`` picks the strongest one available."""
    if name not in RUNNER_NAMES:
        raise RunnerUnavailable(f"unknown runner {name!r}; choose one of {', '.join(RUNNER_NAMES)}")
    if name == "docker":
        raise RunnerUnavailable(
            "the docker runner is not built yet (it arrives with the GPU container); use --runner local"
        )
    from grader.runners.local import LocalRunner  # on demand, like every backend

    return LocalRunner()
