"""The certificate's five categories from raw files, end to end (issue 27): small synthetic data in
exactly the exam's formats (a zip of PNG class folders, the sarcasm JSON array, Sunspots.csv), the
reference solutions, and the flawed files learners write, each with its exact verdict and finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import api
from grader.data.registry import LINEAR_POINTS, SARCASM, SUNSPOTS
from grader.data.store import fetch
from tests.conftest import SOLUTIONS, SUBMISSIONS
from tests.synthetic_raw import write_horses_like, write_rps_like, write_sarcasm_like, write_sunspots_like

pytest.importorskip("keras")  # the sandbox and the evaluator need TensorFlow; the grade process does not
pytestmark = pytest.mark.slow

CERT = SUBMISSIONS / "cert"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cert-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        datasets = root / "datasets"
        write_rps_like(datasets, per_class_train=60)
        write_horses_like(datasets, per_class_train=60)
        write_sarcasm_like(datasets)
        write_sunspots_like(datasets)
        fetch(LINEAR_POINTS, datasets)  # made here, as `grade data fetch linear-points` makes it
        yield datasets


def grade(exercise: str, path: Path, data_dir: Path, **options):
    return api.grade(exercise, path, data_dir=data_dir, **options)


@pytest.mark.parametrize("exercise", ["exercise12", "exercise13", "exercise14", "exercise15", "exercise16"])
def test_reference_solutions_pass_on_data_in_the_exam_s_formats(exercise, data_dir) -> None:
    report = grade(exercise, SOLUTIONS / f"{exercise}.py", data_dir)
    assert report.verdict == "passed", report.message.en + report.output[-2000:]
    assert report.score == 100 and report.model is not None and report.model.met
    assert report.model.findings == ()  # the coach has nothing to say about a reference solution
    if exercise == "exercise15":  # it carries its own TextVectorization: fed raw headlines, and told so
        assert any("your model reads raw text" in n.en for n in report.notes)


# file, exercise, verdict, the checks' statuses (loads, contract, metric), what the report says, the findings
CASES = [
    ("linear_curve.py", "exercise12", "failed", ("passed", "passed", "failed"), "mse", None),
    (
        "rps_no_augmentation.py",
        "exercise13",
        "failed",
        ("passed", "passed", "failed"),
        "accuracy",
        ("memorised-images", "collapse", "overfitting"),
    ),
    (
        "rps_rescaling_inside.py",
        "exercise13",
        "failed",
        ("passed", "passed", "failed"),
        "accuracy",
        ("input-scale", "collapse"),
    ),
    (
        "horses_linear_output.py",
        "exercise14",
        "contract-error",
        ("passed", "failed", "not-run"),
        "output activation",
        None,
    ),
    ("horses_two_softmax.py", "exercise14", "contract-error", ("passed", "failed", "not-run"), "output: 2 units", None),
    (
        "sarcasm_max_length_100.py",
        "exercise15",
        "contract-error",
        ("passed", "failed", "not-run"),
        "max_length = 120",
        None,
    ),
    ("sarcasm_tokenizer.py", "exercise15", "passed", ("passed", "passed", "passed"), "accuracy", ()),
    ("sunspots_shifted.py", "exercise16", "failed", ("passed", "passed", "failed"), "of 5", ("lagging-forecast",)),
    ("sunspots_lambda.py", "exercise16", "contract-error", ("failed", "not-run", "not-run"), "Lambda layer", None),
]


@pytest.mark.parametrize(
    ("file", "exercise", "verdict", "statuses", "says", "findings"), CASES, ids=[c[0] for c in CASES]
)
def test_a_flawed_exam_file_gets_its_exact_verdict_and_finding(
    file, exercise, verdict, statuses, says, findings, data_dir
) -> None:
    report = grade(exercise, CERT / file, data_dir)
    assert report.verdict == verdict, report.message.en + report.output[-2000:]
    assert tuple(c.status for c in report.checks) == statuses
    assert says in report.message.en + "\n".join(c.message.en for c in report.checks)
    assert report.message.ko
    if findings is not None:
        assert tuple(f.name for f in report.model.findings) == findings
    if file == "sarcasm_tokenizer.py":  # the exam's own route: token ids, encoded as its starter did
        assert any("your model reads token ids" in n.en and "Tokenizer(num_words=1000" in n.en for n in report.notes)


def test_the_hidden_files_and_rows_never_enter_the_sandbox(data_dir) -> None:
    hunter = SUBMISSIONS / "models" / "hunts_raw_files.py"
    records = json.loads((data_dir / "sarcasm.json").read_text(encoding="utf-8"))
    hidden = {r["headline"] for r in records[SARCASM.public_rows :]} - {r["headline"] for r in records[:20000]}
    assert hidden  # the synthetic file has headlines only its hidden part holds
    sarcasm = grade("exercise15", hunter, data_dir)
    assert "FILES ['sarcasm.json']" in sarcasm.output and f"RECORDS {len(records)} EXTRA 0" in sarcasm.output
    rps = grade("exercise13", hunter, data_dir)
    assert "FILES ['rps.zip']" in rps.output and "FOUND" not in rps.output
    sunspots = grade("exercise16", hunter, data_dir)
    assert f"ROWS {SUNSPOTS.public_rows}" in sunspots.output


UNTRAINED = {  # each cert task's contract, untrained: it loads and fits the contract (20 points)
    "exercise12": "keras.Input((1,)), keras.layers.Dense(1)",
    "exercise10": "keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')",
    "exercise13": "keras.Input((150, 150, 3)), keras.layers.GlobalAveragePooling2D(), "
    "keras.layers.Dense(3, activation='softmax')",
    "exercise15": "keras.Input((120,)), keras.layers.Embedding(1000, 16), keras.layers.GlobalAveragePooling1D(), "
    "keras.layers.Dense(1, activation='sigmoid')",
    "exercise16": "keras.Input((30,)), keras.layers.Dense(1)",
}


def test_the_cert_exam_is_the_five_categories_and_scores_sunspots_by_its_formula(
    tmp_path, data_dir, monkeypatch
) -> None:
    from grader import config
    from tests.synthetic import write_image_dataset

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(config.EXAM_SECRET_ENV, raising=False)
    write_image_dataset("fashion-mnist", data_dir, n_train=600, n_test=200)
    folder = tmp_path / "exam"
    started = api.exam_start(folder, template="cert")
    assert [t.exercise for t in started.template.tasks] == list(UNTRAINED)
    assert [t.weight for t in started.template.tasks] == [1, 2, 3, 4, 5]
    for task in started.template.tasks:
        source = f"import keras\n\n\ndef solution_model():\n    return keras.Sequential([{UNTRAINED[task.exercise]}])\n"
        (folder / f"{task.name}.py").write_text(source, encoding="utf-8")
    reports = api.exam_submit(folder, [], runner="local", data_dir=data_dir)
    assert [r.verdict for r in reports] == ["failed"] * 5, [r.message.en for r in reports]
    final = api.exam_finish(folder)
    assert not final["passed"] and all(t["of_5"] <= 4 for t in final["tasks"])
    sunspots = reports[4]
    steps = find_steps(sunspots.model.value)
    assert final["tasks"][4]["of_5"] == steps  # the formula's steps, not the report's 20 load and contract points
    assert f"= {steps} of 5" in sunspots.message.en


def find_steps(mae: float) -> int:
    from grader.exercise import find_exercise

    return find_exercise("exercise16").model.steps.of(mae)


def _saved(tmp_path: Path, layers: str, name: str = "model.keras") -> Path:
    """A model built and saved in a child process (this one stays free of TensorFlow's state)."""
    import subprocess
    import sys

    path = tmp_path / name
    code = f"import keras\nkeras.Sequential([{layers}]).save({str(path)!r})\n"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return path


def test_a_saved_model_narrower_than_vocab_size_is_a_contract_error_naming_it(tmp_path, data_dir) -> None:
    narrow = "keras.Input((120,)), keras.layers.Embedding(500, 16), keras.layers.GlobalAveragePooling1D(), "
    narrow += "keras.layers.Dense(1, activation='sigmoid')"
    report = grade("exercise15", _saved(tmp_path, narrow), data_dir)
    assert report.verdict == "contract-error", report.message.en
    assert report.message.en.startswith("vocab_size: the starter fixes vocab_size = 1000; your Embedding has 500")


def test_a_forecast_of_infinities_scores_no_step_and_is_no_grader_error(tmp_path, data_dir) -> None:
    huge = "keras.Input((30,)), keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(1e30)), "
    huge += "keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(1e30))"
    report = grade("exercise16", _saved(tmp_path, huge), data_dir)
    assert report.verdict in ("failed", "contract-error"), report.message.en
    assert report.score <= 20
