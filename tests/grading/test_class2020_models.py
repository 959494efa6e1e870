"""A 2020 class's model script on the real Fashion-MNIST (issue 25): Keras 2-era code as written
(``keras.layers.core``, ``Adam(lr=...)``, ``metrics='acc'``, ``input_shape=``, reshape to
(60000, 28, 28, 1), ``model.fit(x, y, epochs=…, batch_size=…)`` at top level) trains on the
Keras 2 route and is scored, the route and the idiom that chose it named in the report.

Needs Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) and tf-keras; the
training takes ~45 s on 2 cores (3 epochs of one small CNN on the 60,000 images).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import api
from tests.conftest import SUBMISSIONS

pytest.importorskip("keras")  # the sandbox and the evaluator need TensorFlow; the grade process does not
pytest.importorskip("tf_keras")  # the route's package (the keras2 extra)

DEBIAN_DATA = Path("/usr/share/datasets")
SCRIPT = SUBMISSIONS / "class2020" / "fashion_cnn_keras2.py"
EPOCHS = 3  # the script's model.fit(..., epochs=3, ...)
IDIOM_LINE = 6  # from keras.layers.core import Dense, Flatten

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DEBIAN_DATA / "fashion-mnist").is_dir(),
        reason=f"the real Fashion-MNIST is not in {DEBIAN_DATA}: apt-get install dataset-fashion-mnist",
    ),
]


@pytest.fixture(scope="module", autouse=True)
def public_copy_cache(tmp_path_factory):
    """The public copy the learner's load_data() reads is cached once for the module, not in ~."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("class2020-cache")))
        yield


def test_a_2020_class_cnn_trains_on_the_keras_2_route_and_is_scored_on_the_real_data() -> None:
    report = api.grade("exercise10", SCRIPT, data_dir=DEBIAN_DATA)
    assert report.verdict in ("passed", "failed"), report.message.en + report.output[-2000:]
    assert report.model is not None and report.model.value is not None
    assert report.model.value >= 0.85, report.model.value  # one small CNN, 3 epochs: ~0.88 on the hidden test set
    assert report.model.epochs == EPOCHS
    assert {"accuracy", "val_accuracy"} <= set(report.model.history)  # metrics='acc', validation_split=0.1
    [note] = [n for n in report.notes if "Keras 2 API (tf-keras)" in n.en]
    assert note.en.startswith("graded with the Keras 2 API (tf-keras), since your file uses Keras 2 code")
    assert "Keras 2 API(tf-keras)로 채점했습니다" in note.ko
    for said in (note.en, note.ko):  # the idiom that chose the route, where, and its Keras 3 spelling
        assert "`from keras.layers.core import ...`" in said and "`from keras.layers import ...`" in said
    assert f"line {IDIOM_LINE}:" in note.en and f"{IDIOM_LINE}번째 줄" in note.ko


def test_the_same_script_under_keras_3_names_the_idiom_and_its_keras_3_spelling() -> None:
    report = api.grade("exercise10", SCRIPT, data_dir=DEBIAN_DATA, keras=3)
    assert report.verdict == "submission-error" and report.score == 0, report.message.en
    assert not [n for n in report.notes if "Keras 2 API (tf-keras)" in n.en]  # no route taken
    en, ko = report.message.en, report.message.ko
    assert en.startswith("Your file uses older Keras code: `from keras.layers.core import ...`"), en
    assert f"(line {IDIOM_LINE}: `from keras.layers.core import Dense, Flatten`)" in en
    assert "Keras 3 spells it `from keras.layers import ...`" in en
    assert "without --keras 3 the grader runs it with the Keras 2 API, tf-keras" in en
    assert ko.startswith("파일이 예전 Keras 코드를 씁니다") and "Keras 3에서는 `from keras.layers import ...`처럼" in ko
