"""The class figures against hand-computed values, the similarity rules on made-up classes, and the
class page fed hostile names and code (hypothesis): all through the real SQLite store."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grader
from grader.bulk import similarity
from grader.bulk.analysis import class_figures, pearson
from grader.bulk.classpage import write_class
from grader.bulk.classviews import ClassOptions
from grader.bulk.collect import Collected, Problem
from grader.bulk.export import write_csv
from grader.bulk.files import file_names
from grader.bulk.store import ResultStore
from grader.report import CheckResult, Finding, ModelSummary, Report
from grader.text import Text

T = Text("t", "t")


def report(student: str, points: dict[str, float], verdict: str = "failed", code: str = "", **extra) -> Report:
    checks = tuple(
        CheckResult(name, Text(name, name), got, 10.0, "passed" if got == 10 else "failed", slip=extra.get(name))
        for name, got in points.items()
    )
    return Report(
        "exercise5", "iris-windows", T, f"{student}.py", hashlib.sha256((student + code).encode()).hexdigest(),
        grader.__version__, "local", verdict, checks=checks, max_score=10.0 * len(points), model=extra.get("model"),
    )  # fmt: skip


def stored(tmp_path: Path, reports: dict[str, Report], codes: dict[str, str] | None = None, **add) -> Path:
    out = tmp_path / "out"
    with ResultStore(out) as store:
        for student, r in reports.items():
            store.add(student, f"{student}.py", r, 0.0, "test", code=(codes or {}).get(student), **add)
    return out


def test_pass_rate_and_discrimination_match_the_hand_computed_values(tmp_path) -> None:
    # check a: 10 10 0 0 against totals 20 20 10 0 → r = 0.9045; check b: 10 10 10 0 → r = 0.8704
    reports = {
        "s1": report("s1", {"a": 10, "b": 10}, "passed"),
        "s2": report("s2", {"a": 10, "b": 10}, "passed"),
        "s3": report("s3", {"a": 0, "b": 10}),
        "s4": report("s4", {"a": 0, "b": 0}),
    }
    with ResultStore(stored(tmp_path, reports)) as store:
        (figures,) = class_figures(store).exercises
    a, b = figures.items
    assert (a.students, a.passed, a.pass_rate) == (4, 2, 0.5)
    assert a.discrimination == pytest.approx(0.904534, abs=1e-6)
    assert (b.passed, b.pass_rate) == (3, 0.75) and b.discrimination == pytest.approx(0.870388, abs=1e-6)
    assert figures.mean == 12.5 and figures.median == 15.0
    assert figures.histogram == [1, 0, 0, 0, 0, 1, 0, 0, 0, 2]  # 0, 10 of 20, and two full marks


def test_a_check_nobody_passes_is_flagged_and_one_everybody_passes_has_no_discrimination(tmp_path) -> None:
    reports = {s: report(s, {"hard": 0, "easy": 10, "mid": 10 if i % 2 else 0}) for i, s in enumerate("pqrst")}
    with ResultStore(stored(tmp_path, reports)) as store:
        hard, easy, _ = class_figures(store).exercises[0].items
    assert hard.warning is not None and "nobody passed" in hard.warning.en and "아무도" in hard.warning.ko
    assert easy.discrimination is None and easy.warning is None


def test_the_stronger_students_failing_a_check_more_often_is_flagged(tmp_path) -> None:
    # "inverse" is passed by the three weakest only: totals 20 20 10 10 10 10, r = -100 / √(150 · 133.3)
    pattern = [(10, 10, 0), (10, 10, 0), (10, 0, 0), (0, 0, 10), (0, 0, 10), (0, 0, 10)]
    reports = {
        f"s{i}": report(f"s{i}", {"main": m, "second": s, "inverse": inv}) for i, (m, s, inv) in enumerate(pattern)
    }
    with ResultStore(stored(tmp_path, reports)) as store:
        *_, inverse = class_figures(store).exercises[0].items
    assert inverse.discrimination == pytest.approx(-0.707107, abs=1e-6) and "stronger students" in inverse.warning.en


def test_pearson_is_none_where_either_side_does_not_vary() -> None:
    assert pearson([1, 1, 1], [1, 2, 3]) is None and pearson([1], [2]) is None
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)


def test_slips_and_findings_are_counted_once_per_student(tmp_path) -> None:
    finding = Finding("input-scale", Text("raw pixels", "원본 픽셀"), T, T, Text("scale inputs", "입력 스케일"))
    model = ModelSummary("accuracy", 0.5, 0.9, findings=(finding,))
    reports = {
        "a": report("a", {"x": 0, "y": 0}, x="off-by-one", y="off-by-one", model=model),
        "b": report("b", {"x": 0, "y": 10}, x="off-by-one"),
        "c": report("c", {"x": 0, "y": 10}, x="axes-swapped", model=model),
    }
    with ResultStore(stored(tmp_path, reports)) as store:
        recurring = class_figures(store).exercises[0].recurring
    assert [(r.kind, r.name, r.students) for r in recurring] == [
        ("finding", "input-scale", ("a", "c")),
        ("slip", "off-by-one", ("a", "b")),
        ("slip", "axes-swapped", ("c",)),
    ]


def test_the_leaderboard_puts_the_best_metric_first_and_leaves_out_a_model_with_none(tmp_path) -> None:
    def model(value):
        return ModelSummary("accuracy", value, 0.98, training_s=30.0)

    runs = (("a", 0.97), ("b", 0.99), ("c", None), ("d", float("nan")))
    reports = {s: report(s, {"m": 0}, model=model(v)) for s, v in runs}
    with ResultStore(stored(tmp_path, reports)) as store:
        figures = class_figures(store).exercises[0]
    assert [(s.student, s.met) for s in figures.leaderboard] == [("b", True), ("a", False)]


def test_the_gradebook_says_not_gradable_and_which_names_a_score_was_graded_under(tmp_path) -> None:
    out = stored(tmp_path, {"kim": report("kim", {"a": 10}, "passed")}, aliases="split_x=make_windows")
    with ResultStore(out) as store:
        store.record_collection(
            Collected(
                problems=[
                    Problem("lee", "exercise5", "lee_exercise5.py", T),
                    Problem("cy", "exercise5", "cy_exercise5.py", T),  # not on the roster: still in the class
                    Problem("notes", "?", "notes.txt", T),  # names no exercise: nobody's row
                ],
                roster=["kim", "lee", "oh"],
            )
        )
        write_csv(store, out / "gradebook.csv")
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        book = {r["student"]: r for r in csv.DictReader(fh)}
    assert book["kim"]["exercise5 graded as"] == "split_x=make_windows"
    assert book["lee"]["exercise5 verdict"] == "not gradable" and book["oh"]["exercise5 verdict"] == "not handed in"
    assert book["cy"]["exercise5 verdict"] == "not gradable" and list(book) == ["kim", "lee", "oh", "cy"]


def test_file_names_never_overwrite_one_student_with_another() -> None:
    names = file_names(["kim/a", "kim_a", "Kim", "kim", "../x", "박지민"])
    assert len(set(names.values())) == 6 and len({n.casefold() for n in names.values()}) == 6
    # a student who names their file as the hashed name a classmate's clash would get takes nobody's place
    taker = "a_b-" + hashlib.sha256(b"a?b").hexdigest()[:8]
    assert len(set(file_names(["a b", "a?b", taker]).values())) == 3
    assert names["박지민"] == "박지민" and not any("/" in n or n.startswith(".") for n in names.values())


LONG = """import numpy as np


def check_size(seq, size):
    if size < 1:
        raise ValueError("too small")
    if size > len(seq):
        raise ValueError("too large")


def one_window(seq, start, size):
    window = seq[start:start + size]
    return window


def split_x(seq, size):
    check_size(seq, size)
    windows = []
    for start in range(len(seq) - size + 1):
        windows.append(one_window(seq, start, size))
    return np.array(windows)


if __name__ == "__main__":
    data = np.arange(40).reshape(10, 4)
    print(split_x(data, 3).shape)
    print(split_x(data, 3)[0])
"""
SHORT = ["def split_x(s, n):\n    return np.array([s[i:i + n] for i in range(len(s) - n + 1)])\n"]


def flagged(codes: dict[str, str], boilerplate=()) -> list[tuple[str, str]]:
    pairs = similarity.compare_class("exercise5", codes, similarity.boilerplate_hashes(boilerplate))
    return [(p.a, p.b) for p in pairs if p.flagged]


def test_a_taught_file_the_whole_class_was_given_makes_no_two_files_alike() -> None:
    own = "\n\ndef extra(v):\n    total = 0\n    for x in v:\n        total += x * 2\n    return total\n"
    codes = {"a": LONG + own, "b": LONG.replace("windows", "ws") + "\n\ndef other():\n    return [1, 2, 3]\n"}
    assert flagged(codes) == [("a", "b")]
    assert flagged(codes, boilerplate=[LONG]) == []


OWN = [  # what eight students wrote beside the taught idiom, each their own way
    "def show(v):\n    for row in v:\n        print(row.sum(), row.max())\n",
    "class Stats:\n    def __init__(self, d):\n        self.mean = d.mean()\n        self.std = d.std()\n",
    "while True:\n    answer = 42\n    if answer:\n        break\n",
    "result = {k: k ** 2 for k in range(10) if k % 3}\n",
    "try:\n    import pandas as pd\nexcept ImportError:\n    pd = None\n",
    "total = sum(x * y for x, y in zip([1, 2, 3], [4, 5, 6]))\nassert total == 32\n",
    "def twice(f):\n    return lambda a: f(f(a))\n\nprint(twice(lambda q: q + 1)(0))\n",
    "names = sorted(['b', 'a', 'c'], key=len, reverse=True)\nprint(', '.join(names))\n",
]


def test_code_much_of_a_class_shares_is_left_out_as_moss_does() -> None:
    taught = {f"s{i}": LONG.replace("windows", f"w{i}") + "\n\n" + own for i, own in enumerate(OWN)}
    assert flagged(taught) == []  # everyone wrote the idiom: it says nothing about any two


def test_a_ring_of_copies_is_not_taken_for_the_class_s_common_code() -> None:
    ring = {f"copier{i}": LONG.replace("seq", f"s{i}") for i in range(8)}  # 8 renamed copies of one file
    honest = {f"h{i}": SHORT[0] + own for i, own in enumerate(OWN + OWN[:1])}  # 9 others, each their own
    found = flagged(ring | honest)
    assert set(found) == {(a, b) for a in sorted(ring) for b in sorted(ring) if a < b}


def test_the_same_two_files_score_the_same_in_every_process() -> None:
    # Python salts str hashes per process, and copydetect hashes k-grams with hash(): what is
    # compared must not depend on which hashes a window happened to keep.
    script = (
        "from grader.bulk import similarity as s; import sys, json; c = json.loads(sys.stdin.read()); "
        "print([(p.share_a, p.share_b, p.matched) for p in s.compare_class('e', c, s.boilerplate_hashes([]))])"
    )
    codes = json.dumps({"a": LONG, "b": LONG.replace("seq", "data") + SHORT[0]})
    said = {
        subprocess.run(
            [sys.executable, "-c", script], input=codes, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }  # fmt: skip
    assert len(said) == 1 and "(" in said.pop()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(st.text(min_size=1, max_size=30), min_size=2, max_size=5, unique=True),
    code=st.text(max_size=400),
)
def test_the_class_page_escapes_whatever_names_and_code_a_class_folder_holds(tmp_path_factory, names, code) -> None:
    tmp = tmp_path_factory.mktemp("hostile")
    hostile = "<script>alert(1)</script>\x1b[31m=cmd|' /C calc'!A0\n" + code
    reports = {n: report(n, {"a": 10 * (i % 2)}) for i, n in enumerate(names)}
    out = stored(tmp, reports, codes={n: similarity.sanitised(LONG + hostile) for n in names})
    write_class(out, ClassOptions(), "en")
    page = (out / "class.html").read_text(encoding="utf-8")
    assert page.count("<script>") == 1 and "\x1b" not in page  # only the page's own sorting script
    assert len(re.findall(r"<section ", page)) == 1
    with open(out / "similarity.csv", newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_a_saved_model_holds_no_code_and_is_not_counted_as_not_compared(tmp_path) -> None:
    from grader.bulk.analysis import class_figures as figures_of
    from grader.bulk.classviews import similar_pairs

    reports = {s: report(s, {"a": 10}) for s in ("kim", "lee", "park")}
    reports["kim"] = replace(reports["kim"], submission="kim_exercise10.keras")
    with ResultStore(stored(tmp_path, reports)) as store:  # no code kept for any of them
        _, not_compared = similar_pairs(store, figures_of(store), ClassOptions())
    assert not_compared == {"exercise5": 2}  # lee's and park's .py, graded before the store kept code


def test_a_name_that_reverses_itself_to_pose_as_a_classmate_loses_its_bidirectional_control() -> None:
    from grader.bulk.entries import student_id

    assert student_id("\u202eeel") == "eel" and student_id("kim\u2066\u2069") == "kim"
    assert similarity.sanitised("x = 1  # \u202e evil") == "x = 1  #  evil"
