"""A starter that downloads its data gets the exercise's public copy: urlretrieve, urlopen, get_file.

The certificate's starters fetch ``rps.zip``, ``sarcasm.json`` or ``Sunspots.csv`` from Google's
storage; the sandbox has no network, so `grader.sandbox.offline_urls` answers from
``$KERAS_HOME/datasets`` by the URL's file name and refuses any other URL with a readable reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from grader.sandbox import offline_urls
from tests.conftest import ROOT

BASE = "https://storage.googleapis.com/download.tensorflow.org/data/"
HEADLINES = [{"article_link": f"https://x/{i}", "headline": f"headline {i}", "is_sarcastic": i % 2} for i in range(5)]
SUNSPOTS = ",Date,Monthly Mean Total Sunspot Number\n0,1749-01-31,96.7\n1,1749-02-28,104.3\n"


def write_provided(home: Path) -> Path:
    """A keras home with the exam's files in their real layouts, small."""
    folder = home / "datasets"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "rps.zip", "w") as archive:
        for label in ("paper", "rock", "scissors"):
            archive.writestr(f"rps/{label}/{label}01-000.png", b"\x89PNG not really")
    (folder / "sarcasm.json").write_text(json.dumps(HEADLINES), encoding="utf-8")
    (folder / "Sunspots.csv").write_text(SUNSPOTS, encoding="utf-8")
    return folder


@pytest.fixture
def provided(tmp_path, monkeypatch) -> Path:
    """The provided files, urllib patched as in the sandbox (and restored after), the working folder empty."""
    folder = write_provided(tmp_path / "keras")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(urllib.request, "urlretrieve", urllib.request.urlretrieve)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", urllib.request.OpenerDirector.open)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    offline_urls.install()
    return folder


def test_urlretrieve_and_extract_as_the_rps_starter_does(provided) -> None:
    filename, headers = urllib.request.urlretrieve(BASE + "rps.zip", "rps.zip")
    assert filename == "rps.zip" and int(headers["Content-Length"]) == (provided / "rps.zip").stat().st_size
    zipfile.ZipFile("rps.zip").extractall("tmp/")
    assert sorted(os.listdir("tmp/rps")) == ["paper", "rock", "scissors"]
    # A link into the private copy, not a second copy in the tmpfs that counts as the job's memory.
    assert os.path.realpath("rps.zip") == str(provided / "rps.zip")


def test_a_starter_that_saves_sunspots_under_a_lowercase_name_reads_it(provided) -> None:
    from urllib.request import urlretrieve  # bound after install, as a learner's import is

    urlretrieve(BASE + "Sunspots.csv", "sunspots.csv")
    assert Path("sunspots.csv").read_text(encoding="utf-8") == SUNSPOTS
    urlretrieve(BASE + "Sunspots.csv", "sunspots.csv")  # again: overwritten, as the real one does


def test_the_url_decides_exact_name_first_then_any_case(provided) -> None:
    assert offline_urls.provided_file(BASE + "sunspots.csv") == provided / "Sunspots.csv"
    (provided / "sunspots.csv").write_text("other", encoding="utf-8")
    assert offline_urls.provided_file(BASE + "sunspots.csv") == provided / "sunspots.csv"
    assert offline_urls.provided_file(BASE + "Sunspots.csv?raw=true") == provided / "Sunspots.csv"
    assert offline_urls.provided_file("https://github.com/") is None


def test_urlopen_answers_like_an_http_response(provided) -> None:
    with urllib.request.urlopen(BASE + "sarcasm.json") as response:
        assert response.status == 200 and response.getcode() == 200 and response.reason == "OK"
        assert response.geturl() == BASE + "sarcasm.json"
        assert response.headers["Content-Type"] == "application/json"
        assert response.getheader("Content-Length") == str((provided / "sarcasm.json").stat().st_size)
        assert json.loads(response.read()) == HEADLINES
    request = urllib.request.Request(BASE + "Sunspots.csv", headers={"User-Agent": "starter"})
    with urllib.request.urlopen(request) as response:
        first = response.readline()
        rest = list(response)
    assert (first + b"".join(rest)).decode() == SUNSPOTS and len(rest) == 2


def test_urlretrieve_without_a_name_gives_a_temporary_file_urlcleanup_removes(provided) -> None:
    path, _ = urllib.request.urlretrieve(BASE + "sarcasm.json")
    assert path.endswith(".json") and json.loads(Path(path).read_text(encoding="utf-8")) == HEADLINES
    urllib.request.urlcleanup()
    assert not os.path.lexists(path) and (provided / "sarcasm.json").is_file()


def test_pandas_reads_a_provided_csv_by_its_url(provided) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(BASE + "Sunspots.csv")
    assert list(frame.columns)[1:] == ["Date", "Monthly Mean Total Sunspot Number"] and len(frame) == 2


def test_any_other_url_is_refused_with_what_is_provided(provided) -> None:
    for fetch in (
        lambda: urllib.request.urlretrieve(BASE + "cats_and_dogs.zip", "c.zip"),
        lambda: urllib.request.urlopen("http://example.com/"),
    ):
        with pytest.raises(urllib.error.URLError) as caught:
            fetch()
        said = str(caught.value)
        assert "there is no network in the grading sandbox" in said
        assert "rps.zip, sarcasm.json, Sunspots.csv" in said
    assert not os.path.lexists("c.zip")


def test_local_urls_still_open(provided, tmp_path) -> None:
    (tmp_path / "mine.txt").write_text("local", encoding="utf-8")
    with urllib.request.urlopen((tmp_path / "mine.txt").as_uri()) as response:
        assert response.read() == b"local"


# keras' get_file in a child process: install() patches keras for the whole interpreter, and the
# Keras 2 route must load no Keras 3 module.
GET_FILE_PROBE = """
import os, sys
from grader.sandbox import keras2, keras_offline, offline_urls
keras = keras2.keras_api()
keras_offline.install(keras)
offline_urls.install()
import tensorflow as tf
BASE = "https://storage.googleapis.com/download.tensorflow.org/data/"
datasets = os.path.join(os.environ["KERAS_HOME"], "datasets")
for get_file in (keras.utils.get_file, tf.keras.utils.get_file):
    path = get_file("rps.zip", origin=BASE + "rps.zip", extract=True, file_hash="0" * 64)
    folder = path if os.path.isdir(path) else os.path.dirname(path)  # keras 3: the extraction; tf_keras: the zip
    assert sorted(os.listdir(os.path.join(folder, "rps"))) == ["paper", "rock", "scissors"], path
    for cache_dir in (None, os.getcwd()):  # the keras home, or a folder of the learner's (a tmpfs)
        path = get_file("sunspots.csv", BASE + "Sunspots.csv", cache_dir=cache_dir)
        assert open(path).read().startswith(",Date,Monthly"), path
try:
    keras.utils.get_file("cats.zip", origin=BASE + "cats_and_dogs_filtered.zip")
except Exception as exc:
    assert "there is no network in the grading sandbox" in str(exc), exc
else:
    raise AssertionError("a file the exercise does not provide was downloaded")
try:
    keras.datasets.mnist.load_data()
except keras_offline.DatasetNotProvided as exc:
    assert "mnist.npz is not provided" in str(exc), exc
else:
    raise AssertionError("the loaders no longer refuse a missing file")
keras_offline.install(keras)  # a second install wraps nothing twice
assert keras.utils.get_file.offline is False
if keras.__name__ == "tf_keras":
    assert not any(name == "keras.src" or name.startswith("keras.src.") for name in sys.modules), "Keras 3 loaded"
print("get_file ok")
"""


@pytest.mark.parametrize("route", ["keras3", "tf_keras"])
def test_get_file_serves_the_provided_files_and_extracts_them(route, tmp_path) -> None:
    pytest.importorskip("keras")
    if route == "tf_keras":
        pytest.importorskip("tf_keras")
    write_provided(tmp_path / "keras")
    env = {**os.environ, "KERAS_HOME": str(tmp_path / "keras"), "PYTHONPATH": str(ROOT)}
    env["TF_USE_LEGACY_KERAS"] = "1" if route == "tf_keras" else "0"
    done = subprocess.run(
        [sys.executable, "-c", GET_FILE_PROBE], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "get_file ok" in done.stdout, done.stderr[-3000:]


# End to end: the real grader's sandbox serves a starter's download from the exercise's public copy.
DOWNLOADS_ITS_SERIES = """
import urllib.request

import keras
import numpy as np

urllib.request.urlretrieve("https://example.invalid/data/seasonal_series.csv", "series.csv")
values = np.loadtxt("series.csv", delimiter=",", skiprows=1)[:, 1].astype("float32")
print(f"read {len(values)} values from series.csv")
x = np.stack([values[i : i + 30] for i in range(len(values) - 30)])
model = keras.Sequential([keras.Input((30,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mae")
model.fit(x, values[30:], epochs=2, verbose=0, validation_split=0.1)
"""


@pytest.fixture(scope="module")
def series_data(tmp_path_factory) -> Path:
    from grader.data.registry import SEASONAL_SERIES
    from grader.data.store import fetch

    root = tmp_path_factory.mktemp("series-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))  # the public copy is cached there
        fetch(SEASONAL_SERIES, root / "datasets")  # generated: no network
        yield root / "datasets"


@pytest.mark.slow
def test_a_script_that_downloads_its_series_is_graded_on_the_public_copy(series_data, tmp_path) -> None:
    pytest.importorskip("keras")
    from grader import api

    script = tmp_path / "downloads.py"
    script.write_text(DOWNLOADS_ITS_SERIES, encoding="utf-8")
    report = api.grade("exercise11", script, data_dir=series_data)
    assert report.verdict not in ("submission-error", "crashed"), report.message.en + report.output[-2000:]
    assert report.model is not None and report.model.epochs == 2
    assert re.search(r"read \d{4} values from series\.csv", report.output), report.output[-2000:]


@pytest.mark.slow
def test_a_script_that_downloads_something_else_is_told_there_is_no_network(series_data, tmp_path) -> None:
    pytest.importorskip("keras")
    from grader import api

    script = tmp_path / "downloads.py"
    script.write_text(DOWNLOADS_ITS_SERIES.replace("seasonal_series.csv", "airline.csv", 1), encoding="utf-8")
    report = api.grade("exercise11", script, data_dir=series_data)
    assert report.verdict == "submission-error"
    said = report.message.en + report.output
    assert "there is no network in the grading sandbox" in said and "seasonal_series.csv" in said
