"""A course notebook's ``!wget`` line is kept as the download it is (served offline in the
sandbox); every other shell line is still neutralised and listed."""

from __future__ import annotations

import ast

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.grading.notebook import notebook_to_script, wget_as_python

URL = "https://storage.googleapis.com/download.tensorflow.org/data/rps.zip"


def test_the_course_notebook_s_wget_becomes_the_same_download_in_python(tmp_path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(f"!wget --no-check-certificate \\\\\n    {URL} \\\\\n    -O /tmp/rps.zip"),
        nbformat.v4.new_code_cell(f"!wget --no-check-certificate {URL} -O /tmp/rps.zip\n!pip install tensorflow"),
        nbformat.v4.new_code_cell("if True:\n    !wget -q https://example.com/data/Sunspots.csv?raw=1"),
    ]
    path = tmp_path / "course.ipynb"
    nbformat.write(notebook, path)
    script, neutralised = notebook_to_script(path)
    ast.parse(script)  # the script still runs as Python
    assert f"urllib.request.urlretrieve('{URL}', '/tmp/rps.zip')" in script
    sunspots = "https://example.com/data/Sunspots.csv?raw=1"
    assert f"    import urllib.request; urllib.request.urlretrieve('{sunspots}', 'Sunspots.csv')" in script
    assert neutralised[-1] == "!pip install tensorflow" and not any(
        "wget" in n and URL in n and "-O" in n for n in neutralised[1:]
    )


@pytest.mark.parametrize(
    ("line", "target"),
    [
        (f"!wget {URL} -O/tmp/x.zip", "/tmp/x.zip"),
        (f"!wget -qO /tmp/x.zip {URL}", "/tmp/x.zip"),
        (f"!wget {URL} -P /tmp", "/tmp/rps.zip"),
        (f"!wget --directory-prefix=/tmp/ {URL}", "/tmp/rps.zip"),
        (f"!wget --output-document=r.zip {URL}", "r.zip"),
    ],
)
def test_wget_s_ways_of_naming_the_target_are_kept(line, target) -> None:
    assert wget_as_python(line) == f"import urllib.request; urllib.request.urlretrieve({URL!r}, {target!r})"


@pytest.mark.parametrize(
    "line",
    [
        "!wget",
        "!wget -i urls.txt",
        f"!wget {URL} {URL}",
        f"!wget {URL} -O -",
        "!wget 'unclosed",
        "!pip install x",
        f"!wget {URL} -O /tmp/r.zip && unzip /tmp/r.zip",
        f"!wget -qO- {URL} | tar x",
    ],
)
def test_a_wget_line_this_cannot_read_plainly_is_left_to_be_neutralised(line) -> None:
    assert wget_as_python(line) is None


@given(st.text(max_size=80))
def test_any_line_gives_no_download_or_one_line_of_python(text) -> None:
    made = wget_as_python("!wget " + text)
    if made is not None:
        tree = ast.parse(made)
        assert len(tree.body) == 2 and "\n" not in made
