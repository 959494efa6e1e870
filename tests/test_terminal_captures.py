"""What a learner sees in a real terminal (tmux, 100 columns), compared with golden captures:
a contract error with two renamed functions, a Korean usage error, and a model trained with
Keras' default verbose=1 progress bar. Timings and the machine's paths are normalised away;
``GRADE_UPDATE_GOLDEN=1`` rewrites the files after a deliberate change."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.grading.test_advice import RENAMED

GOLDEN = ROOT / "tests" / "golden" / "terminal"
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="apt-get install tmux")


def capture(command: list[str], cwd: Path, timeout_s: float = 120, **env: str) -> str:
    """Run ``command`` in a detached tmux window of 100 columns, with ``env`` set for it (a tmux
    server already running would not pass this process's environment on); the whole pane."""
    session = f"grade-{uuid.uuid4().hex[:8]}"
    done = cwd / f".{session}.done"
    setting = shlex.join(["env", *(f"{k}={v}" for k, v in env.items())]) + " " if env else ""
    shell = f"{setting}{shlex.join(command)}; echo $? > {shlex.quote(str(done))}; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "200", "-c", str(cwd), shell],
        check=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    try:
        deadline = time.monotonic() + timeout_s
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.exists(), "the command did not end in time"
        time.sleep(0.3)
        pane = subprocess.run(
            ["tmux", "capture-pane", "-p", "-J", "-t", session, "-S", "-"], capture_output=True, text=True, check=True
        ).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return "\n".join(line.rstrip() for line in pane.rstrip().splitlines()) + "\n"


def normalised(text: str, cwd: Path) -> str:
    text = text.replace(str(cwd), "<dir>").replace(str(ROOT), "<root>")
    text = re.sub(r"\d+(\.\d+)?(ms|s)\b", "<t>", text)  # step times and durations
    text = re.sub(r"\b\d+\.\d+(e[+-]\d+)?\b", "<n>", text)  # losses and accuracies of a training
    text = re.sub(r"(digest|this grader|sha256) [0-9a-f]{12,16}", r"\1 <hex>", text)
    text = re.sub(r"seed: \d+|시드: \d+", "seed: <n>", text)
    return text


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GRADE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; GRADE_UPDATE_GOLDEN=1 to accept"


def grade_command(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), *args, "--runner", "local"]


@needs_tmux
def test_a_contract_error_with_two_renamed_functions(tmp_path) -> None:
    (tmp_path / "homework.py").write_text(RENAMED, encoding="utf-8")
    text = capture(grade_command("exercise2", "homework.py", "--lang", "en", "--seed", "1"), tmp_path)
    assert "split_x=make_windows" in text and "split_xy=make_xy" in text and text.count("split_xy=make_xy") == 1
    assert_golden("renamed_functions.en.txt", normalised(text, tmp_path))


@needs_tmux
def test_a_korean_usage_error(tmp_path) -> None:
    text = capture(grade_command("iris", "homework.py", "--lang", "ko"), tmp_path)
    assert text.startswith("오류: ")
    assert_golden("usage_error.ko.txt", normalised(text, tmp_path))


TRAINS = """# 부트캠프 스타일: verbose=1 (기본값), metrics=['acc']
from tensorflow import keras

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train = x_train / 255.0
model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(32, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
model.fit(x_train, y_train, epochs=3, validation_split=0.2)
"""


@needs_tmux
@pytest.mark.slow
def test_a_verbose_1_training_shows_two_lines_an_epoch(tmp_path) -> None:
    pytest.importorskip("tensorflow")
    from tests.synthetic import write_image_dataset

    write_image_dataset("fashion-mnist", tmp_path / "data", n_train=600, n_test=120)
    (tmp_path / "bootcamp.py").write_text(TRAINS, encoding="utf-8")
    command = grade_command("exercise10", "bootcamp.py", "--lang", "en", "--data-dir", str(tmp_path / "data"))
    text = capture(command, tmp_path, timeout_s=300, XDG_CACHE_HOME=str(tmp_path / "cache"))  # its own public copy
    live = text.split("exercise10 · fashion-mnist")[0]
    epochs = [i for i, line in enumerate(live.splitlines()) if re.fullmatch(r"Epoch [123]/3", line)]
    assert len(epochs) == 3 and "\x1b" not in text and "joblib" not in text
    assert len(live.splitlines()) <= 3 * 2 + 2, live  # a bar redrawn in place: two lines an epoch
    assert_golden("verbose_1_training.en.txt", normalised(live, tmp_path))
