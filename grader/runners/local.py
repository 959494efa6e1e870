"""The local runner: a child Python process with a scrubbed environment and OS limits.

What holds here: the submission runs in another process (never the grader's), in a fresh
temporary working directory, with only the variables we set, stdin closed, and limits on
address space, file size and (for non-root users) process count. A wall-clock timeout kills
its whole process group. Where the system allows (``grader.runners.namespaces``), the child
also gets its own PID namespace, so it cannot signal the grader: a file that kills its parent
ends as a crash report, not a dead ``grade``; and folders a job hides (the hidden test data)
are covered by an empty tmpfs in its own mount table, with its capabilities dropped. Otherwise
the run reports that they were readable. The docker runner hides everything.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from grader.runners import OUTPUT_TAIL_BYTES, Limits, SandboxJob, SandboxRun, namespaces, read_tail
from grader.settings import GRADER_ROOT, user_cache_dir


def sandbox_environment(job: SandboxJob) -> dict[str, str]:
    """Only what the child needs; nothing of the grader's own environment leaks in."""
    work = job.dir / "work"
    threads = str(job.limits.threads)
    mpl = user_cache_dir() / "matplotlib"  # shared so the font cache is built once, not per run
    mpl.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(work),
        "TMPDIR": str(work),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(GRADER_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",  # plt.show() must not open a window or block
        "MPLCONFIGDIR": str(mpl),
        "OMP_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **job.environment(str(job.dir), {name: str(path) for name, path in job.mounts.items()}),
    }


def gpu_environment(gpu: str | None) -> dict[str, str]:
    """Which GPUs TensorFlow may see. Memory grows as needed, so several small trainings can
    share one GPU (bulk grading with fractional GPUs per job)."""
    env = {"TF_FORCE_GPU_ALLOW_GROWTH": "true"}
    if gpu == "none":
        env["CUDA_VISIBLE_DEVICES"] = ""
    elif gpu not in (None, "all"):
        env["CUDA_VISIBLE_DEVICES"] = gpu
    return env


def mount_namespace_available() -> bool:
    """Whether the child gets its own mount table, where folders are hidden under a tmpfs."""
    chosen = namespaces.available()
    return chosen is not None and chosen.hides


def pid_namespace_available() -> bool:
    """Whether the child runs in its own PID namespace, unable to signal the grader."""
    chosen = namespaces.available()
    return chosen is not None and chosen.pid


def _echo_while_running(path: Path, proc: subprocess.Popen, sink) -> threading.Thread:
    """Pass the child's output to ``sink`` as it is written (a training log to watch live)."""

    def pump() -> None:
        with open(path, "rb") as fh:
            while True:
                chunk = fh.read(65536)
                if chunk:
                    sink(chunk.decode("utf-8", errors="replace"))
                elif proc.poll() is not None:
                    rest = fh.read()
                    if rest:
                        sink(rest.decode("utf-8", errors="replace"))
                    return
                else:
                    time.sleep(0.2)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def _count_user_tasks(uid: int) -> int:
    """Threads already running as ``uid``: RLIMIT_NPROC counts them all, not just ours."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


def _limit_setter(limits: Limits, existing_tasks: int):
    memory = limits.memory_mb * 2**20
    file_size = limits.max_file_mb * 2**20

    def apply() -> None:  # runs in the child between fork and exec: no Python-level locks here
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if existing_tasks:
            nproc = existing_tasks + limits.max_processes
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))

    return apply


class LocalRunner:
    name = "local"
    isolation = "child process, scrubbed environment, resource limits (no filesystem isolation)"

    def __init__(self, gpu: str | None = None) -> None:
        self.gpu = gpu  # an index, "none", or None/"all" for every GPU the machine has

    def run(self, job: SandboxJob) -> SandboxRun:
        work = job.dir / "work"
        work.mkdir(exist_ok=True)
        uid = os.getuid()
        # Root ignores RLIMIT_NPROC; for others it counts every task of the user.
        existing = _count_user_tasks(uid) if uid != 0 else 0
        command = [sys.executable, "-P", "-s", "-m", job.module, str(job.dir)]
        hide = tuple(d for d in job.hide if d.is_dir())
        chosen = namespaces.available()
        hidden = bool(hide) and chosen is not None and chosen.hides
        if chosen is not None:
            command = chosen.wrap(command, hide if hidden else ())
        # The parent keeps its own handle on the log, so the child cannot swap the file for a link.
        with open(job.dir / "output.log", "w+b") as log:
            started = time.perf_counter()
            proc = subprocess.Popen(
                command,
                cwd=work,
                env={**sandbox_environment(job), **gpu_environment(self.gpu)},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
                preexec_fn=_limit_setter(job.limits, existing),
            )
            echo = _echo_while_running(job.dir / "output.log", proc, job.on_output) if job.on_output else None
            timed_out = False
            try:
                proc.wait(timeout=job.limits.timeout_s)
            except subprocess.TimeoutExpired:
                timed_out = True
            _kill_group(proc.pid)  # also reaps anything it left running in the background
            proc.wait()
            if echo is not None:
                echo.join(timeout=5)
            wall = time.perf_counter() - started
            output, truncated = read_tail(log, OUTPUT_TAIL_BYTES)
        code = proc.returncode
        return SandboxRun(
            exit_code=code if code >= 0 else None,
            signal=signal.Signals(-code).name if code < 0 else None,
            timed_out=timed_out,
            wall_s=wall,
            output=output,
            output_truncated=truncated,
            hidden=hidden,
        )


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
