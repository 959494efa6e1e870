"""The limits a runner keeps from outside the child: a wall-clock deadline and an output quota.

One thread per run checks both four times a second and calls ``stop`` (kill the process group,
or the container) when either is passed, while the runner itself waits on the child without
polling, so a run that ends early is seen the moment it ends.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

POLL_S = 0.25


def used_bytes(folders: list[Path]) -> int:
    """Disk blocks the files under ``folders`` take (links not followed)."""
    total = 0
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                try:
                    total += os.lstat(os.path.join(root, name)).st_blocks * 512
                except OSError:
                    continue
    return total


class Watchdog:
    """Calls ``stop`` once ``timeout_s`` has passed (``None``: the runner keeps time itself) or
    once ``folders`` have grown by more than ``quota`` bytes since it started."""

    def __init__(self, stop: Callable[[], None], folders: list[Path], quota: int, timeout_s: float | None) -> None:
        self.timed_out = self.disk_exceeded = False
        self._done = threading.Event()
        baseline = used_bytes(folders)
        deadline = time.monotonic() + timeout_s if timeout_s is not None else None

        def wait_s() -> float:
            return POLL_S if deadline is None else min(POLL_S, max(deadline - time.monotonic(), 0))

        def watch() -> None:
            while not self._done.wait(wait_s()):
                if deadline is not None and time.monotonic() >= deadline:
                    self.timed_out = True
                elif used_bytes(folders) - baseline > quota:
                    self.disk_exceeded = True
                else:
                    continue
                stop()
                return

        self._thread = threading.Thread(target=watch, daemon=True)
        self._thread.start()

    def finish(self) -> None:
        self._done.set()
        self._thread.join()
