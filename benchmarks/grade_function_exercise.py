"""How long `grade EXERCISE solutions/EXERCISE.py` takes, end to end, as a learner runs it.

Target (issue 2): exercise5 at or under 1.0 s wall on the 2-core machine. With ``--runner
docker`` (issue 4) the same figures through containers, to compare with ``--runner local``.
Beside each, a bare run of the same solution in the same invocation (issue 11: at most 1.5×):
one Python process that starts a second one, which imports numpy, runs the solution file and
calls its function once, as grade and its sandbox do, without the sandbox or the checks.
This prints figures; it asserts nothing (speed targets are not timed tests).

Both run as on a learner's machine, where Python keeps the grader's compiled modules (pip
compiles them at install): ``PYTHONDONTWRITEBYTECODE`` is dropped for every run here, else an
editable checkout recompiles about 40 grader modules on every grading (~80 ms) while the bare
run compiles nothing of its own. ``term`` is the same grading printing its table to the
terminal (rich loads only then), the way a learner runs it; the ratio is taken on ``--json``.

    python benchmarks/grade_function_exercise.py [--runs 10] [--runner local|docker] [exercise ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def grade_command() -> list[str]:
    script = shutil.which("grade", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, str(ROOT / "cli.py")]


# As on a learner's machine: compiled modules are kept (see the docstring).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def one_run(exercise: str, runner: str) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    out = subprocess.run(
        [*grade_command(), exercise, str(ROOT / "solutions" / f"{exercise}.py"), "--json", "--runner", runner],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    wall = time.perf_counter() - started
    report = json.loads(out.stdout)
    if report["verdict"] != "passed":
        raise SystemExit(f"{exercise}: reference solution did not pass: {report['verdict']}")
    return wall, report["timings"]


# The parent of a bare run: like `grade`, it starts one child Python and waits for it.
_BARE_PARENT = (
    "import subprocess, sys; sys.exit(subprocess.run([sys.executable, '-c', sys.argv[1], sys.argv[2]]).returncode)"
)
_BARE_CHILD = """
import sys
import numpy as np
ns = {"__name__": "submission"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), ns)
name = "split_x" if "split_x" in ns else next(k for k, v in ns.items() if callable(v) and not k.startswith("_"))
try:
    ns[name](np.arange(600, dtype=float).reshape(150, 4), 5)
except Exception:
    pass  # another exercise's signature: the start and the import are what the bare run measures
"""


def terminal_run(exercise: str, runner: str) -> float:
    """The command as a learner types it: the report drawn as a table (not a tty here: no colour)."""
    started = time.perf_counter()
    command = [*grade_command(), exercise, str(ROOT / "solutions" / f"{exercise}.py"), "--runner", runner]
    subprocess.run(command, capture_output=True, cwd=ROOT, env=ENV, check=True)
    return time.perf_counter() - started


def bare_run(exercise: str) -> float:
    started = time.perf_counter()
    solution = str(ROOT / "solutions" / f"{exercise}.py")
    command = [sys.executable, "-c", _BARE_PARENT, _BARE_CHILD, solution]
    subprocess.run(command, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exercises", nargs="*", default=["exercise5", "exercise1", "exercise2", "exercise3"])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--runner", choices=["local", "docker"], default="local")
    args = parser.parse_args()

    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    print(f"machine: {platform.machine()} {cpu}, {os.cpu_count()} cores; {platform.platform()}")
    print(
        f"python {platform.python_version()}, numpy {version('numpy')}, click {version('click')}, "
        f"rich {version('rich')}, tfcert-grader {version('tfcert-grader')}"
    )
    print(f"runner: {args.runner}")
    one_run(args.exercises[0], args.runner)  # warm the page cache and matplotlib's config dir once
    print(f"PYTHONDONTWRITEBYTECODE here: {os.environ.get('PYTHONDONTWRITEBYTECODE', 'unset')}; dropped for the runs")
    print(
        f"{'exercise':<10} {'median':>8} {'min':>8} {'max':>8} {'term':>8} {'bare':>8} {'ratio':>6}   median phases (s)"
    )
    for exercise in args.exercises:
        runs, terminal, bare = [], [], []
        for _ in range(args.runs):  # interleaved, so all see the same load
            runs.append(one_run(exercise, args.runner))
            terminal.append(terminal_run(exercise, args.runner))
            bare.append(bare_run(exercise))
        walls = [w for w, _ in runs]
        phases = {k: statistics.median(t[k] for _, t in runs) for k in runs[0][1]}
        shown = ", ".join(f"{k.removesuffix('_s')} {v:.3f}" for k, v in phases.items())
        median, bare_median = statistics.median(walls), statistics.median(bare)
        print(
            f"{exercise:<10} {median:8.3f} {min(walls):8.3f} {max(walls):8.3f} {statistics.median(terminal):8.3f} "
            f"{bare_median:8.3f} {median / bare_median:5.2f}x   {shown}"
        )


if __name__ == "__main__":
    main()
