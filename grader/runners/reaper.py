"""Removes a job's container and folder when the grade that started them is killed.

``python -m grader.runners.reaper CONTAINER_ID JOB_DIR``, started by the docker runner in a
session of its own for each container, with a pipe from grade as its stdin. A container is the
daemon's, not a child of grade: ``kill -9`` of grade would leave it running, and the job's
hidden inputs on disk. grade says ``done`` on the pipe once it has removed the container
itself; a pipe that closes without it means grade is gone, and the reaper removes the
container (and what runs in it) and the job folder at once.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

DONE = b"done\n"


def main(argv: list[str]) -> int:
    container_id, job_dir = argv[0], Path(argv[1])
    if sys.stdin.buffer.readline() == DONE:
        return 0
    from grader.runners.docker import docker_client  # only now: the SDK costs a moment to import

    try:
        docker_client(timeout=30).containers.get(container_id).remove(force=True)
    except Exception:  # already removed, or the daemon is gone (and its containers with it)
        pass
    shutil.rmtree(job_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
