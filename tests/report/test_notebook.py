"""Where learners work: ``from grader import grade`` in a real Jupyter kernel (nbclient runs the
notebook) shows the report inline as HTML, with the same sandbox and checks as the CLI."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT, SOLUTIONS, SUBMISSIONS


def run_notebook(tmp_path, *cells: str) -> list:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    return [cell.outputs for cell in notebook.cells]


def learner_notebook(path, source: str) -> None:
    """A learner's notebook: a markdown cell, the solution's code, a cell that tries it."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 5번 문제: iris 윈도우"),
        nbformat.v4.new_code_cell("%matplotlib inline"),
        nbformat.v4.new_code_cell(source),
        nbformat.v4.new_code_cell("print(split_x(np.arange(12).reshape(6, 2), 3).shape)"),
    ]
    nbformat.write(notebook, path)


def test_grade_in_a_notebook_shows_the_report_inline_as_html(tmp_path) -> None:
    mine = tmp_path / "my_solution.ipynb"
    learner_notebook(mine, (SOLUTIONS / "exercise5.py").read_text(encoding="utf-8"))
    outputs = run_notebook(
        tmp_path,
        "import os; os.environ['GRADE_LANG'] = 'ko'\nfrom grader import grade",
        f"report = grade('exercise5', {str(mine)!r}, seed=1)\nreport",
        "import json\nprint(json.dumps([report.score, report.exit_code]))",
    )
    shown = outputs[1][0]
    assert shown["output_type"] == "execute_result"
    page = shown["data"]["text/html"]
    assert 'class="tfcert-report" lang="ko"' in page and "100 / 100" in page and "합격" in page
    assert json.loads(outputs[2][0]["text"]) == [100, 0]  # a report, never a SystemExit in the kernel


def test_a_failing_file_in_a_notebook_is_a_report_too(tmp_path) -> None:
    outputs = run_notebook(
        tmp_path,
        "from grader import grade",
        f"grade('exercise5', {str(SUBMISSIONS / 'ex5_off_by_one.py')!r}, seed=5)",
    )
    page = outputs[1][0]["data"]["text/html"]
    assert "badge failed" in page and "got (145, 5, 4)" in page


@pytest.fixture(autouse=True)
def _kernel_sees_the_checkout(monkeypatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the kernel imports this checkout's grader
