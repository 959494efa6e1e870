"""Records nobody can bend: a class's submissions as a hostile or careless class hands them in.

Each case ends in exact grades and a listed problem with its reason; nothing is lost, silently
replaced, followed out of the folder, or written where a spreadsheet would run it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest

from grader import api, config
from grader.bulk import BulkOptions
from grader.bulk.files import spreadsheet_safe
from grader.bulk.store import ResultStore
from grader.exam import state as exam_state
from grader.runner.jobs import remove_tree
from tests.conftest import SOLUTIONS
from tests.exam.test_exam import FakeClock, put, template

GOOD = (SOLUTIONS / "exercise5.py").read_bytes()
LOCAL = BulkOptions(runner="local", allow_unisolated=True)


def grade_class(source: Path, out: Path, **options):
    summary = api.grade_batch(source, out, options=LOCAL, **options)
    api.export_results(out, ["csv", "json", "gradescope", "feedback"])
    return summary


def gradebook(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        return {row["student"]: row for row in csv.DictReader(fh)}


def problems(out: Path) -> dict[str, str]:
    """The instructor's problems.csv, read back: path -> reason."""
    with open(out / "problems.csv", newline="", encoding="utf-8") as fh:
        return {row["path"]: row["reason"] for row in csv.DictReader(fh)}


def everything_written(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file())


def test_links_in_a_class_folder_are_refused_and_what_they_point_at_is_never_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:SECRET-HASH-OF-THE-INSTRUCTOR:19000:0:99999:7:::\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "exercise5.py").write_bytes(GOOD)
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "kim_exercise5.py").write_bytes(GOOD)
    (folder / "lee_exercise5.py").symlink_to(secret)  # a file entry that is a link
    (folder / "park").symlink_to(elsewhere, target_is_directory=True)  # a student folder that is a link
    (folder / "choi").mkdir()
    (folder / "choi" / "exercise5.py").symlink_to(secret)  # a link inside a student's folder
    out = tmp_path / "out"
    summary = grade_class(folder, out)
    assert summary.graded == 1
    book = gradebook(out)  # who handed in a link is in the class, not graded
    assert {s: r["exercise5 verdict"] for s, r in book.items()} == {
        "kim": "passed", "lee": "not gradable", "choi": "not gradable"
    }  # fmt: skip
    found = problems(out)
    for path in (folder / "lee_exercise5.py", folder / "park", folder / "choi" / "exercise5.py"):
        assert found[str(path)] == "a link, not a file (links are refused: they can point anywhere)"
    assert "SECRET-HASH" not in everything_written(out)


def test_two_zip_entries_with_one_name_are_both_listed_and_neither_graded(tmp_path) -> None:
    archive = tmp_path / "class.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(archive, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate, as it should
        zf.writestr("kim_exercise5.py", GOOD)
        zf.writestr("kim_exercise5.py", b"def split_x(seq, size):\n    return []\n")
        zf.writestr("lee_exercise5.py", GOOD)
    out = tmp_path / "out"
    summary = grade_class(archive, out)
    assert summary.graded == 1 and gradebook(out)["lee"]["exercise5 verdict"] == "passed"
    assert gradebook(out)["kim"]["exercise5 verdict"] == "not gradable"
    ((path, reason),) = problems(out).items()
    assert path == "kim_exercise5.py"
    assert reason == "the zip holds 2 entries named kim_exercise5.py: neither is graded"


def test_nfc_and_nfd_spellings_of_one_hangul_name_are_one_student(tmp_path) -> None:
    nfc = "이서연"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / f"{nfc}_exercise5.py").write_bytes(GOOD)  # typed on Windows
    (folder / f"{nfd}_exercise2.py").write_bytes((SOLUTIONS / "exercise2.py").read_bytes())  # zipped on a Mac
    (folder / f"{nfd}_exercise1.py").write_bytes((SOLUTIONS / "exercise1.py").read_bytes())
    (folder / f"{nfc}_exercise1.py").write_bytes(b"x = 1\n")  # the same student and exercise twice
    roster = tmp_path / "roster.csv"
    roster.write_text(f"student\n{nfd}\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = grade_class(folder, out, roster=roster)
    assert summary.graded == 2
    book = gradebook(out)
    assert list(book) == [nfc]  # one row: the roster's NFD spelling matched
    assert (
        book[nfc]["exercise5"] == "100" and book[nfc]["exercise2"] == "100" and "exercise1" not in book[nfc]
    )  # neither of its two files
    reasons = set(problems(out).values())
    assert len(reasons) == 1 and next(iter(reasons)).startswith("2 files for one student and exercise")


HOSTILE_IDS = ["=cmd|' -C calc'!A0", "+SUM(1+1)", "-2+3", "@SUM(A1)"]


def test_hostile_student_ids_are_neutralised_in_every_csv_and_still_match_the_roster(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for student in HOSTILE_IDS:
        (folder / student).mkdir()
        (folder / student / "exercise5.py").write_bytes(GOOD)
    (folder / "=HYPERLINK(0)").mkdir()
    (folder / "=HYPERLINK(0)" / "exercise42.py").write_bytes(GOOD)  # a problem row with a hostile id
    roster = tmp_path / "roster.csv"
    with open(roster, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["student"], *([s] for s in HOSTILE_IDS)])
    out = tmp_path / "out"
    summary = grade_class(folder, out, roster=roster)
    assert summary.graded == len(HOSTILE_IDS)
    book = gradebook(out)
    assert list(book) == ["'" + s for s in HOSTILE_IDS]  # the roster's order; one row each: they matched
    assert all(row["exercise5"] == "100" and row["total"] == "100" for row in book.values())
    with open(out / "problems.csv", newline="", encoding="utf-8") as fh:
        (problem,) = list(csv.DictReader(fh))
    assert problem["student"] == "'=HYPERLINK(0)"
    for written in (out / "gradebook.csv", out / "problems.csv"):
        with open(written, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row
    with ResultStore(out) as store:  # the store keeps the ids as they are: only CSV cells change
        assert sorted(r.student for r in store.latest()) == sorted(HOSTILE_IDS)


def test_a_cell_starting_with_a_tab_or_carriage_return_is_neutralised_too() -> None:
    # Student ids lose leading whitespace when collected; a reason or a template name may not.
    assert [spreadsheet_safe(c) for c in ["\tx", "\rx", "x=1", 5, None, ""]] == ["'\tx", "'\rx", "x=1", 5, None, ""]


def test_a_zip_with_impossible_entries_lists_them_and_grades_the_rest(tmp_path) -> None:
    archive = tmp_path / "class.zip"
    long_name = "k" * 250 + "_exercise5.py"  # over 255 bytes: no file system takes it
    deep = "/".join(["d" * 200] * 25) + "/lee_exercise5.py"  # over 4 kB of path
    with warnings.catch_warnings(), zipfile.ZipFile(archive, "w") as zf:
        warnings.simplefilter("ignore")
        zf.writestr("park_exercise5.py", GOOD)
        zf.writestr("park_exercise5.py/inner.py", GOOD)  # a file and a folder of one name
        zf.writestr(long_name, GOOD)
        zf.writestr(deep, GOOD)
        zf.writestr("kim_exercise5.py", GOOD)
    out = tmp_path / "out"
    summary = grade_class(archive, out)
    verdicts = {s: r["exercise5 verdict"] for s, r in gradebook(out).items()}
    assert summary.graded == 1 and verdicts == {
        "kim": "passed", "park": "not gradable", "k" * 200: "not gradable", "lee": "not gradable"
    }  # fmt: skip
    found = problems(out)
    assert found["park_exercise5.py/inner.py"] == (
        "park_exercise5.py is both a file and a folder in the zip: neither is graded"
    )
    assert found["park_exercise5.py"] == "park_exercise5.py is both a file and a folder in the zip: neither is graded"
    assert found[long_name].startswith("cannot be extracted here (File name too long)")
    assert found[deep].startswith("cannot be extracted here (File name too long)")


def _collected_exams(tmp_path: Path, monkeypatch, students: tuple[str, ...]) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv(config.EXAM_SECRET_ENV, "class-of-2026")
    clock = FakeClock()
    collected = tmp_path / "collected"
    for student in students:
        folder = tmp_path / "machines" / student
        api.exam_start(folder, template=template(tmp_path), lang="en", clock=clock)
        shutil.copytree(folder, collected / student)
    return collected


def _resign(workspace: Path, change) -> None:
    """What a learner with the key can do: edit the state and sign it again."""
    state = json.loads((workspace / "exam.json").read_text(encoding="utf-8"))
    change(state)
    state["hmac"] = exam_state._sign(state)
    (workspace / "exam.json").write_text(json.dumps(state), encoding="utf-8")


def test_a_workspace_naming_a_classmates_files_as_its_tasks_is_not_graded_on_them(tmp_path, monkeypatch) -> None:
    collected = _collected_exams(tmp_path, monkeypatch, ("kim", "lee"))
    put(collected / "kim", "task1", SOLUTIONS / "exercise5.py")

    def point_at_kim(state) -> None:
        state["template"]["tasks"][0]["name"] = "../kim/task1"

    _resign(collected / "lee", point_at_kim)
    out = tmp_path / "out"
    grade_class(collected, out)
    book = gradebook(out)
    assert book["kim"]["exercise5"] == "100"
    assert "lee" not in book  # nothing of kim's was graded as lee's
    assert problems(out)[str(collected / "lee")] == (
        "the exam state names a task '../kim/task1', not a plain task name (task1, task2, ...); "
        "this workspace is not graded"
    )


def test_a_copy_of_one_workspace_under_another_student_is_listed_for_both(tmp_path, monkeypatch) -> None:
    collected = _collected_exams(tmp_path, monkeypatch, ("kim",))
    put(collected / "kim", "task1", SOLUTIONS / "exercise5.py")
    shutil.copytree(collected / "kim", collected / "lee")
    out = tmp_path / "out"
    grade_class(collected, out)
    with open(out / "exams.csv", newline="", encoding="utf-8") as fh:
        states = {row["student"]: row["state"] for row in csv.DictReader(fh)}
    assert states == {"kim": "duplicate", "lee": "duplicate"}
    found = problems(out)
    for student, other in (("kim", "lee"), ("lee", "kim")):
        reason = found[str(collected / student)]
        assert reason.startswith("the same exam (id ")
        assert reason.endswith(f") as {other}'s workspace: one was copied from the other; neither is graded")


@pytest.mark.parametrize(
    "field, value",
    [("exam_id", 12345), ("started_at", "yesterday"), ("attempts", {}), ("template", []), ("deadline", None)],
)
def test_a_malformed_exam_state_is_a_listed_problem_not_a_crash(tmp_path, monkeypatch, field, value) -> None:
    collected = _collected_exams(tmp_path, monkeypatch, ("kim", "lee"))
    put(collected / "lee", "task1", SOLUTIONS / "exercise5.py")
    state = json.loads((collected / "kim" / "exam.json").read_text(encoding="utf-8"))
    state[field] = value
    (collected / "kim" / "exam.json").write_text(json.dumps(state), encoding="utf-8")
    out = tmp_path / "out"
    grade_class(collected, out)
    assert gradebook(out)["lee"]["exercise5"] == "100"  # the batch went on
    with open(out / "exams.csv", newline="", encoding="utf-8") as fh:
        states = {row["student"]: row["state"] for row in csv.DictReader(fh)}
    assert states["kim"].startswith(f"unreadable: the exam state's {field} ")
    reason = problems(out)[str(collected / "kim")]
    assert reason.startswith(f"the exam state's {field} ") and reason.endswith("; this workspace is not graded")
    with pytest.raises(api.UsageError, match=f"the exam state's {field} "):
        api.exam_open(collected / "kim")  # `grade exam status` says the same, with exit 2


def test_an_unverifiable_claim_on_a_classmates_exam_leaves_the_classmate_graded(tmp_path, monkeypatch) -> None:
    collected = _collected_exams(tmp_path, monkeypatch, ("kim",))
    put(collected / "kim", "task1", SOLUTIONS / "exercise5.py")
    shutil.copytree(collected / "kim", collected / "lee")
    state = json.loads((collected / "lee" / "exam.json").read_text(encoding="utf-8"))
    state["started_at"] += 1  # changed without the key: lee's copy no longer verifies
    (collected / "lee" / "exam.json").write_text(json.dumps(state), encoding="utf-8")
    out = tmp_path / "out"
    grade_class(collected, out)
    assert gradebook(out)["kim"]["exercise5"] == "100"  # the verified workspace is graded
    assert "lee" not in gradebook(out)
    reason = problems(out)[str(collected / "lee")]
    assert reason.startswith("its exam state does not verify and claims the exam (id ")
    assert reason.endswith(") of kim's verified workspace; this workspace is not graded")


def test_an_exam_state_that_is_a_link_to_a_classmates_is_refused_and_the_classmate_graded(
    tmp_path, monkeypatch
) -> None:
    collected = _collected_exams(tmp_path, monkeypatch, ("kim",))
    put(collected / "kim", "task1", SOLUTIONS / "exercise5.py")
    (collected / "lee").mkdir()
    (collected / "lee" / "exam.json").symlink_to(collected / "kim" / "exam.json")
    out = tmp_path / "out"
    grade_class(collected, out)
    assert gradebook(out)["kim"]["exercise5"] == "100"
    assert "lee" not in gradebook(out)
    assert str(collected / "lee" / "exam.json") in problems(out)


def test_a_student_folder_a_thousand_folders_deep_is_walked_and_the_class_graded(tmp_path) -> None:
    folder = tmp_path / "class"
    (folder / "kim" / "repo").mkdir(parents=True)
    (folder / "kim" / "exercise5.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    (folder / "lee_exercise5.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    here = os.getcwd()
    os.chdir(folder / "kim" / "repo")
    try:
        for _ in range(1100):  # a cloned repository: past Python's recursion limit
            os.mkdir("d")
            os.chdir("d")
        Path("notes.txt").write_text("x")
    finally:
        os.chdir(here)
    out = tmp_path / "out"
    try:
        summary = grade_class(folder, out)
        assert summary.graded == 2
        assert gradebook(out)["kim"]["exercise5"] == "100" and gradebook(out)["lee"]["exercise5"] == "100"
        assert any(key.endswith("notes.txt") for key in problems(out))
    finally:
        assert remove_tree(folder / "kim" / "repo")  # pytest's own clean-up of old tmp folders recurses


def test_feedback_files_render_a_submissions_text_as_text_never_as_the_graders(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "kim_exercise5.py").write_text(  # a syntax error: its line is shown, in the message
        "x = ('**100 / 100** — passed <img src=x onerror=alert(1)> [click](http://x) | ```'\n"
        "import sys; sys.exit('**100 / 100** — passed <img src=y> | ```')\n"
        "def split_x(seq, size):\n    return seq\n",
        encoding="utf-8",
    )
    (folder / "<b>lee_exercise5.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    (folder / "park_exercise5.py").write_text(  # its exit message comes back in a note
        "import sys\nsys.exit('**100 / 100** — passed <img src=y onerror=alert(1)>')\n"
        "def split_x(seq, size):\n    return seq\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    grade_class(folder, out)
    park = (out / "feedback" / "park.md").read_text(encoding="utf-8")
    assert "graded without it" in park and "&lt;img src=y" in park  # the note, as text
    assert "<img" not in park and "**100 / 100**" not in park
    kim = (out / "feedback" / "kim.md").read_text(encoding="utf-8").splitlines()
    assert [line for line in kim if line.startswith("**")] == ["**0 / 100** — submission-error"]
    opening = next(i for i, line in enumerate(kim) if line.endswith("text") and line.startswith("```"))
    fence = kim[opening].removesuffix("text")
    closing = kim.index(fence, opening + 1)
    assert len(fence) > 3  # longer than the ``` the file printed, which cannot close it
    inside, outside = kim[opening:closing], kim[:opening] + kim[closing + 1 :]
    assert any("**100 / 100** — passed" in line for line in inside)  # shown as written, as code
    assert not any("<img" in line or "**100" in line for line in outside)
    lee = next(p for p in (out / "feedback").iterdir() if p.name not in ("kim.md", "park.md")).read_text(
        encoding="utf-8"
    )
    assert lee.startswith("# &lt;b&gt;lee\n")
