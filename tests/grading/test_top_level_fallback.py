"""The rule that grades a file's functions whatever its script does, attacked: a top level that
hunts for the hidden inputs, rebinds a function, defines one with a lambda, imports what is not
there, is saved with a BOM or nests past the parser's recursion; and a slower top level that must
not buy slow functions more time. Each with its exact score."""

from __future__ import annotations

import pytest

from grader import api

WINDOWS = """
def split_x(seq, size):
    seq = np.asarray(seq)
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.stack([seq[i : i + size] for i in range(len(seq) - size + 1)])
"""

HUNTS_INPUTS = """import os, time
from pathlib import Path
import numpy as np

print("top level printed this", flush=True)
inputs = Path(__file__).resolve().parent.parent / "in" / "inputs.npz"
if os.fork() == 0:  # a process left behind: it prints the hidden inputs once they are there
    for _ in range(4000):
        if inputs.exists():
            time.sleep(0.05)
            with np.load(inputs) as z:
                os.write(1, ("LEAKED " + repr(z["i0"][:2].tolist()) + "\\n").encode())
            break
        time.sleep(0.001)
    os._exit(0)
""" + WINDOWS.replace("    seq = np.asarray(seq)\n", "    time.sleep(0.1)\n    seq = np.asarray(seq)\n")

WAITS_FOR_INPUTS = (
    """import time
from pathlib import Path
import numpy as np

calls = Path(__file__).resolve().parent.parent / "in" / "calls.json"
for _ in range(2000):  # at top level, the hidden inputs never come: they are written after the import
    if calls.exists():
        with np.load(calls.parent / "inputs.npz") as z:
            raise RuntimeError("LEAKED " + repr(z["i0"][:3].tolist()))
    time.sleep(0.001)
"""
    + WINDOWS
)


def _grade(tmp_path, text: str, name: str = "homework.py", encoding: str = "utf-8", **options) -> api.Report:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return api.grade("exercise5", path, seed=1, **options)


def _said(report: api.Report) -> str:
    parts = [report.message, *(c.message for c in report.checks), *report.notes]
    return "\n".join(p.en + "\n" + p.ko for p in parts) + report.output


def test_what_a_left_behind_process_prints_of_the_hidden_inputs_is_never_shown(tmp_path) -> None:
    report = _grade(tmp_path, HUNTS_INPUTS)
    assert (report.verdict, report.score) == ("passed", 100), _said(report)
    assert "top level printed this" in report.output  # the learner's own output, before the inputs
    assert "LEAKED" not in _said(report)
    assert any("is not shown, since it could show them" in n.en for n in report.notes)
    revealed = api.grade("exercise5", tmp_path / "homework.py", seed=1, reveal=True)
    assert "LEAKED" in revealed.output  # instructors see everything


def test_a_top_level_waiting_for_the_hidden_inputs_never_gets_them(tmp_path) -> None:
    report = _grade(tmp_path, WAITS_FOR_INPUTS)
    assert (report.verdict, report.score) == ("passed", 100), _said(report)
    assert "LEAKED" not in _said(report)


@pytest.mark.parametrize("end", ["", "raise SystemExit(1)\n"], ids=["finishes", "exits"])
def test_a_top_level_that_rebinds_the_function_scores_alike_whether_it_finishes_or_not(tmp_path, end) -> None:
    text = "import numpy as np\n" + WINDOWS + "\ndata = np.arange(40.0).reshape(10, 4)\nsplit_x = split_x(data, 5)\n"
    report = _grade(tmp_path, text + end)
    assert (report.verdict, report.score) == ("passed", 100), _said(report)
    if not end:
        assert any("sets split_x again at line 10" in n.en for n in report.notes)


def test_a_function_defined_as_a_lambda_is_kept_when_the_top_level_is_cut(tmp_path) -> None:
    text = (
        "import numpy as np\nimport pandas as pd\n\n"
        "split_x = lambda seq, size: np.stack([np.asarray(seq)[i : i + size] for i in range(len(seq) - size + 1)])\n"
        "df = pd.read_csv('./data/iris.csv')\n"
    )
    report = _grade(tmp_path, text)
    assert (report.verdict, report.score) == ("failed", 85), _said(report)  # right windows, no ValueError
    assert any("raised FileNotFoundError" in n.en for n in report.notes)


def test_an_unused_module_the_environment_lacks_is_cut_with_the_rest(tmp_path) -> None:
    report = _grade(tmp_path, "import numpy as np\nimport koreanize_matplotlib\n" + WINDOWS)
    assert (report.verdict, report.score) == ("passed", 100), _said(report)
    assert any("the grading environment does not provide that module" in n.en for n in report.notes)
    used = _grade(tmp_path, "import numpy as np\nimport koreanize_matplotlib as km\n" + WINDOWS + "    km\n")
    assert used.verdict == "submission-error"  # needed by the definitions too: said as it is


def test_a_file_saved_with_a_bom_is_read_as_python_reads_it(tmp_path) -> None:
    text = "import numpy as np\nimport pandas as pd\ndf = pd.read_csv('./data/iris.csv')\n" + WINDOWS
    report = _grade(tmp_path, text, encoding="utf-8-sig")
    assert (report.verdict, report.score) == ("passed", 100), _said(report)
    cut = _grade(tmp_path, text, encoding="utf-8-sig", top_level=False)
    assert cut.score == 100 and any("the statements on lines 2-3 did not run" in n.en for n in cut.notes)


def test_a_top_level_nested_past_the_parsers_recursion_is_no_grader_error(tmp_path) -> None:
    text = "import numpy as np\nx = " + "-" * 1500 + "1\nraise RuntimeError('x')\n" + WINDOWS
    report = _grade(tmp_path, text)
    assert (report.verdict, report.score) == ("passed", 100), _said(report)


@pytest.mark.parametrize("sleep", [0.0, 1.2])
def test_a_slower_top_level_does_not_buy_slow_functions_time(tmp_path, sleep) -> None:
    # 14 calls of 0.05 s each in a 1.8 s limit: the functions fit alone, whatever the top level took.
    slow = WINDOWS.replace("    seq = np.asarray(seq)\n", "    time.sleep(0.05)\n    seq = np.asarray(seq)\n")
    report = _grade(tmp_path, f"import time\nimport numpy as np\n\ntime.sleep({sleep})\n" + slow, timeout_s=1.8)
    assert (report.verdict, report.score) == ("passed", 100), _said(report)
