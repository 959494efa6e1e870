"""Practice exams scored as the certificate did, on real gradings of small saved models (issue 24):
a model task that misses its target keeps at most 4 of 5 and the exam does not pass, even with a
pass mark that a 4 of 5 would reach; the certificate's five tasks each missing do not pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import api, config
from grader.data.registry import SEASONAL_SERIES
from grader.data.store import fetch
from tests.synthetic import write_boston_like, write_cifar_like, write_image_dataset, write_imdb_like

pytest.importorskip("keras")  # the sandbox and the evaluator need TensorFlow
pytestmark = pytest.mark.slow

# An untrained model of each datasets-template task's contract: it loads and fits the contract (20 points),
# and scores what guessing scores on the hidden test set.
UNTRAINED = {
    "exercise4": "keras.Input((13,)), keras.layers.Dense(1)",
    "exercise10": "keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')",
    "exercise7": "keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')",
    "exercise8": "keras.Input((256,)), keras.layers.Embedding(10000, 4), keras.layers.GlobalAveragePooling1D(), "
    "keras.layers.Dense(1, activation='sigmoid')",
    "exercise11": "keras.Input((30,)), keras.layers.Dense(1)",
}


def untrained(exercise: str) -> str:
    return f"import keras\n\n\ndef solution_model():\n    return keras.Sequential([{UNTRAINED[exercise]}])\n"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("exam-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        write_boston_like(root / "datasets")
        write_image_dataset("fashion-mnist", root / "datasets", n_train=600, n_test=200)
        write_cifar_like(root / "datasets", n_test=200)
        write_imdb_like(root / "datasets", n_train=400, n_test=200)
        fetch(SEASONAL_SERIES, root / "datasets")
        yield root / "datasets"


@pytest.fixture(autouse=True)
def keys_here(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(config.EXAM_SECRET_ENV, raising=False)


def test_a_one_task_exam_whose_model_misses_its_target_does_not_pass(tmp_path, data_dir) -> None:
    template = tmp_path / "one.toml"
    template.write_text(
        'name = "one"\ntitle = "One"\nduration = "1h"\npass_mark = 0.2\n[[tasks]]\nexercise = "exercise10"\n',
        encoding="utf-8",
    )
    folder = tmp_path / "exam"
    api.exam_start(folder, template=str(template))
    (folder / "task1.py").write_text(untrained("exercise10"), encoding="utf-8")
    (report,) = api.exam_submit(folder, ["task1"], runner="local", data_dir=data_dir)
    assert report.verdict == "failed" and report.score == 20, report.message.en
    final = api.exam_finish(folder)
    # 1 of 5 reaches this template's 20 % mark, but no task met its target: not passed.
    assert final["tasks"][0]["of_5"] == 1 and final["total"] == 1 and not final["passed"]


def test_the_datasets_exam_of_five_models_that_each_miss_does_not_pass(tmp_path, data_dir) -> None:
    folder = tmp_path / "exam"
    started = api.exam_start(folder, template="datasets")  # the certificate's shape on keras.datasets
    for task in started.template.tasks:
        (folder / f"{task.name}.py").write_text(untrained(task.exercise), encoding="utf-8")
    reports = api.exam_submit(folder, [], runner="local", data_dir=data_dir)
    assert [r.verdict for r in reports] == ["failed"] * 5, [r.message.en for r in reports]
    final = api.exam_finish(folder)
    assert all(t["of_5"] <= 4 for t in final["tasks"]) and not final["passed"]
    assert "NOT PASSED" in (folder / "final_report.md").read_text(encoding="utf-8")
