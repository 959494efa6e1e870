"""What a learner reads for every corpus file, under a fixed seed, kept as golden files.

A refactor must not change a report: this grades each file of the corpus (`tests.grading.test_corpus`)
with seed 1234 and compares the whole report (timings aside) and its English and Korean
terminal renderings with ``tests/golden/corpus/``. After an intended change, rewrite them with
``GRADE_UPDATE_GOLDEN=1 pytest tests/grading/test_golden_corpus.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from grader import api
from grader.report import Report
from grader.report.terminal import render_report
from tests.conftest import ROOT, SUBMISSIONS
from tests.grading.test_corpus import CASES, Case

GOLDEN = Path(__file__).parent.parent / "golden" / "corpus"
SEED = 1234
# What differs between two runs of the same file: how long things took.
_TIMES = re.compile(r"\b\d+\.\d+ ?(s|초)\b")
_SLOW_TOP_LEVEL = "your file's top-level code took"
# Files whose own behaviour differs from run to run: only their verdict, statuses and points are kept.
RANDOM_OF_THEIR_OWN = {
    "ex1_always_shuffles.py": "it shuffles with an unseeded generator, and its messages quote the rows it gave",
    "ex5_trains_forever_at_import.py": "its output says how far it trained before the time limit",
}


def stable(report: Report) -> dict:
    # Whether top-level code was slow enough for a note depends on the machine's load that moment.
    report = replace(report, notes=tuple(n for n in report.notes if not n.en.startswith(_SLOW_TOP_LEVEL)))
    report = Report.from_json(json.loads(_without_machine_paths(json.dumps(report.to_json()))))
    data = report.to_json()
    data.pop("timings")
    for check in data["checks"]:
        check.pop("duration_s")
    data["screen"] = {lang: _TIMES.sub("<time>", _screen(report, lang)).splitlines() for lang in ("en", "ko")}
    if report.submission in RANDOM_OF_THEIR_OWN:
        data = {k: data[k] for k in ("exercise", "verdict", "score", "message")}
        data["checks"] = [(c.name, c.status, c.points) for c in report.checks]
    return json.loads(json.dumps(data))


def _screen(report, lang: str) -> str:
    buffer = io.StringIO()
    render_report(report, Console(file=buffer, width=100, color_system=None), lang=lang, show_output=True)
    return buffer.getvalue()


def _without_machine_paths(text: str) -> str:
    """A library's warning in the output names the file it came from: where this checkout and
    its Python live differ from machine to machine (a CI clone, a learner's venv)."""
    for path, name in ((sys.prefix, "<venv>"), (sys.base_prefix, "<python>"), (str(ROOT), "<checkout>")):
        text = text.replace(json.dumps(path)[1:-1], name)
    return text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_the_report_of_each_corpus_file_is_unchanged(case: Case) -> None:
    report = api.grade(case.exercise, SUBMISSIONS / case.file, seed=SEED, timeout_s=case.timeout_s)
    got = stable(report)
    golden = GOLDEN / f"{case.file}.{case.exercise}.json"
    if os.environ.get("GRADE_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))
