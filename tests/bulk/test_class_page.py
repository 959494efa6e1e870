"""The class views (issue 26): a class folder in the real bulk layout (tests/submissions/class_page,
one file per student, a roster with one student who handed nothing in) graded once for the module,
then the page, the CSVs and the gradebook read as an instructor would."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from grader import api
from grader.bulk import BulkOptions
from grader.bulk.store import DB_NAME
from tests.conftest import SUBMISSIONS
from tests.report import chromium

CLASS = SUBMISSIONS / "class_page"
ROSTER = SUBMISSIONS / "class_page.roster.csv"


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("class") / "out"
    api.grade_batch(CLASS, out, roster=ROSTER, options=BulkOptions(workers=2, timeout_s=3))
    api.export_results(out, ["csv", "class"], lang="en")
    return out


def test_the_gradebook_tells_each_verdict_apart_beside_its_score(graded) -> None:
    book = {r["student"]: r for r in rows(graded / "gradebook.csv")}
    said = {s: (r["exercise5"], r["exercise5 verdict"]) for s, r in book.items()}
    assert said == {
        "kim": ("100", "passed"),
        "lee": ("100", "passed"),
        "park": ("0", "failed"),  # the starter: NotImplementedError on every call
        "choi": ("0", "failed"),
        "jung": ("100", "passed"),
        "kang": ("100", "passed"),
        "yoon": ("15", "failed"),
        "han": ("0", "submission-error"),  # a syntax error
        "seo": ("0", "contract-error"),  # split_x missing
        "moon": ("0", "timeout"),
        "oh": ("", "not handed in"),  # on the roster, no file
    }
    assert "exercise5 graded as" not in book["kim"]  # nobody was graded under other names


def test_a_copy_with_renamed_variables_moved_functions_and_new_comments_is_the_one_pair_flagged(graded) -> None:
    pairs = rows(graded / "similarity.csv")
    assert [(p["student_a"], p["student_b"]) for p in pairs] == [("kim", "lee")]
    assert float(pairs[0]["similarity"]) >= 0.6 and int(pairs[0]["matched_characters"]) >= 200
    # Two starter-only files (park: English, choi: Korean) and the short honest solutions
    # (jung, kang, yoon) are never a pair, however alike a 5-line function is.


def test_the_item_analysis_is_over_the_students_whose_code_reached_each_check(graded) -> None:
    checks = {r["check"]: r for r in rows(graded / "checks.csv")}
    # reached: kim lee park choi jung kang yoon (han, seo, moon never ran a check)
    shape = checks["iris-146x5x4"]
    assert (shape["students"], shape["passed"], shape["pass_rate"]) == ("7", "4", "0.5714")
    invalid = checks["invalid-size"]  # yoon's off-by-one still raises ValueError on a bad size
    assert (invalid["students"], invalid["passed"]) == ("7", "5")
    assert all(r["exercise"] == "exercise5" and r["discrimination"] for r in checks.values())


def test_the_page_counts_the_slip_the_class_made_and_links_each_cell_to_its_report(graded) -> None:
    page = (graded / "class.html").read_text(encoding="utf-8")
    assert 'data-name="off-by-one"' in page and "1 student" in page  # yoon
    assert 'href="reports/kim/exercise5.html"' in page and (graded / "reports/kim/exercise5.html").is_file()
    assert "kim</b> ↔ <b>lee" in page and "<mark>" in page
    assert page.count('class="pair"') == 1


def test_grade_class_re_renders_from_the_store_without_grading_again(graded) -> None:
    def stored() -> list[tuple]:
        with sqlite3.connect(graded / DB_NAME) as db:
            return db.execute("SELECT student, sha256, finished_at FROM results ORDER BY student").fetchall()

    before = stored()
    ran = CliRunner().invoke(cli.main, ["class", str(graded), "--lang", "ko", "--anonymous"])
    assert ran.exit_code == 0, ran.output
    assert stored() == before
    page = (graded / "class.html").read_text(encoding="utf-8")
    key = {r["student"]: r["pseudonym"] for r in rows(graded / "pseudonyms.csv")}
    assert "반 전체 보고서" in page and key["kim"] in page
    assert ">kim<" not in page and "reports/kim" not in page  # no name, no link that carries one
    assert "<pre>" not in page and 'class="pair"' in page  # the pair, not its code: a comment can carry a name
    again = CliRunner().invoke(cli.main, ["class", str(graded), "--similarity", "off"])
    assert again.exit_code == 0 and not (graded / "similarity.csv").exists()
    assert not (graded / "pseudonyms.csv").exists()  # never a stale key beside a page without pseudonyms


def test_grade_class_without_a_store_is_a_usage_error_in_the_learner_s_language(tmp_path) -> None:
    ran = CliRunner().invoke(cli.main, ["class", str(tmp_path), "--lang", "ko"])
    assert ran.exit_code == 2 and "grade bulk" in ran.output and "결과 저장소" in ran.output


@chromium.needs_chromium
def test_chromium_shows_the_class_page_in_both_languages_without_a_console_message(graded, tmp_path) -> None:
    for lang in ("en", "ko"):
        api.export_results(graded, ["class"], lang=lang)
        page = tmp_path / f"class-{lang}.html"
        page.write_bytes((graded / "class.html").read_bytes())
        dom, console = chromium.load(page)
        assert console == []  # the sorting script runs under the page's CSP: no refusal, no error
        for element in ('id="grid-table"', 'id="exercise5"', 'class="items"', 'class="recurring"', 'class="pair"'):
            assert element in dom
        for width, height in ((390, 1800), (1280, 1400)):
            png = chromium.screenshot(page, tmp_path / f"class-{lang}-{width}.png", width, height)
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
