"""Every refusal a user can meet says it in both languages (issue 24, item 7): a walk of the
message catalogue (each `Refusal` raised in the code is built from a `Text`), and the CLI saying
the common ones in Korean, with an unknown exercise pointing at the closest one."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
import grader
from grader.text import Refusal
from tests.conftest import ROOT
from tests.grading.test_corpus import assert_particles_follow_the_word_before


def refusal_classes() -> dict[str, type]:
    for module in pkgutil.walk_packages(grader.__path__, "grader."):
        if not module.name.startswith("grader.sandbox."):  # the child side raises no refusal
            importlib.import_module(module.name)
    found, todo = {}, [Refusal]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found[sub.__name__] = sub
            todo.append(sub)
    return found


def test_every_refusal_is_built_from_a_message_in_both_languages() -> None:
    classes = refusal_classes()
    assert {"UsageError", "ExamError", "DataMissing", "RunnerUnavailable", "TokenError", "CollectError"} <= set(classes)
    # A class with its own __init__ builds the Text itself (from a name, a detail): checked by its tests.
    plain = {name for name, cls in classes.items() if "__init__" not in cls.__dict__}
    bare = []
    for path in [*sorted((ROOT / "grader").rglob("*.py")), ROOT / "cli.py", ROOT / "cli_exam.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in plain:
                continue
            first = node.args[0]
            english_only = (
                isinstance(first, (ast.Constant, ast.JoinedStr))
                or (isinstance(first, ast.Call) and getattr(first.func, "id", "") == "str")
                or (isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "same")
            )
            if english_only:
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert bare == [], bare


@pytest.mark.parametrize(
    ("args", "korean"),
    [
        (["iris", "x.py"], "'iris'라는 문제는 없습니다. 혹시 iris-windows인가요?"),
        (["mnst", "x.py"], "혹시 mnist인가요?"),
        (["exercise5", "nope.py"], "파일이 없습니다: nope.py"),
        (["exercise10", "x.py", "--no-top-level"], "--no-top-level은 함수를 채점할 때 씁니다"),
        (["exercise5", "x.py", "--function", "split_q=f"], "exercise5에서 채점하는 함수는 split_x이며"),
        (["exam", "submit", "--dir", "nowhere"], "nowhere에 시험이 없습니다"),
        (["exam", "start", "--template", "nope", "--dir", "e"], "시험 템플릿 'nope'가 없습니다"),
        (["export", "."], "결과 저장소(results.sqlite)가 없습니다"),
        (["exercise5", "x.py", "--sed", "3"], "그런 옵션이 없습니다: --sed 혹시 '--save', '--seed'인가요?"),
        (["exercise5"], "인자 SUBMISSION이 빠졌습니다."),
    ],
)
def test_a_refusal_is_said_in_the_chosen_language(tmp_path, monkeypatch, args, korean) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.py").write_text("def split_x(seq, size):\n    return seq\n", encoding="utf-8")
    ran = CliRunner().invoke(cli.main, [*args, "--lang", "ko"])
    assert ran.exit_code == 2, ran.output
    assert ran.output.startswith("오류: ") and korean in ran.output, ran.output
    assert "Error" not in ran.output and "Traceback" not in ran.output
    assert_particles_follow_the_word_before(ran.output)
    english = CliRunner().invoke(cli.main, [*args, "--lang", "en"])
    assert english.exit_code == 2 and "Error: " in english.output and "오류" not in english.output


def test_a_refusal_crosses_processes_whole() -> None:
    import pickle

    from grader.exercise import UnknownExercise, find_exercise
    from grader.grading import UsageError
    from grader.text import Text

    again = pickle.loads(pickle.dumps(UsageError(Text("no such file: x", "파일이 없습니다: x"))))
    assert isinstance(again, UsageError) and again.text.ko == "파일이 없습니다: x" and str(again) == "no such file: x"
    with pytest.raises(UnknownExercise) as unknown:
        find_exercise("iris")
    copied = pickle.loads(pickle.dumps(unknown.value))
    assert copied.name == "iris" and "iris-windows" in copied.text.en
