"""Container start-to-first-line overhead: how long until a submission's first printed line
arrives, through the docker runner (warm image) and through the local runner.

Target (issue 4): docker at or under 2 s on the 2-core machine. Prints figures, asserts nothing.

    python benchmarks/container_start.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from grader.runner import Limits, SandboxJob
from grader.runner.calls import write_calls
from grader.runner.docker import DockerRunner, docker_client
from grader.runner.jobs import make_function_job_dir, remove_job_dir
from grader.runner.local import LocalRunner


def time_to_first_line(runner, submission: Path) -> tuple[float, float]:
    """Seconds from asking the runner to seeing the first line, and to the end of the run."""
    root = make_function_job_dir(submission, ["split_x"])
    write_calls(root, [])  # no calls: the run is the start, the import and the first line
    first: list[float] = []
    started = time.perf_counter()

    def seen(chunk: str) -> None:
        if not first and "first line" in chunk:
            first.append(time.perf_counter() - started)

    try:
        run = runner.run(SandboxJob(dir=root, limits=Limits(timeout_s=60), on_output=seen))
    finally:
        remove_job_dir(root)
    if not first:
        raise SystemExit(f"{runner.name}: the first line never came: {run.output[-500:]}")
    return first[0], run.wall_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    server = docker_client().version()
    print(f"machine: {platform.machine()} {cpu}, {os.cpu_count()} cores; {platform.platform()}")
    print(
        f"python {platform.python_version()}, docker engine {server.get('Version')}, "
        f"docker SDK {version('docker')}, tfcert-grader {version('tfcert-grader')}"
    )
    with tempfile.TemporaryDirectory() as folder:
        submission = Path(folder) / "prints.py"
        submission.write_text('print("first line", flush=True)\n\ndef split_x(seq, size):\n    return seq\n')
        print(f"{'runner':<8} {'first line median':>18} {'min':>7} {'max':>7} {'whole run median':>17}")
        for runner in (LocalRunner(), DockerRunner()):
            time_to_first_line(runner, submission)  # warm caches once
            runs = [time_to_first_line(runner, submission) for _ in range(args.runs)]
            firsts = [f for f, _ in runs]
            print(
                f"{runner.name:<8} {statistics.median(firsts):18.3f} {min(firsts):7.3f} {max(firsts):7.3f} "
                f"{statistics.median(w for _, w in runs):17.3f}"
            )


if __name__ == "__main__":
    main()
