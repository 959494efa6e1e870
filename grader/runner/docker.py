"""The docker runner: each job in a fresh, locked-down container from the grading image.

What holds here, beyond the local runner: no network (``network_mode=none``), a read-only
root with small in-memory ``/tmp`` and working directory, a per-file size limit, every
capability dropped and ``no-new-privileges``, a non-root user, cgroup limits on memory (no
swap), processes and CPUs, and a wall-clock timeout that kills and removes the container. The
container sees only its job folder (the submission and its inputs read-only) and the folders
a job mounts read-only by name: the hidden test data is mounted into the trusted evaluator's
container alone, so an untrusted container cannot reach it whatever it tries. The grader's
hidden checks and their reference code (``check``) are not in the image.

The host needs docker and this package only; TensorFlow lives in the image.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any

from grader.config import BLAS_THREADS_ENV, IMAGE_ENV, helper_environment
from grader.runner import WRITABLE, Limits, RunningOnThread, SandboxJob, SandboxRun, read_tail
from grader.runner.engine import DockerUnavailable, docker_client, docker_expected
from grader.runner.image import current_image_problem, image_name
from grader.runner.jobs import remove_stale_job_dirs
from grader.runner.watchdog import Watchdog, confine_writable
from grader.text import EMPTY, Text

CONTAINER_JOB = "/job"
CONTAINER_MOUNTS = "/mnt"
# The working directory and HOME: a tmpfs, outside /job. The image has the folder (its WORKDIR):
# a working dir docker must create itself comes out as root's 0755, whatever the tmpfs mode says.
CONTAINER_WORK = "/work"
# The image's grader code (see the Dockerfile): the trusted side, for the evaluator, and the
# child package alone, for untrusted containers, which get an empty tmpfs over the trusted side.
CONTAINER_TRUSTED_CODE = "/opt/grader"
CONTAINER_CHILD_CODE = "/opt/sandbox"
CONTAINER_UID = 10001  # the image's unprivileged ``grader`` user (see the Dockerfile)
TMPFS_MB = 256
CUDA_CACHE = "/tmp/cuda-cache"
LOG_LIMIT = {"max-size": "20m", "max-file": "1"}  # docker's own copy of the output, on the host's disk
JOB_LABEL = "org.tfcert-grader.runner.jobs"
OWNER_LABEL = "org.tfcert-grader.owner"  # "HOST:PID" of the grade that made it: a dead owner's container is stale
DEADLINE_GRACE_S = 30  # the container's own deadline, past the wall-clock limit grade enforces


def docker_unavailable_reason() -> Text:
    """Why the docker runner cannot run here, or `EMPTY` when it can. Fast when docker is absent."""
    import importlib.util

    if importlib.util.find_spec("docker") is None:
        return Text(
            "the docker Python package is not installed (pip install 'tfcert-grader[docker]')",
            "docker 파이썬 패키지가 설치되어 있지 않습니다 (pip install 'tfcert-grader[docker]')",
        )
    if not docker_expected():
        return Text(
            "no docker daemon here (no /var/run/docker.sock, DOCKER_HOST unset); is dockerd running?",
            "이 컴퓨터에 docker 데몬이 없습니다 (/var/run/docker.sock 없음, DOCKER_HOST 미설정); "
            "dockerd가 실행 중인가요?",
        )
    try:
        client = docker_client(timeout=5)
    except DockerUnavailable as exc:
        return exc.reason
    return current_image_problem(client) or EMPTY


@cache
def nvidia_available() -> bool:
    """Whether containers here can be given NVIDIA GPUs (the NVIDIA container toolkit)."""
    try:
        runtimes = docker_client(timeout=5).info().get("Runtimes", {})
    except DockerUnavailable:
        return False
    return "nvidia" in runtimes or shutil.which("nvidia-container-runtime-hook") is not None


def device_requests(gpu: str | None) -> list[Any]:
    """``--gpu``: ``None``/``all`` gives every GPU when the host has them, an index gives that one."""
    import docker.types

    if gpu == "none" or not nvidia_available():
        return []
    if gpu in (None, "all"):
        return [docker.types.DeviceRequest(count=-1, capabilities=[["gpu"]])]
    return [docker.types.DeviceRequest(device_ids=[gpu], capabilities=[["gpu"]])]


def container_environment(job: SandboxJob, mount_paths: dict[str, str]) -> dict[str, str]:
    threads = str(job.limits.threads)
    return {
        "HOME": CONTAINER_WORK,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        **dict.fromkeys(BLAS_THREADS_ENV, threads),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_FORCE_GPU_ALLOW_GROWTH": "true",  # several small trainings can share a GPU
        # The CUDA/XLA compile cache is the job's own, in its tmpfs: a shared writable cache would
        # let one job plant entries for the next (a cold PTX JIT costs time, not correctness).
        "CUDA_CACHE_PATH": CUDA_CACHE,
        "PYTHONPATH": CONTAINER_TRUSTED_CODE if job.trusted else CONTAINER_CHILD_CODE,
        **job.environment(CONTAINER_JOB, mount_paths),
    }


def _give_to_container_user(job_dir: Path) -> str:
    """The user the container runs as, with the job's writable folders made theirs.

    As root on the host, the image's unprivileged user (files chowned to it); otherwise the
    host user's own uid, so the files it leaves stay readable and removable by the grader.
    """
    if os.getuid() != 0:
        return f"{os.getuid()}:{os.getgid()}"
    for name in WRITABLE:
        folder = job_dir / name
        if folder.is_dir():
            for path in (folder, *folder.rglob("*")):
                os.lchown(path, CONTAINER_UID, CONTAINER_UID)
    return f"{CONTAINER_UID}:{CONTAINER_UID}"


def _mounts(job: SandboxJob) -> tuple[list[Any], dict[str, str]]:
    from docker.types import Mount

    # The parts of the job, not its folder: the output log and anything else the host keeps
    # there stay out of the container's reach (a planted link could not be read back).
    mounts = [
        Mount(f"{CONTAINER_JOB}/in", str(job.dir / "in"), type="bind", read_only=True),
        Mount(f"{CONTAINER_JOB}/submission", str(job.dir / "submission"), type="bind", read_only=True),
    ]
    mounts += [
        Mount(f"{CONTAINER_JOB}/{name}", str(job.dir / name), type="bind")
        for name in WRITABLE
        if (job.dir / name).is_dir()
    ]
    inside = {}
    for name, folder in job.mounts.items():
        inside[name] = f"{CONTAINER_MOUNTS}/{name}"
        mounts.append(Mount(inside[name], str(folder.resolve()), type="bind", read_only=True))
    return mounts, inside


class _LogPump:
    """Copies the container's output to ``output.log`` (up to a size) and to a live sink."""

    def __init__(self, container: Any, path: Path, limit: int, sink) -> None:
        self.path, self.limit, self.sink = path, limit, sink
        self.truncated = False
        self.thread = threading.Thread(target=self._pump, args=(container,), daemon=True)
        self.thread.start()

    def _pump(self, container: Any) -> None:
        written = 0
        with open(self.path, "wb") as log:
            try:
                for chunk in container.logs(stream=True, follow=True, stdout=True, stderr=True):
                    if written < self.limit:
                        piece = chunk[: self.limit - written]
                        log.write(piece)
                        log.flush()
                        written += len(piece)
                    else:
                        self.truncated = True
                    if self.sink is not None:
                        self.sink(chunk.decode("utf-8", errors="replace"))
            except Exception:  # the container was removed under us: what we have is the log
                pass


class DockerRunner:
    name = "docker"

    def __init__(self, gpu: str | None = None, image: str | None = None) -> None:
        self.gpu = gpu
        self.image = image or image_name()

    def start(self, job: SandboxJob) -> RunningOnThread:
        return RunningOnThread(self, job)

    def run(self, job: SandboxJob) -> SandboxRun:
        client = docker_client()
        remove_stale_containers(client)
        remove_stale_job_dirs(Path(tempfile.gettempdir()))
        (job.dir / "out").mkdir(exist_ok=True)
        confine_writable(job.dir, job.limits)  # before the chown: the tmpfs roots are the user's too
        user = _give_to_container_user(job.dir)
        mounts, inside = _mounts(job)
        limits: Limits = job.limits
        gpus = [] if job.trusted else device_requests(self.gpu)  # evaluation runs on the CPU: see README
        scratch = {path: f"size={TMPFS_MB}m,mode=1777" for path in ("/tmp", CONTAINER_WORK)}
        if not job.trusted:  # the evaluator, the store's code and the rest of the trusted side
            scratch[CONTAINER_TRUSTED_CODE] = "size=1m,mode=0555"
        memory = f"{limits.memory_mb}m"
        import requests  # the SDK's own HTTP client: its timeouts are how a wait runs out
        from docker.types import LogConfig, Ulimit

        file_size = limits.max_file_mb * 2**20

        container = client.containers.create(
            self.image,
            # Its own deadline: a grade killed with -9 cannot stop it, so the container stops itself.
            command=[
                "timeout",
                "--signal=KILL",
                f"{limits.timeout_s + DEADLINE_GRACE_S:.0f}",
                *["python", "-P", "-s", "-m", job.module, CONTAINER_JOB],
            ],
            user=user,
            working_dir=CONTAINER_WORK,
            environment=container_environment(job, inside),
            network_mode="none",
            mem_limit=memory,
            memswap_limit=memory,  # the same figure: no swap
            pids_limit=limits.max_processes,
            nano_cpus=int(min(max(limits.threads, 1), os.cpu_count() or 1) * 1e9),
            read_only=True,
            # Scratch space in memory (it counts against the memory limit), so a submission
            # cannot fill the host's disk from its working directory.
            tmpfs=scratch,
            ulimits=[Ulimit(name="fsize", soft=file_size, hard=file_size), Ulimit(name="core", soft=0, hard=0)],
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            mounts=mounts,
            device_requests=gpus,
            log_config=LogConfig(type=LogConfig.types.JSON, config=LOG_LIMIT),
            labels={JOB_LABEL: job.dir.name, OWNER_LABEL: _owner()},
            init=True,  # a real init as PID 1: signals act as usual, orphans are reaped
            stdin_open=False,
        )
        timed_out = False
        reaper = _start_reaper(container.id, job.dir)
        try:
            started = time.perf_counter()
            container.start()
            pump = _LogPump(container, job.dir / "output.log", limits.max_file_mb * 2**20, job.on_output)
            # The writable folders are the host's (quota tmpfs where grade is root): measured from here.
            quota = Watchdog(
                lambda: _kill(container), [job.dir / n for n in WRITABLE], limits.max_output_mb * 2**20, None
            )
            try:
                result = container.wait(timeout=limits.timeout_s)
            except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
                # The client's read timeout: the wall-clock limit ran out.
                timed_out = True
                _kill(container)
                result = container.wait(timeout=60)
            quota.finish(result.get("StatusCode"))
            wall = time.perf_counter() - started
            pump.thread.join(timeout=10)
            container.reload()
            state = container.attrs.get("State", {})
        finally:
            container.remove(force=True)
            _stop_reaper(reaper)
        code = int(result.get("StatusCode", state.get("ExitCode", -1)))
        # The container's init reports a death by signal N as exit code 128 + N, as a shell does.
        killed = code > 128 and _signal_name(code - 128) is not None
        with open(job.dir / "output.log", "rb") as log:
            output, truncated = read_tail(log)
        return SandboxRun(
            exit_code=None if killed else code,
            signal=_signal_name(code - 128) if killed else None,
            timed_out=timed_out,
            wall_s=wall,
            output=output,
            output_truncated=truncated or pump.truncated,
            hidden=True,  # only what was mounted is there
            oom_killed=bool(state.get("OOMKilled")),
            disk_exceeded=quota.disk_exceeded,
            memory_limit=Text(
                f"{limits.memory_mb} MB for the whole container", f"컨테이너 전체에 {limits.memory_mb} MB"
            ),
        )


def _start_reaper(container_id: str, job_dir: Path) -> subprocess.Popen:
    """A process that removes the container, the job folder and the snapshot if this grade is killed."""
    return subprocess.Popen(
        [sys.executable, "-m", "grader.runner.reaper", container_id, str(job_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=helper_environment(),
        start_new_session=True,  # not in grade's process group: a Ctrl-C or a group kill spares it
    )


def _stop_reaper(reaper: subprocess.Popen) -> None:
    from grader.runner.reaper import DONE

    try:
        reaper.communicate(DONE, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        reaper.kill()


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def remove_stale_containers(client: Any) -> list[str]:
    """Remove job containers a killed grade on this machine left behind (its pid is gone)."""
    from grader.runner.jobs import process_exists

    removed = []
    host = socket.gethostname()
    for container in client.containers.list(all=True, filters={"label": OWNER_LABEL}):
        owner_host, _, pid = container.labels.get(OWNER_LABEL, "").rpartition(":")
        if owner_host == host and pid.isdigit() and not process_exists(int(pid)):
            try:
                container.remove(force=True)
                removed.append(container.name)
            except Exception:  # another grade removed it meanwhile
                pass
    return removed


def _kill(container: Any) -> None:
    try:
        container.kill()
    except Exception:  # it ended meanwhile
        pass


def _signal_name(number: int) -> str | None:
    try:
        return signal.Signals(number).name
    except ValueError:
        return None


__all__ = ["IMAGE_ENV", "DockerRunner", "docker_unavailable_reason"]
