"""Model-exercise overheads: grading vs the same training run bare, and evaluation costs.

Targets (issue 3): grader overhead ≤ 1.10× bare training; hidden-test evaluation of 10k images
(predict) ≤ 2 s on CPU. Uses the real Fashion-MNIST from Debian's package by default. Since
issue 14 the evaluator starts with the training (one TensorFlow start on the learner's clock, not
two): ``evaluate`` is what is left after training ends, loading and predicting and little else.
The bare run and the grading vary by a few seconds from run to run on a shared 2-core machine:
run it twice before reading much into one ratio.

    python benchmarks/model_exercise.py [--data-dir /usr/share/datasets] [--exercise exercise10]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import api  # noqa: E402
from grader.data import store  # noqa: E402
from grader.data.registry import get_dataset  # noqa: E402


def bare_training(solution: Path, keras_home: Path) -> float:
    """The reference solution's solution_model() in a plain process: no sandbox, no evaluation."""
    code = (
        "import importlib.util, sys; spec = importlib.util.spec_from_file_location('s', sys.argv[1]); "
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); m.solution_model()"
    )
    env = dict(os.environ, KERAS_HOME=str(keras_home), KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(solution)], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def fixed_epochs(solution: Path, epochs: int, directory: Path) -> Path:
    """The reference solution with its stopping callback removed and a fixed epoch count, so both
    runs do the same work."""
    text = solution.read_text(encoding="utf-8")
    text = text.replace("callbacks=[StopAtTarget()],", "").replace("epochs=15,", f"epochs={epochs},")
    path = directory / solution.name
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path("/usr/share/datasets"))
    parser.add_argument("--exercise", default="exercise10")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    exercise = api.get_exercise(args.exercise)
    solution = fixed_epochs(ROOT / "solutions" / f"{exercise.id}.py", args.epochs, Path(tempfile.mkdtemp()))

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()}")
    print(f"tensorflow-cpu {version('tensorflow-cpu')}, keras {version('keras')}, backend tensorflow (CPU)")
    report = api.grade(exercise.id, solution, data_dir=args.data_dir)
    t = report.timings
    print(f"graded: {report.verdict}, {exercise.model.metric} {report.model.value:.4f}, {report.model.epochs} epochs")
    print(f"  total {t['total_s']:.1f} s = sandbox {t['sandbox_s']:.1f} s + evaluate {t['evaluate_s']:.1f} s")
    print(
        f"  evaluator: load {t.get('evaluate_load_s', 0):.2f} s, predict {t.get('evaluate_predict_s', 0):.2f} s, "
        f"coach's measurements {t.get('evaluate_diagnose_s', 0):.2f} s"
    )

    home = store.public_copy(get_dataset(exercise.model.dataset), args.data_dir)
    bare = bare_training(solution, home)
    print(f"bare run ({args.epochs} epochs, the same script): {bare:.1f} s")
    print(f"  sandbox/bare = {t['sandbox_s'] / bare:.2f}×, grading total/bare = {t['total_s'] / bare:.2f}×")


if __name__ == "__main__":
    main()
