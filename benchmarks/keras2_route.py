"""What the Keras 2 route (tf-keras, issue 25) costs: its installed size, and a child's start with
and without it (a fresh interpreter each time, as a training sandbox or the evaluator starts).

    import tensorflow                   Keras 3 as tf.keras                 vs  TF_USE_LEGACY_KERAS=1
    the child's Keras (keras2.keras_api)  import keras (Keras 3)            vs  import tf_keras (the route)

Prints figures (medians of --runs, the runs interleaved), asserts nothing. Measured with 5 runs on
the shared 2-core machine (load average 5-15 from other work, so the spread is wide; two sessions
agreed in direction), tf-keras 2.21.0, TensorFlow 2.21 CPU, Keras 3.15:

    installed: site-packages/tf_keras 18 MB on disk (du), 13 MB of files, 6 MB of them without .pyc;
               the wheel is 1.7 MB
    import tensorflow                   median 7.3 s (min 4.9)   with TF_USE_LEGACY_KERAS=1  5.5 s (min 3.6)
    child's Keras: import keras         median 5.3 s (min 4.8)   import tf_keras (the route) 3.9 s (min 3.6)

The route starts no slower (faster, here): TensorFlow does not load Keras 3 under the variable, and
tf_keras takes less to import. What an automatic choice costs is the Keras 3 run that failed first:
a fresh child and its TensorFlow start (about 5 s), plus whatever the file did before the idiom.

    python benchmarks/keras2_route.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "import tensorflow": ("import tensorflow", {}),
    "import tensorflow (TF_USE_LEGACY_KERAS=1)": ("import tensorflow", {"TF_USE_LEGACY_KERAS": "1"}),
    "child's Keras: import keras (Keras 3)": ("from grader.sandbox import keras2; keras2.keras_api()", {}),
    "child's Keras: import tf_keras (the route)": (
        "from grader.sandbox import keras2; keras2.keras_api()",
        {"TF_USE_LEGACY_KERAS": "1"},
    ),
}


def started_in(code: str, extra: dict[str, str]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    env.update({"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", **extra})
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def folder_mb(path: Path, *, pyc: bool = True) -> float:
    files = (p for p in path.rglob("*") if p.is_file() and (pyc or p.suffix != ".pyc"))
    return sum(p.stat().st_size for p in files) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import tf_keras  # only to find it: the figures come from fresh processes

    installed = Path(tf_keras.__file__).parent
    print(
        f"tf-keras {version('tf-keras')}, tensorflow {version('tensorflow-cpu')}, keras {version('keras')}, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"installed: {installed} {folder_mb(installed):.0f} MB "
        f"({folder_mb(installed, pyc=False):.0f} MB without .pyc files)"
    )
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, (code, extra) in CASES.items():
            times[name].append(started_in(code, extra))
    for name, values in times.items():
        print(f"{name:45s} median {statistics.median(values):.2f} s  (min {min(values):.2f}, max {max(values):.2f})")


if __name__ == "__main__":
    main()
