"""Removes a job's container and folders when the grade that started them is killed.

``python -m grader.runner.reaper CONTAINER_ID JOB_DIR``, started by the docker runner in a
session of its own for each container, with a pipe from grade as its stdin. A container is the
daemon's, not a child of grade: ``kill -9`` of grade would leave it running, and the job's
hidden inputs on disk. grade says ``done`` on the pipe once it has removed the container
itself; a pipe that closes without it means grade is gone, and the reaper removes the
container (and what runs in it), the job folder, and every other ``grade-*`` folder whose
owner is gone (the submission's snapshot among them) at once.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

DONE = b"done\n"
OWNER_EXIT_WAIT_S = 5.0  # the pipe closes while the killed grade is still exiting


def main(argv: list[str]) -> int:
    container_id, job_dir = argv[0], Path(argv[1])
    owner = os.getppid()  # grade, until it is gone
    if sys.stdin.buffer.readline() == DONE:
        return 0
    from grader.runner.engine import docker_client  # only now: the SDK costs a moment to import
    from grader.runner.jobs import process_exists, remove_stale_job_dirs, remove_tree

    try:
        docker_client(timeout=30).containers.get(container_id).remove(force=True)
    except Exception:  # already removed, or the daemon is gone (and its containers with it)
        pass
    remove_tree(job_dir)
    # The other folders grade held (its snapshot of the submission) carry its pid: once the
    # process has finished exiting, they are stale like any a killed grade leaves.
    deadline = time.monotonic() + OWNER_EXIT_WAIT_S
    while process_exists(owner) and time.monotonic() < deadline:
        time.sleep(0.05)
    remove_stale_job_dirs(job_dir.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
