"""The limits a runner keeps from outside the child: a wall-clock deadline and an output quota.

Two threads per run, so that nothing the child writes can stop the clock: a timer that only
waits for the deadline and calls ``stop`` (kill the process group, or the container), and a
disk check that measures the writable folders four times a second and calls ``stop`` when they
outgrow the quota. The disk check walks whatever tree the child built (any depth, any modes,
links not followed) with an explicit stack and a bounded count of entries, and a failure in it
ends that check only, never the timer. The runner itself waits on the child without polling,
so a run that ends early is seen the moment it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from grader.runner.jobs import entries_under

POLL_S = 0.25
# More entries than this under a job's writable folders is over its quota whatever their size:
# it bounds each check's time (a million empty files would otherwise take seconds to count).
MAX_ENTRIES = 100_000


class TooManyEntries(Exception):
    """The folders hold more than `MAX_ENTRIES` files and folders."""


def used_bytes(folders: list[Path], max_entries: int = MAX_ENTRIES) -> int:
    """Disk blocks the files under ``folders`` take, links not followed, at any depth (no
    recursion); `TooManyEntries` past ``max_entries``. A folder it may not read counts as empty."""
    total = 0
    for seen, entry in enumerate(entries_under(folders), start=1):
        if seen > max_entries:
            raise TooManyEntries(f"more than {max_entries} files and folders")
        try:
            total += entry.stat(follow_symlinks=False).st_blocks * 512
        except OSError:
            continue
    return total


class Watchdog:
    """Calls ``stop`` once ``timeout_s`` has passed (``None``: the runner keeps time itself) or
    once ``folders`` have grown by more than ``quota`` bytes since it started."""

    def __init__(self, stop: Callable[[], None], folders: list[Path], quota: int, timeout_s: float | None) -> None:
        self.timed_out = self.disk_exceeded = False
        self._done = threading.Event()
        self._stopped = threading.Lock()
        try:
            baseline = used_bytes(folders)
        except TooManyEntries:
            baseline = 0  # a job folder the trusted side made holds a handful of files: not reached

        def once(reason: str) -> None:
            with self._stopped:
                if not (self.timed_out or self.disk_exceeded):
                    setattr(self, reason, True)
                    stop()

        def clock() -> None:
            if timeout_s is not None and not self._done.wait(timeout_s):
                once("timed_out")

        def disk() -> None:
            while not self._done.wait(POLL_S):
                try:
                    over = used_bytes(folders) - baseline > quota
                except TooManyEntries:
                    over = True
                except Exception:  # whatever a tree does to the count, the clock runs on
                    return
                if over:
                    once("disk_exceeded")
                    return

        self._threads = [threading.Thread(target=target, daemon=True) for target in (clock, disk)]
        for thread in self._threads:
            thread.start()

    def finish(self) -> None:
        self._done.set()
        for thread in self._threads:
            thread.join()
