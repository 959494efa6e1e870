"""One memory and process budget for a sandbox's whole process tree: a cgroup per job.

Per-process limits do not add up (two children under a 2 GB RLIMIT_AS held 1.4 GB each) and
an address-space cap breaks TensorFlow, which reserves far more than it uses. A memory cgroup
counts every process of the tree, its tmpfs pages included, and the kernel's OOM killer stops
the tree at the limit; a pids cgroup bounds its processes whoever it runs as.

Where root may create them: cgroup v2 (the unified hierarchy with the memory and pids
controllers), else v1 as on many container hosts (``/sys/fs/cgroup/memory``,
``/sys/fs/cgroup/pids``). Elsewhere ``create`` gives ``None`` and the runner falls back to
per-process limits, saying so in the report.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from grader.runner.jobs import process_exists

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP = "tfcert-grader"  # every job's cgroup lives under this one


@dataclass(frozen=True)
class JobCgroup:
    """The cgroup folders of one job (one per v1 controller, or one v2 folder)."""

    version: int
    folders: tuple[Path, ...]

    def enter_self(self) -> None:
        """Move the calling process in: run between fork and exec, before the sandbox starts.

        On v1 through ``tasks``, which moves one thread: between fork and exec the process is
        that one thread, and its children inherit the cgroup either way. A ``cgroup.procs``
        write moves a whole thread group under a lock whose first taking in a process waits a
        kernel RCU grace period: 6-25 ms on every job's critical path here, against 0.4 ms."""
        entry = "tasks" if self.version == 1 else "cgroup.procs"
        for folder in self.folders:
            with open(folder / entry, "w") as fh:
                fh.write("0")

    @property
    def memory_folder(self) -> Path:
        return next(f for f in self.folders if self.version == 2 or f.parent.parent.name == "memory")

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of the tree for this cgroup's memory limit."""
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            for line in (self.memory_folder / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value) > 0:
                    return True
        except (OSError, ValueError):
            pass
        return False

    def peak_mb(self) -> float | None:
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        try:
            return int((self.memory_folder / name).read_text()) / 2**20
        except (OSError, ValueError):
            return None

    def kill_all(self) -> None:
        """SIGKILL every process still in the cgroup (a setsid escapee included)."""
        for folder in self.folders:
            if (folder / "cgroup.kill").exists():
                try:
                    (folder / "cgroup.kill").write_text("1")
                    continue
                except OSError:
                    pass
            for _ in range(50):
                pids = _pids(folder)
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                time.sleep(0.01)

    def remove(self) -> None:
        self.kill_all()
        for folder in self.folders:
            for _ in range(100):  # a killed task leaves the cgroup a moment after the signal
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)


def _pids(folder: Path) -> list[int]:
    try:
        return [int(p) for p in (folder / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


@cache
def _layout() -> tuple[int, dict[str, Path]] | None:
    """Where job cgroups can be made here: (version, {controller: parent folder}), or None."""
    if os.geteuid() != 0 or not CGROUP_ROOT.is_dir():
        return None
    controllers = CGROUP_ROOT / "cgroup.controllers"
    if controllers.exists():  # v2 mounted at the root
        have = controllers.read_text().split()
        if "memory" in have and "pids" in have:
            parent = CGROUP_ROOT / GROUP
            try:
                parent.mkdir(exist_ok=True)
                (CGROUP_ROOT / "cgroup.subtree_control").write_text("+memory +pids")
                (parent / "cgroup.subtree_control").write_text("+memory +pids")
            except OSError:
                return None
            return 2, {"memory": parent, "pids": parent}
        return None
    found: dict[str, Path] = {}
    for controller in ("memory", "pids"):
        mount = CGROUP_ROOT / controller
        if (mount / "cgroup.procs").exists():
            try:
                (mount / GROUP).mkdir(exist_ok=True)
            except OSError:
                continue
            found[controller] = mount / GROUP
    return (1, found) if "memory" in found else None


def available() -> int | None:
    """The cgroup version jobs get here, or None."""
    layout = _layout()
    return layout[0] if layout else None


def create(memory_mb: int, max_processes: int) -> JobCgroup | None:
    """A fresh cgroup limiting memory (swap included, where accounted) and processes."""
    layout = _layout()
    if layout is None:
        return None
    version, parents = layout
    name = f"job-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    limit = str(memory_mb * 2**20)
    try:
        if version == 2:
            folder = parents["memory"] / name
            folder.mkdir()
            (folder / "memory.max").write_text(limit)
            if (folder / "memory.swap.max").exists():
                (folder / "memory.swap.max").write_text("0")
            (folder / "pids.max").write_text(str(max_processes))
            return JobCgroup(2, (folder,))
        folders = []
        memory = parents["memory"] / name
        memory.mkdir()
        folders.append(memory)
        (memory / "memory.limit_in_bytes").write_text(limit)
        if (memory / "memory.memsw.limit_in_bytes").exists():
            (memory / "memory.memsw.limit_in_bytes").write_text(limit)
        if "pids" in parents:
            pids = parents["pids"] / name
            pids.mkdir()
            folders.append(pids)
            (pids / "pids.max").write_text(str(max_processes))
        return JobCgroup(1, tuple(folders))
    except OSError:
        return None


def remove_stale() -> None:
    """Remove job cgroups left by a grade that was killed (their processes die with them)."""
    layout = _layout()
    if layout is None:
        return
    for parent in set(layout[1].values()):
        for folder in parent.glob("job-*"):
            owner = folder.name.split("-")[1]
            if owner.isdigit() and not process_exists(int(owner)):
                JobCgroup(layout[0], (folder,)).remove()
