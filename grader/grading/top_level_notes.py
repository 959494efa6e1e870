"""What a report says about a file's top-level code: how it kept a run from its calls, that its
definitions were graded without it, and what a function then missed.

A function exercise grades functions. A learner's file is a script (it trains, plots, reads its own
data at import), and when that script raises, or keeps the run from its end, the definitions are
graded again alone (`grader.grading.functions.grade_function`): these are the words for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.grading.endings import threads_hint
from grader.runner import Limits, SandboxRun
from grader.text import Text, with_particle

if TYPE_CHECKING:
    from grader.grading import GradeRequest
    from grader.runner.calls import ChildRecords

_LINE = re.compile(r'File "[^"\n]*", line (\d+)')


def top_level_raised(error: dict[str, Any]) -> Text | None:
    """What the file's top level raised, in one line, where a run without it can go on: None for
    an error that is in the definitions too (the file does not parse, a module is missing)."""
    kind = str(error.get("type", ""))
    if kind in ("SyntaxError", "IndentationError", "TabError"):
        return None
    message = " ".join(str(error.get("message", "")).split())[:200]
    lines = _LINE.findall(str(error.get("traceback", "")))
    at = f" at line {lines[-1]}" if lines else ""
    at_ko = f" {lines[-1]}번째 줄에서" if lines else ""
    said = f"{kind}: {message}" if message else kind
    if kind == "SystemExit":
        said = f"sys.exit({error.get('exit_code')!r})"
        return Text(f"called {said}{at}", f"{at_ko} {said}을 호출했습니다".lstrip())
    text = Text(f"raised {said}{at}", f"{at_ko} {said} 오류를 냈습니다".lstrip())
    from grader.grading.keras_idioms import find_idiom

    idiom = find_idiom(error)
    if idiom is not None:  # a 2020 file's top-level training, written for Keras 2
        text = text + Text(" — Keras 2 code: ", " — Keras 2 코드: ") + idiom.said()
    elif "FileNotFoundError" in error.get("mro", ()):
        text = text + Text(
            " (the sandbox has your file only, not your data files)",
            " (샌드박스에는 제출한 파일만 있고 데이터 파일은 없습니다)",
        )
    elif error.get("missing_module"):
        text = text + Text(
            " (the grading environment does not provide that module)", " (채점 환경에는 그 모듈이 없습니다)"
        )
    elif kind == "EOFError":
        text = text + Text(" (input(): nobody types while grading)", " (input(): 채점 중에는 입력할 사람이 없습니다)")
    return text


def stopped_by_limit(run: SandboxRun, limits: Limits, at_import: bool) -> Text:
    """How a run that ended before its end did so. Whether it ended while importing the file or
    during the calls, a file with top-level work is graded again without it: how long that work
    took must not decide the score (a slower top level would leave slow functions less time)."""
    if run.timed_out:
        how = Text(
            f"did not finish within the time limit of {limits.timeout_s:g} s",
            f"제한 시간 {limits.timeout_s:g}초 안에 끝나지 않았습니다",
        )
    elif run.oom_killed:
        how = Text(
            f"ran out of memory (the {limits.memory_mb} MB limit)", f"메모리 한도 {limits.memory_mb} MB를 넘었습니다"
        )
    elif run.disk_exceeded or run.signal == "SIGXFSZ":
        how = Text(f"wrote more than {limits.max_output_mb} MB", f"{limits.max_output_mb} MB 넘게 썼습니다")
    else:
        how = Text("crashed", "비정상 종료되었습니다") + threads_hint(run, limits)
    if at_import:
        return how
    return Text("ran, and the run with it then ", "실행된 뒤 그 실행이 ") + how


def rebinding(text: str, names: tuple[str, ...]) -> Text | None:
    """Where the file's top level sets a required function's name to something else
    (``split_x = split_x(data, 5)``), the name a finished run found broken: None elsewhere."""
    from grader.grading.top_level import skipped_bindings

    found = skipped_bindings(text, set(names))
    if not found:
        return None
    name, line = min(found.items(), key=lambda item: item[1])
    return Text(
        f"sets {name} again at line {line}, so it was no longer your function when graded",
        f"{line}번째 줄에서 {with_particle(name, '을/를')} 다시 정해서, 채점할 때는 함수가 아니었습니다",
    )


def top_level_note(stop: Text, dropped: list[tuple[int, int]], notebook: bool) -> Text:
    """The one line a report gives a file whose definitions were graded without its top level."""
    from grader.grading.top_level import describe_ranges

    lines = describe_ranges(dropped)
    fix = (
        Text("grade it with --no-top-level to go straight there", "--no-top-level로 채점하면 바로 그렇게 합니다")
        if notebook
        else Text(
            'put that code under `if __name__ == "__main__":` to go straight there',
            '그 코드를 `if __name__ == "__main__":` 아래로 옮기면 바로 그렇게 합니다',
        )
    )
    return (
        Text("your file's top-level code ", "파일의 최상위 코드가 ")
        + stop
        + Text("; so your functions were graded without it (", ". 그래서 함수를 최상위 코드 없이 채점했고 (")
        + lines
        + Text(
            " left out, as --no-top-level does), and the score is your functions' alone: ",
            " 제외, --no-top-level과 같음) 점수는 함수만의 점수입니다: ",
        )
        + fix
    )


_NAME_ERROR = re.compile(r"name '([A-Za-z_][A-Za-z0-9_]{0,79})' is not defined")


def left_out_names(output: ChildRecords, submission: Path, automatic: bool) -> tuple[Text, ...]:
    """A NameError for a name the file sets in top-level work that was left out (``--no-top-level``,
    or ``automatic``: because that work kept the run from its end): say which line, and what to
    do. Only names the file itself binds there are named, so nothing a hidden call raised is
    shown but the learner's own identifiers."""
    from grader.grading.top_level import skipped_bindings

    wanted = set()
    for returned in output.returned.values():
        error = returned.error
        if error is not None and error.is_a("NameError") and (match := _NAME_ERROR.fullmatch(error.message)):
            wanted.add(match.group(1))
    if not wanted:
        return ()
    if submission.suffix == ".ipynb":  # its cells as one script, numbered as the other note numbers them
        from grader.grading.notebook import NotebookError, notebook_to_script

        try:
            original = notebook_to_script(submission)[0]
        except NotebookError:
            return ()
    else:
        try:
            original = submission.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            return ()
    found = skipped_bindings(original, wanted)
    why = (
        Text("top-level work that did not finish here", "여기서 끝나지 않은 최상위 코드라")
        if automatic
        else Text("top-level work that --no-top-level leaves out", "--no-top-level이 빼는 최상위 코드라")
    )
    fix = (
        Text("", "")
        if automatic
        else Text(", or grade without --no-top-level", ", 또는 --no-top-level 없이 채점하세요")
    )
    return tuple(
        Text(
            f"{name} is set at line {line}, ", f"{with_particle(name, '은/는')} {line}번째 줄에서 정해지는데, 이 줄은 "
        )
        + why
        + Text(
            ", so your function cannot see it (NameError): your function needs that global; compute it inside "
            "the function or from its arguments",
            " 함수에서 보이지 않습니다 (NameError): 함수가 이 전역 변수를 씁니다; 함수 안에서나 인자로 계산하세요",
        )
        + fix
        for name, line in sorted(found.items(), key=lambda item: item[1])
    )


def slow_top_level(request: GradeRequest, text: str, seconds: float) -> tuple[Text, ...]:
    """A note for a file whose top-level work took most of its grading, with advice that works
    where it is given; none where there is nothing to move (only definitions ran, or the file's
    top level is only imports and definitions: the time is its libraries' own start-up)."""
    from grader.grading.top_level import has_top_level_work

    if not request.top_level or not has_top_level_work(text):
        return ()
    spent = f"{seconds:.1f}"
    said = Text(
        f"your file's top-level code took {spent} s of this grading, and runs at every one: ",
        f"파일의 최상위 코드가 이번 채점에서 {spent}초를 썼고 채점할 때마다 실행됩니다: ",
    )
    if request.submission.suffix == ".ipynb":  # a notebook has no __main__ guard to put cells under
        return (
            said
            + Text(
                "grade it with --no-top-level, which runs only its cells' imports and definitions",
                "--no-top-level로 채점하세요: 셀의 import와 정의만 실행합니다",
            ),
        )
    return (
        said
        + Text(
            'put training, plots and prints under `if __name__ == "__main__":` (or grade with --no-top-level)',
            '학습, 그래프, 출력은 `if __name__ == "__main__":` 아래로 옮기세요 (또는 --no-top-level로 채점)',
        ),
    )
