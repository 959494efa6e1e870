"""The exercise registry: lookup, validation at load, and harness totals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.check import checks_for
from grader.exercise import EXERCISES_DIR, ExerciseError, UnknownExercise, find_exercise, load_exercise, parse_signature


def test_lookup_by_id_and_slug_case_insensitively() -> None:
    assert find_exercise("exercise5").slug == "iris-windows"
    assert find_exercise("Iris-Windows").id == "exercise5"
    with pytest.raises(UnknownExercise, match="Did you mean exercise9 or exercise8\\? `grade list` lists them all"):
        find_exercise("exercise99")
    with pytest.raises(UnknownExercise, match="Did you mean iris-windows\\?") as unknown:
        find_exercise("iris")
    assert "혹시 iris-windows인가요?" in unknown.value.text.ko


def test_signature_parsing_keeps_defaults() -> None:
    name, sig = parse_signature("split_train_val_test(x, y, train=0.6, val=0.2, shuffle=False, seed=None)")
    assert name == "split_train_val_test"
    assert [p.default for p in sig.parameters.values()][2:] == [0.6, 0.2, False, None]


def _copy(tmp_path: Path, exercise: str = "exercise5") -> Path:
    target = tmp_path / exercise
    shutil.copytree(EXERCISES_DIR / exercise, target)
    return target


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (lambda t: t.replace('slug = "iris-windows"', ""), "missing key 'slug'"),
        (lambda t: t.replace('kind = "function"', 'kind = "essay"'), "kind 'essay'"),
        (lambda t: t.replace('slug = "iris-windows"', 'slug = "Iris Windows"'), "slug 'Iris Windows'"),
        (lambda t: t.replace("time_limit_s = 20", 'time_limit_s = "20"'), "'time_limit_s' must be"),
        (
            lambda t: t.replace('functions = ["split_x(seq, size)"]', 'functions = ["split_x(seq size)"]'),
            "bad signature",
        ),
    ],
)
def test_a_malformed_exercise_names_the_file_and_key(tmp_path, edit, complaint) -> None:
    folder = _copy(tmp_path)
    meta = folder / "exercise.toml"
    meta.write_text(edit(meta.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ExerciseError, match=complaint.replace("(", "\\(").replace(")", "\\)")):
        load_exercise(folder)


def test_a_missing_korean_statement_is_refused(tmp_path) -> None:
    folder = _copy(tmp_path)
    (folder / "statement.ko.md").unlink()
    with pytest.raises(ExerciseError, match=r"missing statement\.ko\.md"):
        load_exercise(folder)


@pytest.mark.parametrize("exercise", ["exercise1", "exercise2", "exercise3", "exercise5"])
def test_hidden_checks_add_up_to_the_exercise_points(exercise: str) -> None:
    ex = find_exercise(exercise)
    checks = checks_for(ex)
    assert sum(c.points for c in checks) == ex.points == 100
    assert all(c.title.en and c.title.ko for c in checks)


def test_every_exercise_file_ships_in_the_package() -> None:
    """A plain `pip install .` must carry statements and starters, not only a checkout."""
    import tomllib
    from fnmatch import fnmatch

    config = tomllib.loads((EXERCISES_DIR.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["exercises"]
    files = [p.relative_to(EXERCISES_DIR).as_posix() for p in EXERCISES_DIR.rglob("*") if p.is_file()]
    files = [f for f in files if "__pycache__" not in f]
    assert files and [f for f in files if not any(fnmatch(f, pat) for pat in patterns)] == []
