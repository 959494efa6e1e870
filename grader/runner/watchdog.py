"""The limits a runner keeps from outside the child: a wall-clock deadline and an output quota.

Two threads per run, so that nothing the child writes can stop the clock: a timer that only
waits for the deadline and calls ``stop`` (kill the process group, or the container), and a
disk check that measures the writable folders four times a second and calls ``stop`` when they
outgrow the quota. Where they are quota tmpfs (``grade`` as root: `grader.runner.quota`), the
kernel holds the bound and the check reads the file system's own count; elsewhere it walks
whatever tree the child built (any depth, any modes, links not followed) with an explicit stack
and a bounded count of entries. A failure in the check ends that check only, never the timer.
The runner itself waits on the child without polling, so a run that ends early is seen the
moment it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from grader.runner import WRITABLE, Limits, quota
from grader.runner.jobs import entries_under
from grader.sandbox import NO_SPACE_EXIT

POLL_S = 0.25
# More entries than this under a job's writable folders is over its quota whatever their size:
# it bounds each check's time (a million empty files would otherwise take seconds to count).
MAX_ENTRIES = 100_000


def confine_writable(job_dir: Path, limits: Limits) -> None:
    """Make each writable folder of a job a quota tmpfs where ``grade`` may mount one (root):
    the kernel then holds the output quota whatever the child does; elsewhere nothing changes."""
    for name in WRITABLE:
        quota.confine(job_dir / name, limits.max_output_mb * 2**20, MAX_ENTRIES)


class TooManyEntries(Exception):
    """The folders hold more than `MAX_ENTRIES` files and folders."""


def usage(folders: list[Path], confined: set[Path], max_entries: int = MAX_ENTRIES) -> tuple[int, int]:
    """Disk bytes and files-and-folders under ``folders``. A folder in ``confined`` (a quota
    tmpfs, `grader.runner.quota`) is read from its file system, files deleted while open
    included; any other is walked, links not followed, at any depth (no recursion), and
    `TooManyEntries` is raised past ``max_entries``. A folder it may not read counts as empty."""
    total = entries = 0
    for folder in confined:
        used, count = quota.usage(folder)
        total, entries = total + used, entries + count
    walked = [folder for folder in folders if folder not in confined]
    for seen, entry in enumerate(entries_under(walked), start=1):
        if seen > max_entries:
            raise TooManyEntries(f"more than {max_entries} files and folders")
        entries += 1
        try:
            total += entry.stat(follow_symlinks=False).st_blocks * 512
        except OSError:
            continue
    return total, entries


class Watchdog:
    """Calls ``stop`` once ``timeout_s`` has passed (``None``: the runner keeps time itself) or
    once ``folders`` have grown by more than ``quota_bytes`` (or `MAX_ENTRIES` entries) since it
    started; `finish` looks once more, so a run that outgrew them between two looks is over too."""

    def __init__(
        self, stop: Callable[[], None], folders: list[Path], quota_bytes: int, timeout_s: float | None
    ) -> None:
        self.timed_out = self.disk_exceeded = False
        self._done = threading.Event()
        self._stopped = threading.Lock()
        self._folders, self._quota = folders, quota_bytes
        # Which folders are quota tmpfs is read once: the mount table is not read four times a second.
        self._confined = {folder for folder in folders if quota.is_confined(folder)}
        try:
            self._baseline = usage(folders, self._confined)
        except TooManyEntries:
            self._baseline = (0, 0)  # a job folder the trusted side made holds a handful of files: not reached

        def clock() -> None:
            if timeout_s is not None and not self._done.wait(timeout_s):
                self._once("timed_out", stop)

        def disk() -> None:
            while not self._done.wait(POLL_S):
                try:
                    over = self._over()
                except Exception:  # whatever a tree does to the count, the clock runs on
                    return
                if over:
                    self._once("disk_exceeded", stop)
                    return

        self._threads = [threading.Thread(target=target, daemon=True) for target in (clock, disk)]
        for thread in self._threads:
            thread.start()

    def _over(self) -> bool:
        try:
            used, entries = usage(self._folders, self._confined)
        except TooManyEntries:
            return True
        return used - self._baseline[0] > self._quota or entries - self._baseline[1] > MAX_ENTRIES

    def _once(self, reason: str, stop: Callable[[], None]) -> None:
        with self._stopped:
            if not (self.timed_out or self.disk_exceeded):
                setattr(self, reason, True)
                stop()

    def finish(self, exit_code: int | None = None) -> None:
        """The run has ended (with ``exit_code``): stop watching, and say whether it ended over
        the quota: over it now, or stopped by a full quota tmpfs (`NO_SPACE_EXIT`: what filled
        it may have been freed when it ended)."""
        self._done.set()
        for thread in self._threads:
            thread.join()
        if not (self.timed_out or self.disk_exceeded):
            try:
                over = self._over()
            except Exception:
                over = False
            self.disk_exceeded = over or (bool(self._confined) and exit_code == NO_SPACE_EXIT)
