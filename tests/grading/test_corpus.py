"""Flawed and hostile submissions, each with its exact verdict and the exact checks it loses.

Every check not listed under ``lost`` must pass, so a harness change that makes a check
stricter or looser shows up here. Two seeds per file: verdicts must not depend on the draw.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

import pytest

from grader import api
from tests.conftest import SUBMISSIONS

ALL5 = ("iris-146x5x4", "iris-other-size", "trailing-shapes", "one-d-input", "edge-sizes", "invalid-size")
ALL2 = (
    "statement-example",
    "split-x-random",
    "split-x-edges",
    "split-xy",
    "invalid-size",
    "invalid-size-xy",
    "input-unchanged",
    "input-unchanged-xy",
)


@dataclass(frozen=True)
class Case:
    file: str
    exercise: str
    verdict: str
    lost: dict[str, str] = field(default_factory=dict)  # check name -> its status
    says: str = ""  # a phrase the learner must read (in the report's message or a lost check's)
    says_ko: str = ""  # the same in the Korean report
    timeout_s: float | None = None
    note: str = ""  # a phrase one of the report's notes must say


def lost(status: str, *names: str) -> dict[str, str]:
    return dict.fromkeys(names, status)


CASES = [
    Case(
        "ex5_off_by_one.py",
        "exercise5",
        "failed",
        lost("failed", "iris-146x5x4", "iris-other-size", "trailing-shapes", "one-d-input", "edge-sizes"),
        says="got (145, 5, 4) — one row too few",
    ),
    Case(
        "ex5_transposed.py",
        "exercise5",
        "failed",
        lost("failed", "iris-146x5x4", "iris-other-size", "trailing-shapes", "edge-sizes"),
        says="got (146, 4, 5) — the axes are in a different order",
    ),
    Case("ex5_hard_coded.py", "exercise5", "failed", lost("failed", *ALL5), says="values differ"),
    Case(
        "ex5_huge_allocation.py",  # 50 GB at top level: the function is graded without it
        "exercise5",
        "failed",
        lost("failed", "invalid-size"),
        note="your file's top-level code raised MemoryError",
    ),
    Case(
        "ex5_syntax_error.py",
        "exercise5",
        "submission-error",
        lost("not-run", *ALL5),
        says='File "ex5_syntax_error.py", line 4',
    ),
    Case(
        "ex5_missing_module.py",  # imported, never used: cut with the top level, and split_x is graded
        "exercise5",
        "failed",
        lost("failed", "invalid-size"),
        note="raised ModuleNotFoundError: No module named 'tensorflow_addons' at line 2 (the grading environment "
        "does not provide that module)",
    ),
    Case(
        "ex5_reads_input.py",
        "exercise5",
        "failed",
        lost("failed", "invalid-size"),
        note="raised EOFError: EOF when reading a line at line 3 (input(): nobody types while grading)",
    ),
    Case(
        "ex5_imports_reference.py",
        "exercise5",
        "submission-error",
        lost("not-run", *ALL5),
        says="imports 'grader.check', which the grading environment does not provide",
    ),
    Case(
        "ex5_segfault.py",
        "exercise5",
        "crashed",
        lost("not-run", *ALL5),
        says="ended abruptly (signal SIGSEGV) during check 'iris-146x5x4'",
    ),
    Case("ex5_script_with_plots.py", "exercise5", "passed"),
    Case("ex5_exit_zero.py", "exercise5", "passed"),
    Case(
        "ex2_list_not_array.py",
        "exercise2",
        "failed",
        lost("failed", "statement-example", "split-x-random", "split-x-edges", "split-xy"),
        says="expected a numpy.ndarray, got list (as an array it would have shape (6, 5)",
    ),
    Case(
        "ex2_infinite_loop.py",
        "exercise2",
        "timeout",
        lost("not-run", *ALL2),
        says="The time limit of 2 s ran out during check 'statement-example'",
        timeout_s=2,
    ),
    Case(
        "ex2_missing_function.py",
        "exercise2",
        "contract-error",
        lost("not-run", "split-xy", "invalid-size-xy", "input-unchanged-xy"),  # split_x keeps its own
        says="split_xy is not defined in your file (expected: def split_xy(seq, size))",
    ),
    Case(
        "ex2_no_validation.py",
        "exercise2",
        "failed",
        lost("failed", "invalid-size", "invalid-size-xy"),
        says="Your function gives the right answers: only its input validation is missing",
        says_ko="함수의 답은 맞습니다: 입력 검증만 빠졌습니다",
    ),
    Case(
        "ex1_rounds.py",
        "exercise1",
        "failed",
        lost("failed", "default-split", "custom-fractions", "shuffle-covers-rows"),
        says="it looks rounded; sizes use floor",
    ),
    Case(
        "ex1_always_shuffles.py",
        "exercise1",
        "failed",
        lost("failed", "default-split", "custom-fractions", "small-1d"),
        says="values differ",
    ),
    Case(
        "ex1_unpaired_shuffle.py",
        "exercise1",
        "failed",
        lost("failed", "shuffle-keeps-pairs"),
        says="rows of x no longer line up with their y",
    ),
    Case(
        "ex1_mutates_inputs.py",
        "exercise1",
        "failed",
        lost("failed", "inputs-unchanged"),
        says="argument 1 was modified in place",
    ),
    Case(
        "ex1_wrong_signature.py",
        "exercise1",
        "contract-error",
        lost("error", "shuffle-covers-rows", "shuffle-keeps-pairs", "seed-reproducible", "inputs-unchanged"),
        says="has the wrong signature (got an unexpected keyword argument 'seed')",
    ),
    Case(
        "ex3_fit_on_all.py",
        "exercise3",
        "failed",
        lost("failed", "minmax", "standard", "default-kind", "constant-column", "integer-input"),
        says="statistics from all the data",
    ),
    Case(
        "ex3_fit_each.py",
        "exercise3",
        "failed",
        lost("failed", "minmax", "standard", "default-kind", "constant-column", "integer-input"),
        says="each set was scaled with its own statistics",
    ),
    Case("ex3_nan_constant.py", "exercise3", "failed", lost("failed", "constant-column"), says="values are NaN or inf"),
    Case("ex3_in_place.py", "exercise3", "failed", lost("failed", "inputs-unchanged"), says="modified in place"),
    Case("ex5_closes_stdout.py", "exercise5", "passed"),  # fds 1 and 2 closed at import: the calls still run
    Case(  # its training loop runs out the time: the definitions are graded without it
        "ex5_notebook_one_liners.py",
        "exercise5",
        "passed",
        note="did not finish within the time limit of 3 s; so your functions were graded without it "
        "(lines 2-4, 16-19 left out",
        timeout_s=3,
    ),
    Case(
        "ex5_trains_forever_at_import.py",
        "exercise5",
        "passed",
        note="your file's top-level code did not finish within the time limit of 3 s; so your functions were "
        "graded without it (lines 3, 18-26 left out",
        timeout_s=3,
    ),
    Case(
        "ex5_extra_axis.py",
        "exercise5",
        "failed",
        lost("failed", *ALL5[:-1]),
        says="every window sits in an extra axis of length 1: aaa.append([subset]) wraps it in a list",
        says_ko="길이 1인 축이 하나 더 있습니다",
    ),
    Case(
        "ex5_return_in_loop.py",
        "exercise5",
        "failed",
        lost("failed", *ALL5[:-1]),
        says="only the first window came back: is `return` inside the for loop?",
        says_ko="첫 윈도우 하나만 돌아왔습니다",
    ),
    Case(
        "ex5_reads_global.py",
        "exercise5",
        "failed",
        lost("failed", *ALL5[:-1]),
        says="does the function read a global (dataset, say) instead of its argument seq?",
        says_ko="함수가 인자 seq 대신 전역 변수(dataset 등)를 읽고 있나요?",
    ),
    Case(
        "ex5_windows_features.py",
        "exercise5",
        "failed",
        lost("failed", "iris-146x5x4", "iris-other-size", "trailing-shapes", "edge-sizes"),
        says="the windows were taken along axis 1 (the features), not along axis 0 (the rows)",
        says_ko="윈도우를 1번 축(특성)을 따라 잘랐습니다",
    ),
    Case(
        "ex2_split_xy_counts_x.py",
        "exercise2",
        "failed",
        lost("failed", "split-xy"),
        says="here size counts the whole window, so x is its first size - 1 values and y its last",
        says_ko="이 문제에서 size는 윈도우 전체 길이이므로",
    ),
    Case(
        "ex5_slices_to_size.py",
        "exercise5",
        "failed",
        lost("failed", *ALL5),
        says="expected shape (146, 5, 4), got (146, 0, 4)",
        says_ko="기대한 shape (146, 5, 4), 실제 (146, 0, 4)",
    ),
    Case(
        "ex5_window_always_5.py",
        "exercise5",
        "failed",
        lost("failed", "iris-other-size", "trailing-shapes", "one-d-input", "edge-sizes"),
        says="split_x(seq[",
    ),
    Case(
        "ex5_last_years_name.py",
        "exercise5",
        "contract-error",
        lost("not-run", *ALL5),
        says="Your file defines: split_data(seq, size). split_data looks like your split_x under another name. To "
        "grade it under the exercise's names: grade exercise5 ex5_last_years_name.py --function split_x=split_data",
        says_ko="split_data는 이름만 다른 split_x로 보입니다. 문제의 이름으로 채점하려면",
    ),
    Case(
        "ex5_def_under_main_guard.py",
        "exercise5",
        "contract-error",
        lost("not-run", *ALL5),
        says='split_x is defined under `if __name__ == "__main__":`, which does not run when the grader imports',
        says_ko="아래에 정의되어 있어 채점기가 파일을 import할 때 실행되지 않습니다",
    ),
    Case(
        "ex5_only_comments.py",
        "exercise5",
        "contract-error",
        lost("not-run", *ALL5),
        says="Your file is empty (no code, only comments or nothing)",
        says_ko="파일이 비어 있습니다",
    ),
    Case(
        "ex1_flattens_when_shuffling.py",
        "exercise1",
        "failed",
        lost("failed", "shuffle-covers-rows", "shuffle-keeps-pairs"),
        says="expected part sizes",
    ),
    Case(
        "ex3_returns_strings.py",
        "exercise3",
        "failed",
        lost("failed", "minmax", "standard", "default-kind", "constant-column", "integer-input"),
        says="expected numbers, got an array of <U",
        says_ko="숫자 배열이어야 하는데",
    ),
    Case(
        "ex5_object_windows.py",
        "exercise5",
        "failed",
        lost("failed", *ALL5[:-1]),
        says="got an array of Python objects",
        says_ko="파이썬 객체 배열",
    ),
    Case(
        "ex5_raises_a_lone_surrogate.py",
        "exercise5",
        "failed",
        lost("error", *ALL5[:-1]),
        says="raised ValueError at line 7, in split_x; its message is held back",
        says_ko="7번째 줄(split_x)에서 ValueError 발생",
    ),
    Case(
        "ex5_raises_its_input.py",
        "exercise5",
        "failed",
        {**lost("error", *ALL5[:-1]), "invalid-size": "failed"},
        says="as it could show the hidden input (instructors: --reveal)",
        says_ko="숨겨진 입력이 드러날 수 있어 메시지는 보여 주지 않습니다",
    ),
    Case(
        "ex5_returns_its_input.py",
        "exercise5",
        "failed",
        lost("failed", *ALL5),
        says="(values held back: they come from hidden inputs; instructors: --reveal)",
        says_ko="(숨겨진 입력에서 나온 값이라 보여 주지 않습니다; 강사: --reveal)",
    ),
    Case(
        "ex5_returns_huge.py",
        "exercise5",
        "failed",
        lost("error", *ALL5[:-1]),
        says="returned a value too large to send back (305 MB, over the 256 MB limit)",
        says_ko="반환값이 너무 커서 돌려받을 수 없습니다",
    ),
    Case(
        "ex5_replaces_its_record.py",
        "exercise5",
        "crashed",
        lost("not-run", *ALL5),
        says="The sandbox's record of the run could not be read (events.jsonl: cannot open",
        says_ko="샌드박스의 실행 기록을 읽을 수 없습니다",
    ),
]


def assert_report_says(case: Case, report) -> None:
    """The case's phrases are in the report (its message or a lost check's), in English and in
    Korean; every message exists in Korean, with its particles right."""
    lost = [c for c in report.checks if c.status != "passed"]
    if case.says:
        assert case.says in report.message.en + "\n" + "\n".join(c.message.en for c in lost)
    assert all(c.message.ko for c in lost) and report.message.ko
    korean = report.message.ko + "\n" + "\n".join(c.message.ko for c in lost)
    if case.says_ko:
        assert case.says_ko in korean
    if case.note:
        assert any(case.note in n.en for n in report.notes), report.notes
    assert_particles_follow_the_word_before(korean)


@pytest.mark.parametrize("seed", [1234, 98765])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_flawed_submission_gets_its_exact_verdict(case: Case, seed: int) -> None:
    report = api.grade(case.exercise, SUBMISSIONS / case.file, seed=seed, timeout_s=case.timeout_s)

    assert report.verdict == case.verdict, report.message.en
    statuses = {c.name: c.status for c in report.checks}
    assert {n: s for n, s in statuses.items() if s != "passed"} == case.lost
    assert report.score == sum(c.max_points for c in report.checks if c.name not in case.lost)
    assert_report_says(case, report)


_PARTICLES = {"이": "이/가", "가": "이/가", "을": "을/를", "를": "을/를", "은": "은/는", "는": "은/는"}
_PARTICLES.update({"으로": "으로/로", "로": "으로/로"})
# After a number the right form is certain (its Korean reading); after an English word it is
# a matter of pronunciation (input을, list를), so the scan keeps to numbers.
_AFTER_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(으로|이|가|을|를|은|는|로)(?=[\s,.:;)]|$)")


def assert_particles_follow_the_word_before(korean: str) -> None:
    """A particle right after a number takes the form the number's last sound calls for."""
    from grader.text import with_particle

    for word, particle in _AFTER_NUMBER.findall(korean):
        assert with_particle(word, _PARTICLES[particle]) == word + particle, f"{word}{particle} in: {korean}"


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_a_file_gets_the_same_score_on_every_seed(case: Case) -> None:
    # Every check mixes fixed cases with random ones: a file that is right only for some inputs
    # (a window size of 5 hard-coded, say) loses the same checks whatever the draw. A file that
    # times out does so at a one-second limit here: the seed cannot change where it stops.
    timeout_s = min(case.timeout_s or 1.0, 1.0) if case.verdict == "timeout" else case.timeout_s
    scores = {
        seed: api.grade(case.exercise, SUBMISSIONS / case.file, seed=seed, timeout_s=timeout_s).score
        for seed in range(20)
    }
    assert len(set(scores.values())) == 1, scores


def test_last_years_function_name_grades_in_full_under_an_alias() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_last_years_name.py", seed=3, aliases={"split_x": "split_data"})
    assert report.verdict == "passed" and report.score == 100
    with pytest.raises(api.UsageError, match="exercise5 asks for split_x, not split_y"):
        api.grade("exercise5", SUBMISSIONS / "ex5_last_years_name.py", aliases={"split_y": "split_data"})


def test_the_alias_option_on_the_command_line() -> None:
    from click.testing import CliRunner

    import cli

    file = str(SUBMISSIONS / "ex5_last_years_name.py")
    graded = CliRunner().invoke(cli.main, ["exercise5", file, "--function", "split_x=split_data", "--lang", "ko"])
    assert graded.exit_code == 0 and "100 / 100" in graded.output
    refused = CliRunner().invoke(cli.main, ["exercise5", file, "--function", "split_x"])
    assert refused.exit_code == 2 and "write NAME=YOURS" in refused.output
    told = CliRunner().invoke(cli.main, ["exercise5", file, "--json"])
    assert told.exit_code == 1
    assert "split_data는 이름만 다른 split_x로 보입니다" in json.loads(told.output)["message"]["ko"]


def test_a_file_that_trains_past_the_time_limit_at_import_is_graded_on_its_functions_alone() -> None:
    file = SUBMISSIONS / "ex5_trains_forever_at_import.py"
    report = api.grade("exercise5", file, seed=2, timeout_s=3, top_level=False)
    assert report.verdict == "passed" and report.score == 100, report.message.en
    assert any("the statements on lines 3, 18-26 did not run" in n.en for n in report.notes), report.notes
    assert "epoch" not in report.output
    with pytest.raises(api.UsageError, match="--no-top-level grades functions"):
        api.grade("exercise6", file, top_level=False)


def test_a_notebook_line_holding_an_import_and_a_print_keeps_its_import_under_no_top_level() -> None:
    # Colab's .py export keeps a cell's one-liners: `import numpy as np; print("넘파이 준비 완료")`.
    # Blanking whole lines once dropped the import with the print, and the correct split_x
    # failed on NameError: np.
    file = SUBMISSIONS / "ex5_notebook_one_liners.py"
    report = api.grade("exercise5", file, seed=3, timeout_s=3, top_level=False)
    assert report.verdict == "passed" and report.score == 100, report.message.en
    assert "넘파이 준비 완료" not in report.output and "(146, 5, 4)" not in report.output
    assert any("the statements on lines 2-4, 16-19 did not run" in n.en for n in report.notes), report.notes
    assert any("2-4, 16-19번째 줄의 문장은 실행하지 않았습니다" in n.ko for n in report.notes)


def test_slow_top_level_code_is_timed_and_named_with_its_fix() -> None:
    report = api.grade("exercise5", SUBMISSIONS / "ex5_plots_at_top_level.py", seed=4)
    assert report.passed, report.message.en + report.output[-1500:]  # seaborn is in the grading environment
    assert report.timings["import_submission_s"] >= 2.5
    assert any("your file's top-level code took" in n.en and "__main__" in n.en for n in report.notes)
    assert any("파일의 최상위 코드가 이번 채점에서" in n.ko for n in report.notes)


def test_a_cp949_file_under_no_top_level_is_graded_as_without_it(tmp_path) -> None:
    # Windows editors in Korean save CP949. The functions-only mode once failed with exit 3
    # (UnicodeEncodeError) on such a file; it now grades it as the plain mode does.
    homework = tmp_path / "숙제.py"
    homework.write_bytes("# 윈도우 나누기\ndef split_x(seq, size):\n    return seq\n".encode("cp949"))
    plain = api.grade("exercise5", homework, seed=1)
    functions_only = api.grade("exercise5", homework, seed=1, top_level=False)
    assert functions_only.verdict == plain.verdict == "failed", functions_only.message.en
    assert functions_only.score == plain.score
    assert any("not saved as UTF-8" in n.en and "UTF-8로 저장하세요" in n.ko for n in plain.notes)


def test_what_a_function_prints_on_hidden_inputs_is_shown_to_instructors_only() -> None:
    file = SUBMISSIONS / "ex5_prints_inside.py"
    learner = api.grade("exercise5", file, seed=5)
    assert learner.passed and "시작" in learner.output
    assert "입력:" not in learner.output  # the hidden inputs, printed by the learner's own code
    assert any("printed 11 lines while it ran on the hidden inputs" in n.en for n in learner.notes)  # 14 calls, 3 raise
    instructor = api.grade("exercise5", file, seed=5, reveal=True)
    assert "--- printed during the hidden calls ---\n입력: [[" in instructor.output


def test_what_a_function_writes_past_sys_stdout_on_hidden_inputs_is_not_shown_either() -> None:
    # print(..., file=sys.__stdout__), a notebook habit, and os.write(2, ...) go around the
    # redirected sys.stdout: they once reached the learner's output, hidden inputs and all.
    file = SUBMISSIONS / "ex5_prints_past_stdout.py"
    learner = api.grade("exercise5", file, seed=5)
    assert learner.passed and "시작" in learner.output  # printed at import: the learner's own
    assert "입력" not in learner.output and "모양" not in learner.output, learner.output
    assert any("printed 22 lines while it ran on the hidden inputs" in n.en for n in learner.notes)  # 11 calls × 2
    instructor = api.grade("exercise5", file, seed=5, reveal=True)
    assert "--- printed during the hidden calls ---\n입력: (150, 4)" in instructor.output
    assert "모양(os.write): (150, 4)" in instructor.output


def test_the_output_panel_keeps_to_a_screenful() -> None:
    import io

    from rich.console import Console

    from grader.report.terminal import render_report

    report = api.grade("exercise5", SUBMISSIONS / "ex5_prints_inside.py", seed=5)
    screen = io.StringIO()
    render_report(report, Console(file=screen, width=100), lang="en", show_output=True)
    shown = screen.getvalue()
    assert "=…" in shown and shown.count("=") < 200  # the 400-character line, cut at 160
    assert len(shown.splitlines()) < 40


def test_every_corpus_file_is_in_the_table() -> None:
    listed = {c.file for c in CASES} | {
        "ex5_leaves_process.py",
        "ex5_leaves_thread.py",
        "ex5_probe_environment.py",
        "ex5_prints_inside.py",
        "ex5_prints_past_stdout.py",
        "ex5_plots_at_top_level.py",
    }
    assert {p.name for p in SUBMISSIONS.glob("*.py")} == listed


@pytest.mark.parametrize(("above_by", "verdict"), [(0.0, "passed"), (0.5, "failed")])
def test_an_exercise_may_pass_below_full_marks_at_its_pass_score(monkeypatch, above_by, verdict) -> None:
    """exercise2 with a pass_score of what a file that only lacks input validation earns: that
    file passes (exit 0) with its points as they are; half a point more and it fails."""
    import grader.grading
    from grader.exercise import find_exercise

    submission = SUBMISSIONS / "ex2_no_validation.py"
    full = api.grade("exercise2", submission, seed=1)
    assert full.verdict == "failed" and 0 < full.score < full.max_score
    lowered = replace(find_exercise("exercise2"), pass_score=full.score + above_by)
    monkeypatch.setattr(grader.grading, "find_exercise", lambda name: lowered)
    report = api.grade("exercise2", submission, seed=1)
    assert (report.verdict, report.score, report.pass_score) == (verdict, full.score, full.score + above_by)
    assert (report.exit_code == 0) == (verdict == "passed")
    assert "only its input validation is missing" in report.message("en")
