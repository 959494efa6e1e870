"""The report as one self-contained HTML page: what it holds, what it escapes, and how a real
browser (headless Chromium) shows it at phone and desktop width and in print."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from grader import api
from grader.check.coach import diagnose
from grader.data.registry import FASHION_MNIST
from grader.report import CheckResult, ModelSummary, Report
from grader.report.html import render_html, write_html
from grader.text import Text
from tests.conftest import SOLUTIONS, SUBMISSIONS
from tests.report import chromium

HISTORY = {
    "loss": [1.2, 0.7, 0.5, 0.4, 0.3, 0.2],
    "accuracy": [0.6, 0.75, 0.8, 0.84, 0.88, 0.92],
    "val_loss": [0.9, 0.6, 0.5, 0.55, 0.6, 0.7],
    "val_accuracy": [0.7, 0.8, 0.85, 0.86, 0.855, 0.85],
}
FASHION_NAMES = list(FASHION_MNIST.class_names)  # "3 Dress" in the page below
CONFUSION = [[80 if i == j else 20 if j == (i + 1) % 10 else 0 for j in range(10)] for i in range(10)]


def model_report(lang_output: str = "Epoch 1/6\n") -> Report:
    findings = diagnose(HISTORY, met=False)
    summary = ModelSummary("accuracy", 0.8612, 0.9, 41.0, 6, HISTORY, [], findings, CONFUSION, FASHION_NAMES)
    checks = (
        CheckResult("loads", Text("loads", "불러오기"), 10, 10, "passed"),
        CheckResult("contract", Text("contract", "계약"), 10, 10, "passed"),
        CheckResult("metric", Text("accuracy", "정확도"), 64.5, 80, "failed", Text("0.8612 < 0.9", "0.8612 < 0.9")),
    )
    return Report(
        "exercise10", "fashion-mnist", Text("Fashion-MNIST: accuracy ≥ 0.90", "Fashion-MNIST 의류 이미지"),
        "내_모델.py", "ab" * 32, "0.1.0", "local", "failed", Text("accuracy 0.8612", "정확도 0.8612"), checks,
        seed=7, output=lang_output, model=summary,
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_model_page_holds_score_checks_findings_curves_and_confusion(lang) -> None:
    page = render_html(model_report(), lang=lang)
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    for element in ('id="score"', 'id="checks"', 'id="findings"', 'id="curves"', 'id="confusion"'):
        assert element in page
    assert 'data-finding="overfitting"' in page
    assert page.count("<svg") == 2 and 'class="target"' in page  # loss, and accuracy with its target line
    assert "내_모델.py" in page and "ab" * 32 in page  # the submission's name and its whole sha
    assert ("The model overfits" if lang == "en" else "과적합입니다") in page
    assert "80%" in page  # each class's accuracy beside its row
    # Each row names its class and gives its accuracy first, before the counts a phone scrolls to.
    assert "<th class='class'>3 Dress</th><td class='num'>80%</td>" in page
    assert re.search(r"<thead><tr><th></th><th>[^<]+</th><th>0</th>", page)


def test_the_page_loads_nothing_from_anywhere_and_runs_no_script() -> None:
    page = render_html(model_report(), lang="en")
    assert "default-src 'none'" in page
    assert "<script" not in page and not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_what_the_submission_printed_or_named_is_escaped() -> None:
    report = model_report("</pre><script>alert('pwned')</script>\n<img src=x onerror=alert(1)>")
    page = render_html(report, lang="en")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert html.escape("<script>alert('pwned')</script>") in page


def test_a_fragment_for_jupyter_is_the_same_report_without_the_page_around_it() -> None:
    report = model_report()
    fragment = report._repr_html_()
    assert fragment.startswith('<div class="tfcert-report"') and "<html" not in fragment
    assert 'id="findings"' in fragment


@chromium.needs_chromium
def test_chromium_shows_a_real_function_report_and_a_model_report_without_a_console_message(tmp_path) -> None:
    graded = api.grade("exercise5", SUBMISSIONS / "ex5_off_by_one.py", seed=5)
    pages = [
        write_html(graded, tmp_path / "function.html", lang="ko"),
        write_html(
            model_report("<script>console.error('from the submission')</script>"), tmp_path / "m.html", lang="en"
        ),
    ]
    for page in pages:
        dom, console = chromium.load(page)
        assert console == []  # no error, no CSP refusal, no script
        assert 'id="score"' in dom and 'id="checks"' in dom
    dom, _ = chromium.load(pages[1])
    assert 'id="findings"' in dom and dom.count("<svg") == 2 and 'id="confusion"' in dom
    for width, height in ((390, 1600), (1280, 1400)):  # a phone, a laptop
        png = chromium.screenshot(pages[1], tmp_path / f"m-{width}.png", width, height)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = chromium.print_to_pdf(pages[1], tmp_path / "m.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_the_reference_solution_s_page_says_it_passed(tmp_path) -> None:
    report = api.grade("exercise5", SOLUTIONS / "exercise5.py")
    page = write_html(report, tmp_path / "deep" / "report.html", lang="ko").read_text(encoding="utf-8")
    assert 'class="badge passed"' in page and "합격" in page and "100 / 100" in page


def test_the_coach_s_findings_reach_the_gradescope_output_and_the_feedback_file(tmp_path) -> None:
    from grader.bulk.export import gradescope_result
    from grader.bulk.store import StoredResult

    report = model_report()
    stored = StoredResult("s01", "exercise10", report.submission_sha256, "failed", 84.5, 100, 41.0, "w", report)
    output = gradescope_result(stored, "ko")["output"]
    assert output.startswith("FAILED: 정확도 0.8612") and "과적합입니다 — val_loss가 3번째" in output

    from grader.bulk.export import write_feedback
    from grader.bulk.store import ResultStore

    with ResultStore(tmp_path / "out") as store:  # the real SQLite store, as grade bulk leaves it
        store.add("s01", "s01/exercise10.py", report, 0.0, "w")
        write_feedback(store, tmp_path / "feedback", "en")
    feedback = (tmp_path / "feedback" / "s01.md").read_text(encoding="utf-8")
    assert (
        "- The model overfits — val\\_loss was lowest at epoch 3" in feedback
    )  # _ escaped: plain text and "EarlyStopping" in feedback


def test_the_gradebook_lists_each_model_s_findings_beside_it_and_drops_a_stale_list(tmp_path) -> None:
    """findings.csv: which students' models overfit, diverged, fed raw pixels (an instructor's
    view of the class); a run with no model findings removes the old file."""
    import csv

    from grader.bulk.export import write_csv
    from grader.bulk.store import ResultStore

    report = model_report()
    with ResultStore(tmp_path / "out") as store:  # the real SQLite store, as grade bulk leaves it
        store.add("s01", "s01/exercise10.py", report, 0.0, "w")
        store.add("s02", "s02/exercise5.py", api.grade("exercise5", SOLUTIONS / "exercise5.py"), 0.0, "w")
        written = write_csv(store, tmp_path / "out" / "grades.csv", "ko")
    findings = tmp_path / "out" / "findings.csv"
    assert findings in written
    with open(findings, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["student", "exercise", "finding", "title", "evidence", "next step"]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [("s01", "exercise10", f.name) for f in report.model.findings]
    assert rows[1][3] == report.model.findings[0].title("ko") and "EarlyStopping" in rows[1][5]

    with ResultStore(tmp_path / "out2") as store:
        store.add("s02", "s02/exercise5.py", api.grade("exercise5", SOLUTIONS / "exercise5.py"), 0.0, "w")
        stale = tmp_path / "out2" / "findings.csv"
        stale.write_text("student\nold\n")
        write_csv(store, tmp_path / "out2" / "grades.csv", "en")
    assert not stale.exists()


def test_a_one_epoch_run_draws_its_points() -> None:
    one = {"loss": [0.5], "accuracy": [0.81], "val_loss": [0.55], "val_accuracy": [0.8]}
    report = model_report()
    page = render_html(replace(report, model=replace(report.model, history=one, epochs=1)), lang="en")
    assert page.count("<circle") == 4  # loss and val_loss, accuracy and val_accuracy: a dot each
