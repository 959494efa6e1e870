"""Advice that works where it is printed (issue 24, item 6): one command for every renamed
function, a missing function said once, --function in the forms users write it, a mapping to a
name the file lacks refused, the top-level note only where there is something to move, and a
NameError under --no-top-level traced to the line that was left out."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from grader import api
from grader.grading import GradeRequest
from grader.grading.top_level_notes import slow_top_level as _slow_top_level

RENAMED = """import numpy as np


def make_windows(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


def make_xy(seq, size):
    windows = make_windows(seq, size)
    return windows[:, :-1], windows[:, -1]
"""


def test_two_renamed_functions_get_one_command_that_grades_both(tmp_path) -> None:
    path = tmp_path / "homework.py"
    path.write_text(RENAMED, encoding="utf-8")
    report = api.grade("exercise2", path, seed=1)
    assert report.verdict == "contract-error"
    message = report.message.en
    assert "make_windows looks like your split_x" in message and "make_xy looks like your split_xy" in message
    command = "grade exercise2 homework.py --function split_x=make_windows --function split_xy=make_xy"
    assert message.count(command) == 1 and report.message.ko.count(command) == 1  # said once, for both
    assert all("see the message below" in c.message.en for c in report.checks if c.status == "not-run")
    # The command, as printed, grades the file under both names.
    args = shlex.split(command)[1:]
    ran = CliRunner().invoke(cli.main, [args[0], str(path), *args[2:], "--json"])
    assert '"verdict": "passed"' in ran.output or '"score": 100' in ran.output, ran.output[-600:]


def test_function_takes_several_mappings_in_one_option_and_refuses_a_name_the_file_lacks(tmp_path) -> None:
    path = tmp_path / "homework.py"
    path.write_text(RENAMED, encoding="utf-8")
    both = CliRunner().invoke(
        cli.main, ["exercise2", str(path), "--function", "split_x=make_windows; split_xy=make_xy", "--json"]
    )
    assert both.exit_code == 0, both.output[-600:]
    missing = CliRunner().invoke(cli.main, ["exercise2", str(path), "--function", "split_x=nope", "--lang", "ko"])
    assert missing.exit_code == 2 and "homework.py에 nope가 정의되어 있지 않습니다" in missing.output
    bad = CliRunner().invoke(cli.main, ["exercise2", str(path), "--function", "split_x"])
    assert bad.exit_code == 2 and "NAME=YOURS" in bad.output


def test_a_name_left_out_by_no_top_level_is_traced_to_its_line(tmp_path) -> None:
    path = tmp_path / "reads_global.py"
    path.write_text(
        "import numpy as np\n\nsizes = [n * 2 for n in range(3)]\n\n\ndef split_x(seq, size):\n"
        "    _ = sizes\n    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])\n",
        encoding="utf-8",
    )
    report = api.grade("exercise5", path, seed=1, top_level=False)
    notes = [n.en for n in report.notes]
    assert any(n.startswith("sizes is set at line 3, top-level work that --no-top-level leaves out") for n in notes)
    assert any("3번째 줄에서 정해지는데" in n.ko for n in report.notes)


@pytest.mark.parametrize(
    ("text", "suffix", "top_level", "says"),
    [
        (
            "import numpy as np\nimport time\ntime.sleep(3)\n\ndef split_x(seq, size):\n    return seq\n",
            ".py",
            True,
            "__main__",
        ),
        ("import numpy as np\nimport sklearn\n\ndef split_x(seq, size):\n    return seq\n", ".py", True, None),
        ("import time\ntime.sleep(3)\n\ndef split_x(seq, size):\n    return seq\n", ".py", False, None),
        ("import time\ntime.sleep(3)\n\ndef split_x(seq, size):\n    return seq\n", ".ipynb", True, "--no-top-level"),
    ],
    ids=["script", "imports-only", "no-top-level", "notebook"],
)
def test_the_slow_top_level_note_is_given_only_where_it_can_be_followed(text, suffix, top_level, says) -> None:
    request = GradeRequest("exercise5", Path(f"homework{suffix}"), top_level=top_level)
    notes = _slow_top_level(request, text, 3.0)
    if says is None:
        assert notes == ()
    else:
        (note,) = notes
        assert says in note.en and "3.0 s" in note.en and note.ko
        assert ("__main__" in note.en) == (suffix == ".py")  # a notebook has no __main__ guard


def test_an_alias_is_dropped_where_the_file_kept_the_exercise_s_name_and_a_parser_bomb_is_no_crash(tmp_path) -> None:
    from tests.conftest import SOLUTIONS

    # A bulk manifest's function column for a student who kept split_x: graded as is, not refused.
    report = api.grade("exercise5", SOLUTIONS / "exercise5.py", seed=1, function="split_x=split_data")
    assert report.verdict == "passed"
    bomb = tmp_path / "bomb.py"
    bomb.write_text("x = a" + " + a" * 100_000 + "\n", encoding="utf-8")  # past the parser's recursion
    report = api.grade("exercise5", bomb, seed=1, function="split_x=split_data")
    assert report.verdict in ("submission-error", "contract-error", "crashed"), report.message.en


def test_a_notebook_s_name_left_out_by_no_top_level_is_traced_too(tmp_path) -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import numpy as np\nsizes = list(range(3))"),
        nbformat.v4.new_code_cell(
            "def split_x(seq, size):\n    _ = sizes\n"
            "    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])"
        ),
    ]
    path = tmp_path / "homework.ipynb"
    nbformat.write(notebook, path)
    report = api.grade("exercise5", path, seed=1, top_level=False)
    assert any(n.en.startswith("sizes is set at line ") for n in report.notes), [n.en for n in report.notes]
