"""Bulk grading as an instructor runs it: a class zip, a kill midway, a resume, the exports,
and every kind of bad input an LMS download can hold."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import grader
from grader import api
from grader.bulk import BulkOptions, report_from_worker
from grader.bulk.store import DB_NAME, ResultStore
from tests.conftest import ROOT, SOLUTIONS, SUBMISSIONS

# (file, exercise, verdict, score): good, flawed and hostile, all quick to grade.
SAMPLES = [
    (SOLUTIONS / "exercise5.py", "exercise5", "passed", 100),
    (SOLUTIONS / "exercise1.py", "exercise1", "passed", 100),
    (SOLUTIONS / "exercise2.py", "exercise2", "passed", 100),
    (SUBMISSIONS / "ex5_transposed.py", "exercise5", "failed", 30),
    (SUBMISSIONS / "ex5_off_by_one.py", "exercise5", "failed", 15),
    (SUBMISSIONS / "ex5_syntax_error.py", "exercise5", "submission-error", 0),
    (SUBMISSIONS / "ex2_no_validation.py", "exercise2", "failed", None),
    (SUBMISSIONS / "ex5_huge_allocation.py", "exercise5", "failed", 85),  # 50 GB at top level: cut, graded alone
    (SUBMISSIONS / "ex5_segfault.py", "exercise5", "crashed", 0),
    (SUBMISSIONS / "ex5_leaves_process.py", "exercise5", "passed", 100),
]


def make_class(folder: Path, n: int = 50) -> tuple[Path, dict[tuple[str, str], tuple[str, int | None]]]:
    """A zip as an LMS gives it: ``<student>_<exercise>.py``; some ids are Korean."""
    expected = {}
    archive = folder / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(n):
            path, exercise, verdict, score = SAMPLES[i % len(SAMPLES)]
            student = f"s{i:02d}" if i % 7 else f"김민지{i:02d}"
            zf.write(path, f"submissions/{student}_{exercise}.py")
            expected[(student, exercise)] = (verdict, score)
    return archive, expected


def stored(out: Path) -> list[tuple]:
    with sqlite3.connect(out / DB_NAME) as db:
        return db.execute("SELECT student, exercise, verdict, score, finished_at FROM results").fetchall()


def stored_so_far(out: Path) -> list[tuple]:
    """What a run still under way has stored: nothing while the store's file exists but its
    schema is not yet committed (sqlite creates the file at connect, the tables a moment later)."""
    if not (out / DB_NAME).exists():
        return []
    try:
        return stored(out)
    except sqlite3.OperationalError:
        return []


def test_a_class_zip_is_graded_in_parallel_with_exact_verdicts_and_exports(tmp_path) -> None:
    archive, expected = make_class(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\ns01,A\nnobody,B\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = api.grade_batch(archive, out, roster=roster, options=BulkOptions(workers=2, runner="local"))
    assert (summary.total, summary.graded, summary.skipped, len(summary.problems)) == (50, 50, 0, 0)
    rows = {(s, e): (v, sc) for s, e, v, sc, _ in stored(out)}
    for key, (verdict, score) in expected.items():
        assert rows[key][0] == verdict, key
        if score is not None:
            assert rows[key][1] == score, key

    api.export_results(out, ["csv", "json", "gradescope", "feedback"])
    with open(out / "gradebook.csv", encoding="utf-8") as fh:
        book = list(csv.DictReader(fh))
    assert [r["student"] for r in book[:2]] == ["s01", "nobody"]  # roster order first
    assert book[1]["exercise5"] == "" and book[1]["total"] == ""  # on the roster, no file: blank
    assert len(book) == 51
    korean = next(r for r in book if r["student"] == "김민지00")
    assert korean["exercise5"] == "100" and korean["total"] == "100"

    results = json.loads((out / "gradescope" / "s03" / "exercise5" / "results.json").read_text())
    assert results["score"] == 30 and results["max_score"] == 100
    assert {t["status"] for t in results["tests"]} == {"passed", "failed"}
    assert all({"name", "score", "max_score", "output", "visibility"} <= t.keys() for t in results["tests"])
    assert len(list((out / "gradescope").glob("*/*/results.json"))) == 50
    feedback = (out / "feedback" / "s03.md").read_text(encoding="utf-8")
    assert "30 / 100" in feedback and "axes are in a different order" in feedback


def test_killed_with_sigkill_midway_a_rerun_loses_nothing_and_grades_nothing_twice(tmp_path) -> None:
    archive, expected = make_class(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "cli.py"), "bulk", str(archive), "--out", str(out), "--runner", "local"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(stored_so_far(out)) < 5:
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    before = {(s, e): t for s, e, _, _, t in stored(out)}
    assert 5 <= len(before) < 50, "the kill should land midway"

    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert f"{50 - len(before)} graded, {len(before)} already graded" in second.stdout
    after = stored(out)
    assert len(after) == 50 == len({(s, e) for s, e, *_ in after})  # each submission exactly once
    assert all(before[(s, e)] == t for s, e, _, _, t in after if (s, e) in before)  # not graded again
    assert {(s, e): v for s, e, v, _, _ in after} == {k: v for k, (v, _) in expected.items()}


def test_regrade_grades_again_and_an_edited_file_is_new(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "kim_exercise5.py").write_bytes((SUBMISSIONS / "ex5_transposed.py").read_bytes())
    out = tmp_path / "out"
    options = BulkOptions(runner="local")
    assert api.grade_batch(folder, out, options=options).graded == 1
    assert api.grade_batch(folder, out, options=options).skipped == 1
    assert api.grade_batch(folder, out, options=BulkOptions(runner="local", regrade=True)).graded == 1
    (folder / "kim_exercise5.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())  # a fixed resubmission
    assert api.grade_batch(folder, out, options=options).graded == 1
    api.export_results(out, ["csv"])
    assert "kim,100,passed,100" in (out / "gradebook.csv").read_text()


# --- bad input ---------------------------------------------------------------------------


def zip_with(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("name", ["../evil_exercise5.py", "/etc/evil_exercise5.py", "a/../../evil_exercise5.py"])
def test_a_zip_entry_outside_the_folder_is_refused(tmp_path, name) -> None:
    archive = zip_with(tmp_path / "slip.zip", {"ok_exercise5.py": b"x = 1\n", name: b"x = 1\n"})
    with pytest.raises(api.UsageError, match="points outside the folder"):
        api.grade_batch(archive, tmp_path / "out", options=BulkOptions(runner="local"))
    assert not (tmp_path / "evil_exercise5.py").exists()


def test_a_zip_bomb_is_refused_before_it_fills_the_disk(tmp_path) -> None:
    archive = zip_with(tmp_path / "bomb.zip", {"kim_exercise5.py": b"\0" * (64 * 2**20)})
    with pytest.raises(api.UsageError, match="zip bomb"):
        api.grade_batch(archive, tmp_path / "out", options=BulkOptions(runner="local"))


def test_odd_files_become_problems_and_the_rest_is_graded(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    good = (SOLUTIONS / "exercise5.py").read_bytes()
    (folder / "kim_exercise5.py").write_bytes(good)
    (folder / "lee_exercise5.py").write_bytes(good)
    (folder / "lee_iris-windows.ipynb").write_text("{}")  # the same exercise by its slug: a duplicate
    (folder / "park_exercise42.py").write_bytes(good)  # no such exercise
    (folder / "choi_report.pdf").write_bytes(b"%PDF")  # not gradable
    (folder / "jung_exercise5.py").write_bytes('MESSAGE = "한글"\n'.encode("cp949"))  # not UTF-8 inside
    os.mkdir(folder / "__MACOSX")
    out = tmp_path / "out"
    summary = api.grade_batch(folder, out, options=BulkOptions(runner="local"))
    assert summary.graded == 2
    with sqlite3.connect(out / DB_NAME) as db:
        reasons = dict(db.execute("SELECT path, reason FROM problems").fetchall())
        korean = dict(db.execute("SELECT path, reason_ko FROM problems").fetchall())
    assert "2 files for one student and exercise" in reasons[str(folder / "lee_exercise5.py")]
    assert "unknown exercise 'exercise42'" in reasons[str(folder / "park_exercise42.py")]
    assert "not a gradable file" in reasons[str(folder / "choi_report.pdf")]
    assert "채점할 수 있는 파일이 아닙니다" in korean[str(folder / "choi_report.pdf")]  # for Korean instructors
    assert "알 수 없는 문제 'exercise42'" in korean[str(folder / "park_exercise42.py")]
    verdicts = {s: v for s, _, v, _, _ in stored(out)}
    assert verdicts == {"kim": "passed", "jung": "submission-error"}
    with ResultStore(out) as store:
        jung = next(r for r in store.latest() if r.student == "jung")
    assert "not saved as UTF-8" in jung.report.message.en and "UTF-8로 저장" in jung.report.message.ko


def test_a_file_claiming_another_exercise_is_not_graded_as_this_one(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "kim.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    (folder / "lee_exercise2.py").write_bytes((SOLUTIONS / "exercise2.py").read_bytes())
    out = tmp_path / "out"
    summary = api.grade_batch(folder, out, exercise="exercise5", options=BulkOptions(runner="local"))
    assert summary.graded == 1 and len(summary.problems) == 1
    with sqlite3.connect(out / DB_NAME) as db:
        (reason,) = db.execute("SELECT reason FROM problems").fetchone()
    assert reason == "the file claims exercise2, but this batch grades exercise5"


def test_korean_windows_zip_names_and_undecodable_folder_names(tmp_path) -> None:
    archive = tmp_path / "cp949.zip"
    name = "김민지_exercise5.py".encode("cp949")
    placeholder = b"X" * (len(name) - len(b"_exercise5.py")) + b"_exercise5.py"
    zip_with(archive, {placeholder.decode(): (SOLUTIONS / "exercise5.py").read_bytes()})
    # Windows writes CP949 bytes without the UTF-8 flag; Python would flag a non-ASCII name.
    archive.write_bytes(archive.read_bytes().replace(placeholder, name))
    summary = api.grade_batch(archive, tmp_path / "out", options=BulkOptions(runner="local"))
    assert summary.graded == 1 and stored(tmp_path / "out")[0][:3] == ("김민지", "exercise5", "passed")

    folder = tmp_path / "bytes"
    folder.mkdir()
    name = os.fsencode(folder) + b"/\xff\xfe_exercise5.py"
    with open(name, "wb") as fh:
        fh.write((SOLUTIONS / "exercise5.py").read_bytes())
    summary = api.grade_batch(folder, tmp_path / "out2", options=BulkOptions(runner="local"))
    assert summary.graded == 1 and stored(tmp_path / "out2")[0][0] == "\ufffd\ufffd"


def test_an_empty_folder_is_a_usage_error(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(api.UsageError, match="no submissions found"):
        api.grade_batch(tmp_path / "empty", tmp_path / "out", options=BulkOptions(runner="local"))


def test_a_manifest_maps_students_exercises_and_paths(tmp_path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("student,exercise,path\nkim,iris-windows,files/a.py\nlee,exercise5,files/missing.py\n")
    summary = api.grade_batch(manifest, tmp_path / "out", options=BulkOptions(runner="local"))
    assert summary.graded == 1 and len(summary.problems) == 1
    assert stored(tmp_path / "out")[0][:3] == ("kim", "exercise5", "passed")


def test_a_manifest_grades_last_years_homework_under_its_function_names(tmp_path) -> None:
    (tmp_path / "files").mkdir()
    old = (SUBMISSIONS / "ex5_last_years_name.py").read_bytes()
    for name in ("park.py", "choi.py", "jung.py", "han.py"):
        (tmp_path / "files" / name).write_bytes(old)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "student,exercise,path,function\n"
        "park,exercise5,files/park.py,split_x=split_data\n"
        "choi,exercise5,files/choi.py,\n"
        "jung,exercise5,files/jung.py,split_x: split_data\n"
        "han,exercise5,files/han.py,split_xy=split_data\n",
        encoding="utf-8",
    )
    summary = api.grade_batch(manifest, tmp_path / "out", options=BulkOptions(runner="local"))
    assert summary.graded == 2
    graded = {row[0]: row[1:3] for row in stored(tmp_path / "out")}
    assert graded == {"park": ("exercise5", "passed"), "choi": ("exercise5", "contract-error")}
    reasons = {p.student: p.reason.en for p in summary.problems}
    assert reasons["jung"].startswith("the function column 'split_x: split_data' is not NAME=YOURS")
    assert reasons["han"] == "the function column names split_xy, which exercise5 does not ask for"


def test_a_student_whose_function_column_changed_is_graded_again_and_the_rest_skipped(tmp_path) -> None:
    # The instructor sees park's contract-error (last year's split_data), adds the function
    # column for park, and runs the same command again: park's new grading replaces the old.
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "park.py").write_bytes((SUBMISSIONS / "ex5_last_years_name.py").read_bytes())
    (tmp_path / "files" / "choi.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    manifest, out = tmp_path / "manifest.csv", tmp_path / "out"
    rows = "park,exercise5,files/park.py,{}\nchoi,exercise5,files/choi.py,\n"
    manifest.write_text("student,exercise,path,function\n" + rows.format(""), encoding="utf-8")
    first = api.grade_batch(manifest, out, options=BulkOptions(runner="local"))
    assert (first.graded, first.skipped) == (2, 0)
    assert {row[0]: row[2] for row in stored(out)} == {"park": "contract-error", "choi": "passed"}

    manifest.write_text("student,exercise,path,function\n" + rows.format("split_x=split_data"), encoding="utf-8")
    second = api.grade_batch(manifest, out, options=BulkOptions(runner="local"))
    assert (second.graded, second.skipped) == (1, 1)
    assert {row[0]: row[2] for row in stored(out)} == {"park": "passed", "choi": "passed"}  # replaced, not added
    third = api.grade_batch(manifest, out, options=BulkOptions(runner="local"))
    assert (third.graded, third.skipped) == (0, 2)


def test_a_store_from_before_function_columns_is_resumed_as_graded_under_no_aliases(tmp_path) -> None:
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    (folder / "kim_exercise5.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    assert api.grade_batch(folder, out, options=BulkOptions(runner="local")).graded == 1
    with sqlite3.connect(out / DB_NAME) as db:  # the results table as an older grader made it
        db.execute("ALTER TABLE results DROP COLUMN aliases")
    again = api.grade_batch(folder, out, options=BulkOptions(runner="local"))
    assert (again.graded, again.skipped) == (0, 1)


def test_a_wrapping_folder_is_entered_but_a_single_students_folder_is_kept(tmp_path) -> None:
    good = (SOLUTIONS / "exercise5.py").read_bytes()
    wrapped = zip_with(
        tmp_path / "wrapped.zip", {"course/week3/kim/exercise5.py": good, "course/week3/lee/iris-windows.py": good}
    )
    summary = api.grade_batch(wrapped, tmp_path / "a", options=BulkOptions(runner="local"))
    assert summary.graded == 2 and {s for s, *_ in stored(tmp_path / "a")} == {"kim", "lee"}
    single = zip_with(tmp_path / "single.zip", {"kim/exercise5.py": good})
    summary = api.grade_batch(single, tmp_path / "b", options=BulkOptions(runner="local"))
    assert summary.graded == 1 and stored(tmp_path / "b")[0][0] == "kim"


def test_a_submission_that_kills_its_worker_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch) -> None:
    # Without a sandbox the child can reach its worker, as on macOS or where bwrap is refused;
    # the pool's workers are spawned afterwards and inherit this.
    monkeypatch.setenv("GRADE_SANDBOX", "off")
    folder = tmp_path / "class"
    folder.mkdir()
    for student in ("a", "b", "c", "d"):
        (folder / f"{student}_exercise5.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    (folder / "evil_exercise5.py").write_bytes((SUBMISSIONS / "bulk" / "kills_its_grader.py").read_bytes())
    out = tmp_path / "out"
    summary = api.grade_batch(folder, out, options=BulkOptions(workers=2, runner="local", allow_unisolated=True))
    assert summary.graded == 5 and summary.lost == []
    verdicts = {s: v for s, _, v, _, _ in stored(out)}
    assert verdicts == {"a": "passed", "b": "passed", "c": "passed", "d": "passed", "evil": "crashed"}
    with ResultStore(out) as store:
        evil = next(r for r in store.latest() if r.student == "evil")
    assert "worker process was killed while it ran your file" in evil.report.message.en


def test_a_report_from_a_worker_with_another_grader_version_is_not_stored() -> None:
    sent = json.loads(api.grade("exercise5", SOLUTIONS / "exercise5.py").dumps())
    sent["grader_version"] = "0.0.1"  # a Ray node that was not upgraded
    report, why = report_from_worker({"report": json.dumps(sent), "worker": "node-7:4242"})
    assert report is None
    assert why == (
        f"worker node-7:4242 runs tfcert-grader 0.0.1, this one {grader.__version__}: "
        "install the same version on every node"
    )
    sent["schema_version"] = 999
    report, why = report_from_worker({"report": json.dumps(sent), "worker": "node-7:4242"})
    assert report is None and "sent a report this grader cannot read" in why


def test_problems_export_in_the_instructors_language(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "kim_exercise5.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    (folder / "choi_report.pdf").write_bytes(b"%PDF")
    out = tmp_path / "out"
    api.grade_batch(folder, out, options=BulkOptions(runner="local"))
    api.export_results(out, ["csv"], lang="ko")
    with open(out / "problems.csv", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["student"] == "choi" and row["reason"].startswith("채점할 수 있는 파일이 아닙니다")
    (folder / "choi_report.pdf").unlink()  # the next run has nothing odd: no stale list is left
    api.grade_batch(folder, out, options=BulkOptions(runner="local"))
    assert api.export_results(out, ["csv"]) == [out / "gradebook.csv"]
    assert not (out / "problems.csv").exists()


def test_a_results_store_from_before_bilingual_reasons_still_opens(tmp_path) -> None:
    with sqlite3.connect(tmp_path / DB_NAME) as db:  # the problems table as the first release made it
        db.execute("CREATE TABLE problems (student TEXT, exercise TEXT, path TEXT, reason TEXT)")
        db.execute("INSERT INTO problems VALUES ('kim', 'exercise5', 'kim.pdf', 'not a gradable file')")
    with ResultStore(tmp_path) as store:
        (problem,) = store.problems()
    assert problem.reason.en == problem.reason.ko == "not a gradable file"
