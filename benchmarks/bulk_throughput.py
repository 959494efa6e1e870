"""Bulk grading throughput on function exercises: K workers vs one, and the per-job overhead
of the results store and the scheduling.

Target (issue 5): speed-up at least 0.8·K. Prints figures, asserts nothing.

    python benchmarks/bulk_throughput.py [--submissions 40] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from grader import api
from grader.bulk import BulkOptions
from grader.bulk.store import DB_NAME

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    print(f"machine: {platform.machine()} {cpu}, {os.cpu_count()} cores; {platform.platform()}")
    print(
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, tfcert-grader {version('tfcert-grader')}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        samples = ["exercise5", "exercise1", "exercise2"]
        for i in range(args.submissions):
            exercise = samples[i % len(samples)]
            shutil.copyfile(ROOT / "solutions" / f"{exercise}.py", folder / f"s{i:03d}_{exercise}.py")
        base = None
        print(f"{'workers':>7} {'wall s':>8} {'per job s':>10} {'speed-up':>9} {'overhead/job s':>15}")
        for k in args.workers:
            out = Path(tmp) / f"out-{k}"
            started = time.perf_counter()
            summary = api.grade_batch(folder, out, options=BulkOptions(workers=k, runner="local"))
            wall = time.perf_counter() - started
            with sqlite3.connect(out / DB_NAME) as db:
                graded = sum(s for (s,) in db.execute("SELECT seconds FROM results"))
            base = base or wall
            # What a job costs beyond its own grading call, spread over the workers.
            overhead = (wall * k - graded) / summary.graded
            print(f"{k:>7} {wall:8.2f} {wall / summary.graded:10.3f} {base / wall:9.2f} {overhead:15.3f}")


if __name__ == "__main__":
    main()
