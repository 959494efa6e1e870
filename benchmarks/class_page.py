"""The class page at scale (issue 26): a results store of S students × 5 exercises (the four
function exercises and the regression model), then ``grade class``'s work timed in parts —
the figures, similarity, the CSVs, a report page per file and the class page. The bare run
beside it: copydetect's own all-pairs comparison of one exercise's files, which is what the
candidate step saves. Target: 300 × 5 in under 30 s on 2 cores. Prints figures, asserts nothing.

    python benchmarks/class_page.py [--students 300]

The store holds synthetic reports (each exercise's real checks, random outcomes and slips) and
synthetic code: each student's file is one of a few honest solutions (so each is written by ~100
students, as a taught idiom is) with the student's own names, comments, main block and 0–3
helpers of their own, and one student in 20 hands in a classmate's file with the names changed,
the functions moved and a comment of their own. The pairs flagged should be those copies (and
not the students who wrote the same idiom): the script prints both counts.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import grader
from grader.bulk import similarity
from grader.bulk.classviews import ClassOptions, build, write_checks_csv, write_reports, write_similarity_csv
from grader.bulk.store import ResultStore
from grader.check import checks_for
from grader.check.slips import SLIPS
from grader.exercise import find_exercise
from grader.report import CheckResult, ModelSummary, Report

BODIES = {
    "exercise1": [
        "    n = len({x})\n    idx = np.arange(n)\n    if shuffle:\n        idx = np.random.default_rng(seed)"
        ".permutation(n)\n    a = int(n * train)\n    b = a + int(n * val)\n    return ({x}[idx[:a]], {x}[idx[a:b]], "
        "{x}[idx[b:]], {y}[idx[:a]], {y}[idx[a:b]], {y}[idx[b:]])\n",
        "    {t} = int(len({x}) * train)\n    {v} = int(len({x}) * val)\n    order = list(range(len({x})))\n"
        "    if shuffle:\n        rng = np.random.default_rng(seed)\n        rng.shuffle(order)\n"
        "    order = np.array(order)\n    parts = []\n    for start, stop in ((0, {t}), ({t}, {t} + {v}), ({t} + {v}, "
        "len({x}))):\n        parts.append(order[start:stop])\n"
        "    return tuple([{x}[p] for p in parts] + [{y}[p] for p in parts])\n",
    ],
    "exercise2": [
        "    {out} = []\n    for {i} in range(len({x}) - {n} + 1):\n        {out}.append({x}[{i}:{i} + {n}])\n"
        "    return np.array({out})\n",
        "    if {n} < 1 or {n} > len({x}):\n        raise ValueError('size')\n    return np.stack([{x}[{i}:{i} + {n}] "
        "for {i} in range(len({x}) - {n} + 1)])\n",
        "    {out} = np.lib.stride_tricks.sliding_window_view({x}, {n}, axis=0)\n    return np.moveaxis({out}, -1, 1)"
        ".copy()\n",
    ],
    "exercise3": [
        "    if kind == 'minmax':\n        lo = {x}.min(axis=0)\n        span = {x}.max(axis=0) - lo\n    else:\n"
        "        lo = {x}.mean(axis=0)\n        span = {x}.std(axis=0)\n    span = np.where(span == 0, 1, span)\n"
        "    return [({x} - lo) / span, ({y} - lo) / span, ({out} - lo) / span]\n",
        "    from sklearn.preprocessing import MinMaxScaler, StandardScaler\n    {t} = MinMaxScaler() if kind == "
        "'minmax' else StandardScaler()\n    {t}.fit({x})\n    return [{t}.transform(p) for p in ({x}, {y}, {out})]\n",
    ],
}
BODIES["exercise5"] = BODIES["exercise2"]
SIGNATURES = {
    "exercise1": "split_train_val_test({x}, {y}, train=0.6, val=0.2, shuffle=False, seed=None)",
    "exercise2": "split_x({x}, {n})",
    "exercise3": "scale({x}, {y}, {out}, kind='minmax')",
    "exercise5": "split_x({x}, {n})",
}
NAMES = ["data", "seq", "arr", "values", "xs", "d", "series", "inp", "a", "s", "src", "mat"]
COMMENTS = ["# 윈도우 만들기", "# split the data", "# TODO: check", "# 과제 제출용", "# 검증", "# helper", ""]


STATEMENTS = [
    "{a} = {b} * {k} + {c}",
    "{a} = np.mean({b}, axis={axis})",
    "if {a} > {k}:\n        {b} = {a} - {k}",
    "for {i} in range({k}):\n        {a} = {a} + {i} * {c}",
    "{a} = [{b} ** {i} for {i} in range({k})]",
    "print('{word}', {a})",
    "{a} = np.reshape({b}, (-1, {k}))",
    "while {a} < {k}:\n        {a} += {c}",
    "{a} = {{'{word}': {b}, 'n': {k}}}",
    "{a} = sorted({b}, reverse={flag})",
    "assert {a} is not None, '{word}'",
    "{a}, {b} = {b}, {a}",
]
WORDS = ["확인", "check", "windows", "결과", "debug", "shape", "done", "값", "test", "ok"]


def own_function(rng: random.Random) -> str:
    """A helper of the student's own: statements, names and numbers nobody else chose alike."""
    names = rng.sample(NAMES, 3)
    body = []
    for _ in range(rng.randint(3, 8)):
        body.append("    " + rng.choice(STATEMENTS).format(
            a=names[0], b=names[1], c=names[2], i=rng.choice("ijk"), k=rng.randint(2, 99), axis=rng.randint(0, 1),
            word=rng.choice(WORDS), flag=rng.choice([True, False])))  # fmt: skip
    return (
        f"def {rng.choice(['show', 'check', 'helper', 'debug', 'test'])}_{rng.randint(0, 999)}({names[1]}, "
        f"{names[2]}=1):\n    {names[0]} = 0\n" + "\n".join(body) + f"\n    return {names[0]}\n"
    )


def honest_code(rng: random.Random, exercise: str) -> str:
    names = rng.sample(NAMES, 4)
    fill = {"x": names[0], "y": names[1], "out": names[2], "n": rng.choice(["size", "n", "k", "win"]),
            "i": rng.choice(["i", "j", "idx", "start"]), "t": names[3], "v": names[3] + "2"}  # fmt: skip
    lines = ["import numpy as np", rng.choice(["", "import pandas as pd", "import matplotlib.pyplot as plt"]), ""]
    main = rng.choice(BODIES[exercise]).format(**fill)
    functions = [f"def {SIGNATURES[exercise].format(**fill)}:\n    {rng.choice(COMMENTS)}\n{main}"]
    functions += [own_function(rng) for _ in range(rng.randint(0, 3))]
    rng.shuffle(functions)
    lines += [f"{f}\n" for f in functions]
    lines += ['if __name__ == "__main__":', f"    {names[0]} = np.arange({rng.randint(20, 200)}).reshape(-1, 2)"]
    lines += [f"    print({names[0]}[{rng.randint(0, 9)}])  {rng.choice(COMMENTS)}" for _ in range(rng.randint(1, 6))]
    return "\n".join(lines) + "\n"


def copied(rng: random.Random, code: str) -> str:
    """A classmate's file with the names changed, the functions moved and a comment of one's own."""
    for old in NAMES:
        code = code.replace(f"{old}[", f"my_{old}[").replace(f"({old}", f"(my_{old}")
    blocks = code.split("\n\n\n")
    rng.shuffle(blocks)
    return "# 내가 직접 작성\n" + "\n\n\n".join(blocks)


def report(rng: random.Random, exercise: str, student: str, code: str) -> Report:
    checks = []
    for chk in checks_for(find_exercise(exercise)) if exercise != "exercise4" else ():
        passed = rng.random() < 0.7
        slip = None if passed or rng.random() < 0.6 else rng.choice(sorted(SLIPS))
        checks.append(CheckResult(chk.name, chk.title, chk.points if passed else 0.0, chk.points,
                                  "passed" if passed else "failed", slip=slip))  # fmt: skip
    model = None
    if exercise == "exercise4":
        value = rng.uniform(0.3, 0.9)
        model = ModelSummary("r2", value, 0.8, training_s=rng.uniform(5, 60), epochs=rng.randint(5, 100))
        checks.append(CheckResult("target", find_exercise(exercise).title, 100.0 if value >= 0.8 else 0.0, 100.0,
                                  "passed" if value >= 0.8 else "failed"))  # fmt: skip
    verdict = "passed" if all(c.status == "passed" for c in checks) else "failed"
    sha = hashlib.sha256(code.encode()).hexdigest()
    return Report(exercise, exercise, find_exercise(exercise).title, f"{student}_{exercise}.py", sha,
                  grader.__version__, "local", verdict, checks=tuple(checks), model=model)  # fmt: skip


def fill_store(out: Path, students: int, seed: int = 26) -> set[tuple[str, str, str]]:
    """The store; returns the copies planted, as (exercise, student, student) in name order."""
    rng = random.Random(seed)
    planted = set()
    exercises = ["exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
    with ResultStore(out) as store:
        for exercise in exercises:
            codes: dict[str, str] = {}
            for s in range(students):
                student = f"student{s:03d}"
                base = "exercise2" if exercise == "exercise4" else exercise  # a model file: code of its own size
                if codes and rng.random() < 0.05:
                    source = rng.choice(sorted(codes))
                    code = copied(rng, codes[source])
                    planted.add((exercise, *sorted((source, student))))
                else:
                    code = honest_code(rng, base)
                codes[student] = code
                store.add(student, f"{student}_{exercise}.py", report(rng, exercise, student, code), 0.0, "bench",
                          code=code)  # fmt: skip
    return planted


def timed(label: str, work, figures: dict):
    started = time.perf_counter()
    result = work()
    figures[label] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=300)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, copydetect {version('copydetect')}, scipy {version('scipy')}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        planted = fill_store(out, args.students)
        figures: dict[str, float] = {}
        started = time.perf_counter()
        from grader.bulk.classpage import render_class_page

        with ResultStore(out) as store:
            views = timed("figures + similarity", lambda: build(store, ClassOptions()), figures)
            codes = {r.student: store.code(r.sha256) for r in views.figures.exercises[0].results}
        timed("checks.csv + similarity.csv", lambda: (write_checks_csv(views, out / "checks.csv"),
              write_similarity_csv(views, out / "similarity.csv")), figures)  # fmt: skip
        timed("report pages", lambda: write_reports(views, out, "en"), figures)
        page = timed("class.html", lambda: render_class_page(views, "en"), figures)
        total = time.perf_counter() - started
        flagged = {(p.exercise, p.a, p.b) for p in views.pairs if p.flagged}
        print(f"class: {args.students} students × 5 exercises; {len(views.pairs)} pairs compared in detail; "
              f"page {len(page) / 1e6:.1f} MB")  # fmt: skip
        print(f"copies planted {len(planted)}: flagged {len(flagged & planted)} (the rest share under "
              f"{similarity.MIN_MATCHED} characters beyond the common idiom); other pairs flagged "
              f"{len(flagged - planted)}")  # fmt: skip
        for label, seconds in figures.items():
            print(f"  {label:30s} {seconds:6.2f} s")
        print(f"  {'total (grade class)':30s} {total:6.2f} s   target < 30 s")
        bare = time.perf_counter()
        from copydetect import compare_files

        prints = {s: similarity._fingerprint(s, c, None) for s, c in codes.items()}
        names = sorted(prints)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                compare_files(prints[a], prints[b])
        print(f"bare copydetect all pairs, one exercise ({len(names)} files): {time.perf_counter() - bare:.2f} s")


if __name__ == "__main__":
    main()
