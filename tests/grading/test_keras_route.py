"""The Keras 2 route's decisions, without TensorFlow: the idiom catalogue, when grading tries the
route, what the report says, and how ``--keras`` reaches the request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import cli
from grader import api
from grader.grading.keras_idioms import IDIOMS, find_idiom
from grader.grading.keras_route import KerasRoute, keras_choice_problem, route_env
from grader.text import Text
from tests.conftest import SOLUTIONS, SUBMISSIONS

# (type, message) as Keras 3.15 / tf-keras 2.21 raise them (recorded from real runs), and the idiom.
RAISED = [
    ("ValueError", "Argument(s) not recognized: {'lr': 0.001}", "optimizer-lr", True),
    ("ValueError", "Unrecognized keyword arguments passed to LSTM: {'input_length': 10}", "input-length", True),
    ("ValueError", "Unrecognized keyword arguments passed to Dense: {'batch_input_shape': (None, 3)}",
     "batch-input-shape", True),
    ("ValueError", "Expected `metrics` argument to be a list, tuple, or dict. Received instead: metrics=mae of type "
     "<class 'str'>", "metrics-string", True),
    ("AttributeError", "'Sequential' object has no attribute 'fit_generator'", "fit-generator", True),
    ("ModuleNotFoundError", "No module named 'keras.layers.core'", "old-layer-module", True),
    ("ModuleNotFoundError", "No module named 'keras.layers.recurrent'", "old-layer-module", True),
    ("ImportError", "cannot import name 'np_utils' from 'keras.utils' (/x/keras/utils/__init__.py)", "np-utils", True),
    ("ModuleNotFoundError", "No module named 'keras.preprocessing.text'", "preprocessing-module", True),
    ("ImportError", "cannot import name 'ImageDataGenerator' from 'keras.preprocessing.image' (/x/__init__.py)",
     "preprocessing-module", True),
    ("ModuleNotFoundError", "No module named 'tensorflow.keras.layers.experimental'", "experimental-preprocessing",
     True),
    ("AttributeError", "module 'keras.backend' has no attribute 'set_value'", "backend-set-value", True),
    ("TypeError", "Trainer.compile() got an unexpected keyword argument 'sample_weight_mode'", "sample-weight-mode",
     True),
    ("ValueError", "decay is deprecated in the new TF-Keras optimizer, please check the docstring for valid "
     "arguments, or use the legacy optimizer, e.g., tf.keras.optimizers.legacy.SGD.", "optimizer-decay", False),
    ("AttributeError", "'Sequential' object has no attribute 'predict_classes'", "predict-classes", False),
    ("AttributeError", "module 'keras.layers' has no attribute 'CuDNNLSTM'", "cudnn-layer", False),
    ("TypeError", "TensorFlowTrainer.fit() got an unexpected keyword argument 'nb_epoch'", "keras1-nb-epoch", False),
    ("ValueError", "Unrecognized keyword arguments passed to Dense: {'init': 'uniform'}", "keras1-argument", False),
    ("TypeError", "('Keyword argument not understood:', 'border_mode')", "keras1-argument", False),
    ("ModuleNotFoundError", "No module named 'keras.wrappers.scikit_learn'", "scikit-learn-wrapper", False),
]  # fmt: skip

NOT_IDIOMS = [
    ("NameError", "name 'modle' is not defined"),
    ("ModuleNotFoundError", "No module named 'tensorflow_addons'"),
    ("ValueError", 'Input 0 of layer "dense" is incompatible with the layer: expected axis -1 to have value 784'),
    ("ValueError", "Unrecognized keyword arguments passed to Dense: {'activaton': 'relu'}"),  # a typo, not Keras 2
    ("AttributeError", "'Sequential' object has no attribute 'fitt'"),
    ("ZeroDivisionError", "division by zero"),
]


def raised(name: str) -> tuple[str, str]:
    """The recorded (type, message) of the idiom ``name``."""
    return next((kind, message) for kind, message, idiom, _ in RAISED if idiom == name)


def error(kind: str, message: str, line: int = 7, code: str = "model.fit(x, y)") -> dict[str, Any]:
    """The sandbox's description of an error (`grader.sandbox.functions.describe_error`)."""
    frame = f'  File "hw.py", line {line}, in <module>\n    {code}'
    trace = f"Traceback (most recent call last):\n{frame}\n{kind}: {message}"
    return {"type": kind, "mro": [kind, "Exception"], "message": message, "traceback": trace}


@pytest.mark.parametrize(("kind", "message", "name", "route_runs"), RAISED, ids=[r[2] for r in RAISED])
def test_each_raised_idiom_is_recognised_with_its_keras_3_spelling(kind, message, name, route_runs) -> None:
    found = find_idiom(error(kind, message, 12, "opt = Adam(lr=0.001)"))
    assert found is not None and found.idiom.name == name
    assert found.idiom.route_runs is route_runs
    assert (found.line, found.code) == (12, "opt = Adam(lr=0.001)")
    assert found.keras3 and found.keras3 != found.keras2 and "{0}" not in found.keras2 + found.keras3
    said = found.said()
    assert "line 12" in said.en and "12번째 줄" in said.ko and found.keras3 in said.en and found.keras3 in said.ko


def test_every_idiom_in_the_catalogue_is_met_by_a_recorded_error() -> None:
    assert {r[2] for r in RAISED} == {i.name for i in IDIOMS}
    assert len({i.name for i in IDIOMS}) == len(IDIOMS)


@pytest.mark.parametrize(("kind", "message"), NOT_IDIOMS)
def test_an_error_that_is_no_keras_2_idiom_is_not_one(kind, message) -> None:
    assert find_idiom(error(kind, message)) is None


@given(st.dictionaries(st.sampled_from(["type", "message", "traceback", "mro"]), st.text(max_size=300)))
def test_any_error_record_is_read_without_raising_and_alike_each_time(record) -> None:
    first, second = find_idiom(record), find_idiom(dict(record))
    assert first == second  # the route depends on the error's words alone: the same file, the same route
    if first is not None:
        assert first.idiom.pattern.search(f"{record.get('type', '')}: {record.get('message', '')}")


@given(line=st.integers(1, 10**6), code=st.text(st.characters(blacklist_characters="\n\r"), max_size=80))
def test_the_learner_s_line_is_the_traceback_s_last_frame(line, code) -> None:
    record = error("ValueError", "Argument(s) not recognized: {'lr': 0.1}", line, code)
    record["traceback"] = 'File "hw.py", line 1, in <module>\n    build()\n' + record["traceback"]
    found = find_idiom(record)
    assert found is not None and found.line == line and found.code == code.strip()


@dataclass
class Run:
    """A stand-in for `grader.grading.models.Training`."""

    error: dict[str, Any] | None = None
    ended: tuple[str, Text] | None = None
    keras: int = 0
    calls: list[int] = field(default_factory=list)


def trainer(outcomes: dict[int, dict[str, Any] | None]):
    """``once(keras)`` that ends with ``outcomes[keras]`` (an error, or None: trained), recording its calls."""
    calls: list[int] = []

    def once(keras: int) -> Run:
        calls.append(keras)
        failed = outcomes[keras]
        could_not = Text("Your file could not be imported", "파일을 import할 수 없습니다")
        ended = ("submission-error", could_not) if failed else None
        return Run(failed, ended, keras, calls)

    return once, calls


LR = error("ValueError", "Argument(s) not recognized: {'lr': 0.001}", 9, "model.compile(Adam(lr=0.001))")


def test_a_keras_2_idiom_is_graded_again_once_on_the_route_and_the_note_says_why() -> None:
    once, calls = trainer({3: LR, 2: None})
    route = KerasRoute(None)
    trained = route.train(once)
    assert calls == [3, 2] and trained.ended is None and route.keras == 2
    [note] = route.notes
    assert "Keras 2 API (tf-keras)" in note.en and "Adam(learning_rate=0.001)" in note.en and "line 9" in note.en
    assert "Keras 2 API(tf-keras)로 채점했습니다" in note.ko and "9번째 줄" in note.ko
    assert route.train(once).keras == 2 and calls == [3, 2, 2]  # --repeats: the route stays chosen


@pytest.mark.parametrize(
    "failure",
    # no idiom; an idiom tf-keras refuses too
    [error("NameError", "name 'modle' is not defined"), error(*raised("cudnn-layer"))],
)
def test_other_errors_are_not_retried(failure) -> None:
    once, calls = trainer({3: failure, 2: None})
    route = KerasRoute(None)
    trained = route.train(once)
    assert calls == [3] and route.notes == [] and trained.ended is not None


def test_a_file_the_route_cannot_run_either_names_the_idiom_that_failed_there() -> None:
    decay = error(*raised("optimizer-decay"), 9, "Adam(lr=0.001, decay=1e-6)")
    once, calls = trainer({3: LR, 2: decay})
    route = KerasRoute(None)
    verdict, message = route.train(once).ended
    assert calls == [3, 2] and verdict == "submission-error"
    assert "even the Keras 2 API" in message.en and "InverseTimeDecay" in message.en
    assert "Your file could not be imported" in message.en and "파일을 import할 수 없습니다" in message.ko
    assert "Adam(learning_rate=0.001)" in route.notes[0].en  # what chose the route is still said


def test_keras_3_asked_never_retries_and_says_the_route_would_run_it() -> None:
    once, calls = trainer({3: LR, 2: None})
    route = KerasRoute(3)
    _, message = route.train(once).ended
    assert calls == [3] and route.notes == []
    assert "Adam(learning_rate=0.001)" in message.en and "without --keras 3" in message.en
    assert "--keras 3 없이" in message.ko


def test_where_tf_keras_is_not_installed_the_idiom_is_named_with_the_install_command_not_retried() -> None:
    once, calls = trainer({3: LR, 2: None})
    route = KerasRoute(None, installed=False)
    _, message = route.train(once).ended
    assert calls == [3] and route.notes == []
    assert "Adam(learning_rate=0.001)" in message.en
    assert "pip install --no-deps 'tf-keras>=2.21,<2.22'" in message.en and "설치되어 있지 않습니다" in message.ko


def test_keras_2_asked_starts_on_the_route() -> None:
    once, calls = trainer({3: None, 2: None})
    route = KerasRoute(2)
    route.train(once)
    assert calls == [2] and "as --keras 2 asked" in route.notes[0].en and "--keras 2" in route.notes[0].ko


def test_the_route_is_tensorflow_s_documented_switch() -> None:
    assert route_env(2) == {"TF_USE_LEGACY_KERAS": "1"} and route_env(3) == {}


@pytest.mark.parametrize("value", [1, 4, "2", 2.0, True])
def test_a_keras_choice_other_than_2_or_3_is_refused_in_both_languages(value) -> None:
    problem = keras_choice_problem(value)
    assert problem is not None and problem.ko
    with pytest.raises(api.UsageError):
        api.grade("exercise10", SUBMISSIONS / "keras2" / "fashion_2020.py", keras=value)


def test_keras_is_refused_for_a_function_exercise() -> None:
    with pytest.raises(api.UsageError) as refused:
        api.grade("exercise5", SOLUTIONS / "exercise5.py", keras=2)
    assert "--keras" in refused.value.text.en and "exercise5는" in refused.value.text.ko


class Asked(Exception):
    pass


def test_the_cli_passes_keras_2_to_the_api_and_parses_only(monkeypatch) -> None:
    def fake_grade(exercise, submission, **options):
        raise Asked(options)

    monkeypatch.setattr(api, "grade", fake_grade)
    path = str(SUBMISSIONS / "keras2" / "fashion_2020.py")
    for args, expected in (([], None), (["--keras", "2"], 2), (["--keras", "3"], 3)):
        with pytest.raises(Asked) as asked:
            CliRunner().invoke(cli.main, ["exercise10", path, *args], catch_exceptions=False)
        assert asked.value.args[0]["keras"] == expected
    assert CliRunner().invoke(cli.main, ["exercise10", path, "--keras", "1"]).exit_code == 2
    assert "--keras" in CliRunner().invoke(cli.main, ["exercise10", "--help"]).output
    assert "--keras" not in CliRunner().invoke(cli.main, ["exercise2", "--help"]).output
