"""The local runner: a child process in a bubblewrap sandbox, under a cgroup and OS limits.

What holds where bwrap runs (``grader.runner.bubblewrap``, the properties in
``grader.runner.boundary``): the child is unprivileged, sees a minimal read-only system with
only its job's folders and the grader's child package, has no network and no terminal, and
dies with ``grade``. A cgroup (``grader.runner.cgroups``) bounds the memory and processes of
its whole tree where the machine gives one; RLIMIT_DATA (per process, which TensorFlow
survives, unlike an address-space cap) and RLIMIT_CPU are backstops everywhere. A watchdog
stops it at the wall-clock limit or when its writable folders outgrow their quota.

Without bwrap (macOS, Windows, user namespaces switched off) the child is a plain process
with a scrubbed environment and these limits; reports and ``grade doctor`` say what is missing.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from functools import cache
from pathlib import Path

from grader.config import BLAS_THREADS_ENV, GRADER_ROOT
from grader.runner import (
    OUTPUT_TAIL_BYTES,
    WRITABLE,
    Limits,
    Running,
    SandboxJob,
    SandboxRun,
    boundary,
    bubblewrap,
    cgroups,
    read_tail,
    syscalls,
)
from grader.runner.watchdog import Watchdog, confine_writable


def child_environment(job: SandboxJob, sandboxed: bool) -> dict[str, str]:
    """Only what the child needs; nothing of the grader's own environment leaks in."""
    threads = str(job.limits.threads)
    if sandboxed:
        job_path, work, tmp = bubblewrap.JOB_MOUNT, bubblewrap.WORK_MOUNT, "/tmp"
        mounts = {name: f"{bubblewrap.MOUNTS_AT}/{name}" for name in job.mounts}
        code = bubblewrap.CODE_MOUNT
    else:
        job_path, work, tmp = str(job.dir), str(job.dir / "work"), str(job.dir / "work")
        mounts = {name: str(path) for name, path in job.mounts.items()}
        code = str(GRADER_ROOT)
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": work,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "PYTHONPATH": code,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",  # plt.show() must not open a window or block
        "MPLCONFIGDIR": f"{tmp}/matplotlib",  # the child's own: no cache shared between jobs
        **dict.fromkeys(BLAS_THREADS_ENV, threads),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **job.environment(job_path, mounts),
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


def _bindings(job: SandboxJob, user: bubblewrap.SandboxUser, gpu: str | None = None) -> list[bubblewrap.Binding]:
    """The child's whole filesystem: the system read-only, its job's parts, two tmpfs, and the
    GPU's device nodes for an untrusted job that may use it (the evaluator runs on the CPU)."""
    Binding = bubblewrap.Binding
    scratch = bubblewrap.SCRATCH_MB
    bound = bubblewrap.system_bindings()
    # /dev/shm too: joblib (scikit-learn) and multiprocessing make their semaphores there, and
    # warn of "serial mode" into the learner's output where they cannot.
    scratch_dirs = ("/tmp", bubblewrap.WORK_MOUNT, "/dev/shm")
    bound += [Binding("--tmpfs", path, size_mb=scratch, mode=0o1777) for path in scratch_dirs]
    bound += bubblewrap.python_bindings()
    bound += bubblewrap.covers(bound, tuple(job.hide))
    bound += bubblewrap.child_code(job.trusted)
    etc = job.dir / "etc"  # who the child is, for getpass/pwd; the host's user list stays out
    etc.mkdir(exist_ok=True)
    (etc / "passwd").write_text(f"learner:x:{user.uid}:{user.gid}::{bubblewrap.WORK_MOUNT}:/usr/sbin/nologin\n")
    (etc / "group").write_text(f"learner:x:{user.gid}:\n")
    bound += [Binding("--ro-bind", f"/etc/{name}", str(etc / name)) for name in ("passwd", "group")]
    for name in ("in", "submission", *WRITABLE):
        if (job.dir / name).is_dir():
            kind = "--bind" if name in WRITABLE else "--ro-bind"
            bound.append(Binding(kind, f"{bubblewrap.JOB_MOUNT}/{name}", str(job.dir / name)))
    for name, folder in job.mounts.items():
        bound.append(Binding("--ro-bind", f"{bubblewrap.MOUNTS_AT}/{name}", str(folder.resolve())))
    if not job.trusted and gpu != "none":
        bound += bubblewrap.gpu_devices()
    return bound


def _give_to(user: bubblewrap.SandboxUser, job_dir: Path) -> None:
    """Make the job's writable folders the sandbox user's (grade is root, the child is not)."""
    for name in WRITABLE:
        folder = job_dir / name
        if folder.is_dir():
            for path in (folder, *folder.rglob("*")):
                os.lchown(path, user.uid, user.gid)


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


def _before_exec(limits: Limits, existing_tasks: int, cgroup: cgroups.JobCgroup | None):
    memory = limits.memory_mb * 2**20
    file_size = limits.max_file_mb * 2**20
    # A backstop for a tree that outlives every watchdog: CPU seconds for all threads at full speed.
    cpu = int(limits.timeout_s * max(limits.threads, 1) + 60)
    nproc = existing_tasks + limits.max_processes

    def apply() -> None:  # runs in the child between fork and exec: no Python-level locks here
        if cgroup is not None:
            cgroup.enter_self()
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))  # binds for every uid but root

    return apply


@cache
def remove_stale_jobs() -> None:
    """Job folders and cgroups a killed ``grade`` left behind (their owner pid is gone); once a process."""
    cgroups.remove_stale()
    from grader.runner.jobs import remove_stale_job_dirs  # the job module owns the folder's layout

    remove_stale_job_dirs(Path(tempfile.gettempdir()))


class LocalRunner:
    name = "local"

    def __init__(self, gpu: str | None = None) -> None:
        self.gpu = gpu  # an index, "none", or None/"all" for every GPU the machine has

    def run(self, job: SandboxJob) -> SandboxRun:
        return self.start(job).wait()

    def start(self, job: SandboxJob) -> Running:
        """Start the child and return at once; ``wait()`` gives how it ended."""
        remove_stale_jobs()
        # bwrap is not test-started before every job (that alone cost a third of a function
        # exercise's time): the job is the test, and only bwrap's own refusal is looked into.
        if boundary.bwrap_setup_reason() != "":
            return _LocalChild(job, self.gpu, sandboxed=False)
        return _RetriedUnsandboxedIfRefused(_LocalChild(job, self.gpu, sandboxed=True))


class _RetriedUnsandboxedIfRefused:
    """A sandboxed child that, where this machine does not let bwrap build a sandbox after all,
    runs again as a plain process (its report then says which properties did not hold)."""

    def __init__(self, child: _LocalChild) -> None:
        self.child = child

    def ended(self) -> bool:
        return self.child.ended()

    def wait(self) -> SandboxRun:
        run = self.child.wait()
        if bubblewrap.refused_setup(run.exit_code, run.output) and boundary.bwrap_reason() != "":
            return _LocalChild(self.child.job, self.child.gpu, sandboxed=False).wait()
        return run


class _LocalChild:
    """One child process: started in the constructor (from the calling thread, so the fork
    between Popen and exec sees no other thread of ours), waited on, limited and cleaned up in
    ``wait``."""

    def __init__(self, job: SandboxJob, gpu: str | None, sandboxed: bool) -> None:
        self.job, self.gpu, self.sandboxed = job, gpu, sandboxed
        self.claim = bubblewrap.claim_user() if sandboxed else None
        self.cgroup: cgroups.JobCgroup | None = None
        self.log = None
        try:
            self._start()
        except BaseException:
            self._release()
            raise
        pid = self.proc.pid
        self.echo = _echo_while_running(job.dir / "output.log", self.proc, job.on_output) if job.on_output else None
        quota = job.limits.max_output_mb * 2**20
        writable = [job.dir / name for name in WRITABLE if (job.dir / name).is_dir()]
        self.watchdog = Watchdog(lambda: _kill_group(pid), writable, quota, job.limits.timeout_s)

    def _start(self) -> None:
        job, gpu = self.job, self.gpu
        user = self.claim.user if self.claim is not None else None
        inner = [sys.executable, "-P", "-s", "-m", job.module]
        filter_fd = syscalls.program_fd() if user is not None else None
        try:
            if user is not None:
                confine_writable(job.dir, job.limits)
                if user.dropped:
                    _give_to(user, job.dir)
                bindings = _bindings(job, user, gpu)
                command = bubblewrap.command(
                    [*inner, bubblewrap.JOB_MOUNT], bindings=bindings, user=user, seccomp_fd=filter_fd
                )
                cwd = job.dir
            else:
                (job.dir / "work").mkdir(exist_ok=True)
                command, cwd = [*inner, str(job.dir)], job.dir / "work"
            run_as = user.uid if user is not None else os.getuid()
            existing = _count_user_tasks(run_as) if run_as != 0 else 0
            self.cgroup = cgroups.create(job.limits.memory_mb, job.limits.max_processes)
            # The parent keeps its own handle on the log, outside anything the child can reach.
            self.log = open(job.dir / "output.log", "w+b")
            self.started = time.perf_counter()
            self.proc = subprocess.Popen(
                command,
                cwd=cwd,
                env={**child_environment(job, self.sandboxed), **gpu_environment(gpu)},
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # no controlling terminal; its own process group
                preexec_fn=_before_exec(job.limits, existing, self.cgroup),
                pass_fds=(filter_fd,) if filter_fd is not None else (),
            )
        finally:
            if filter_fd is not None:
                os.close(filter_fd)  # bwrap has its own copy of the descriptor now

    def _release(self) -> None:
        """What a job holds while its child lives: its log handle, its cgroup, its uid."""
        if self.log is not None:
            self.log.close()
        if self.cgroup is not None:
            self.cgroup.remove()
        if self.claim is not None:
            self.claim.release()

    def ended(self) -> bool:
        return self.proc.poll() is not None

    def wait(self) -> SandboxRun:
        proc, cgroup, job = self.proc, self.cgroup, self.job
        try:
            with self.log as log:
                proc.wait()  # blocking: it returns the moment the child ends, or the watchdog kills it
                self.watchdog.finish(proc.returncode)
                _kill_group(proc.pid)  # also reaps anything it left running in the background
                if cgroup is not None:
                    cgroup.kill_all()  # a setsid escapee outside the process group included
                proc.wait()
                if self.echo is not None:
                    self.echo.join(timeout=5)
                wall = time.perf_counter() - self.started
                output, truncated = read_tail(log, OUTPUT_TAIL_BYTES)
            oom = cgroup is not None and cgroup.oom_killed()
        finally:
            self._release()  # its whole tree is gone: the cgroup goes, the uid is free for the next job
        code = proc.returncode
        signal_name = signal.Signals(-code).name if code < 0 else None
        if self.sandboxed and 128 < code < 128 + 65:  # bwrap reports a signal death as 128 + N
            signal_name, code = _signal_name(code - 128), -1
        return SandboxRun(
            exit_code=code if code >= 0 else None,
            signal=signal_name,
            timed_out=self.watchdog.timed_out,
            wall_s=wall,
            output=output,
            output_truncated=truncated,
            hidden=self.sandboxed or not job.hide,
            oom_killed=oom,
            disk_exceeded=self.watchdog.disk_exceeded,
            memory_limit=boundary.memory_limit_text(job.limits, cgroup),
            isolation_note=None if self.sandboxed else boundary.unsandboxed_note(),
        )


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
