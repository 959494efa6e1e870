"""How a sandboxed run ended, in a learner's words: shared by function and model exercises."""

from __future__ import annotations

import re
from typing import Any, Protocol

from grader.report import CheckResult, Report, Verdict
from grader.runner import Limits, SandboxRun
from grader.runner.watchdog import MAX_ENTRIES
from grader.text import Text


class ReportMaker(Protocol):
    """How a pipeline hands back its `Report`: the verdict and what it found (``output``,
    ``timings``, ``notes``, ``model``); the maker adds the submission's identity (exercise, name,
    sha256, runner, seed) and the notes said before the pipeline ran."""

    def __call__(
        self, verdict: Verdict, message: Text, checks: tuple[CheckResult, ...] = (), **found: Any
    ) -> Report: ...


def import_failure(error: dict[str, Any], limits: Limits) -> tuple[Verdict, Text]:
    trace = str(error.get("traceback", ""))
    kind = str(error.get("type", ""))
    if "MemoryError" in error.get("mro", ()):
        return "memory-exceeded", memory_text(limits, trace)
    if error.get("missing_module"):
        name = error["missing_module"]
        return "submission-error", Text(
            f"Your file imports '{name}', which the grading environment does not provide.\n{trace}",
            f"파일이 '{name}' 모듈을 import하지만 채점 환경에는 없습니다.\n{trace}",
        )
    if kind == "EOFError" and "input(" in trace:
        return "submission-error", Text(
            f"Your file calls input() while being imported; nobody types while grading. "
            f'Remove it or move it under `if __name__ == "__main__":`.\n{trace}',
            f"파일이 import될 때 input()을 호출합니다; 채점 중에는 입력할 사람이 없습니다. "
            f'지우거나 `if __name__ == "__main__":` 아래로 옮기세요.\n{trace}',
        )
    if kind == "SyntaxError" and "codec can't decode" in trace:
        return "submission-error", Text(
            "Your file is not saved as UTF-8 (Windows editors in Korean often save CP949/EUC-KR). "
            f"Save it as UTF-8 and grade it again.\n{trace}",
            "파일이 UTF-8로 저장되어 있지 않습니다 (한국어 Windows 편집기는 CP949/EUC-KR로 저장하곤 합니다). "
            f"UTF-8로 저장한 뒤 다시 채점하세요.\n{trace}",
        )
    if "FileNotFoundError" in error.get("mro", ()) and kind != "DatasetNotProvided":
        return "submission-error", Text(
            "Your file reads a file the sandbox does not have: it holds your file and the exercise's dataset "
            f"(loaded as the statement shows), not the files on your computer.\n{trace}",
            "파일이 샌드박스에 없는 파일을 읽습니다: 샌드박스에는 제출한 파일과 문제의 데이터셋(문제에 나온 "
            f"방법으로 불러오는)만 있고, 내 컴퓨터의 파일은 없습니다.\n{trace}",
        )
    if kind == "NoNetwork":  # grader.sandbox.offline_urls: a download of a file the exercise does not provide
        return "submission-error", Text(
            "Your file downloads something the sandbox does not have: there is no network while grading. "
            "The exercise's own files are served to the download lines the statement shows (any URL ending in "
            f"their names); fetch nothing else.\n{trace}",
            "파일이 샌드박스에 없는 것을 내려받습니다: 채점 중에는 네트워크가 없습니다. 문제의 파일은 문제에 나온 "
            f"다운로드 코드(그 파일 이름으로 끝나는 URL)로 받을 수 있으니, 그 밖의 것은 받지 마세요.\n{trace}",
        )
    if kind == "SystemExit":
        return "submission-error", Text(
            f"Your file called sys.exit({error.get('exit_code')!r}) while being imported.\n{trace}",
            f"파일이 import되는 중에 sys.exit({error.get('exit_code')!r})을 호출했습니다.\n{trace}",
        )
    return "submission-error", Text(
        f"Your file could not be imported:\n{trace}",
        f"파일을 import할 수 없습니다:\n{trace}",
    )


def unreadable_record(why: str) -> tuple[Verdict, Text]:
    """The child's record of the run (its status or journal) is not what the child writes."""
    return "crashed", Text(
        f"The sandbox's record of the run could not be read ({why}). Did your code change or replace "
        "files in its output folder? Leave them to the grader.",
        f"샌드박스의 실행 기록을 읽을 수 없습니다 ({why}). 코드가 출력 폴더의 파일을 바꾸거나 "
        "교체했나요? 그 파일들은 채점기에 맡기세요.",
    )


def memory_text(limits: Limits, detail: str) -> Text:
    return Text(
        f"The memory limit of {limits.memory_mb} MB was exceeded.\n{detail}".rstrip(),
        f"메모리 한도 {limits.memory_mb} MB를 초과했습니다.\n{detail}".rstrip(),
    )


TOP_LEVEL_HINT = Text(
    ": your file's top-level code ran the whole time (training a model at import, say). Put it under "
    '`if __name__ == "__main__":`, which does not run when the grader imports the file, or grade the '
    "functions alone with --no-top-level.",
    ": 파일의 최상위 코드가 시간을 다 썼습니다 (import할 때 모델을 학습하는 등). 그 코드를 "
    '`if __name__ == "__main__":` 아래로 옮기면 채점기가 import할 때 실행되지 않습니다. 또는 '
    "--no-top-level로 함수만 채점하세요.",
)


# How a thread that could not start reads in a run's output: TensorFlow's abort, Python's error.
THREADS_FAILED = re.compile(
    r"pthread_create\(\) failed|can't start new thread|[Tt]hread.{0,80}Resource temporarily unavailable"
)


def threads_hint(run: SandboxRun, limits: Limits) -> Text:
    """Why a run crashed, where its output says a thread could not be started: the sandbox's own
    process limit, which threads count against (TensorFlow starts many)."""
    if not THREADS_FAILED.search(run.output[-20_000:]):
        return Text("", "")
    return Text(
        f" (it started more threads and processes than the sandbox allows, {limits.max_processes}; "
        "TensorFlow starts many)",
        f" (샌드박스가 허용하는 스레드·프로세스 수 {limits.max_processes}개를 넘었습니다; "
        "TensorFlow는 스레드를 많이 만듭니다)",
    )


def ended_early(run: SandboxRun, limits: Limits, where: Text, at_import: bool = False) -> tuple[Verdict, Text]:
    """The verdict and message for a run that stopped before its end; ``at_import``: while the
    submission's top-level code ran."""
    if run.oom_killed:
        held = run.memory_limit or Text(f"{limits.memory_mb} MB", f"{limits.memory_mb} MB")
        return "memory-exceeded", Text("The memory limit (", "메모리 한도(") + held + Text(
            ") was exceeded", ")를 초과했습니다"
        ) + where + Text(
            ": the sandbox was stopped. Look for a very large array, or a batch size too big for this limit.",
            ": 샌드박스가 중지되었습니다. 아주 큰 배열이나 한도에 비해 너무 큰 배치 크기를 찾아보세요.",
        )
    if run.disk_exceeded:
        return "crashed", Text(
            f"Your code wrote more than {limits.max_output_mb} MB of files (or more than {MAX_ENTRIES:,} files "
            "and folders)",
            f"코드가 파일을 {limits.max_output_mb} MB 넘게 썼습니다 "
            f"(또는 파일과 폴더를 {MAX_ENTRIES:,}개 넘게 만들었습니다)",
        ) + where + Text(
            ": the sandbox was stopped. Save only the model, not checkpoints of every epoch.",
            ": 샌드박스가 중지되었습니다. 에포크마다 체크포인트를 저장하지 말고 모델만 저장하세요.",
        )
    if run.timed_out:
        hint = (
            TOP_LEVEL_HINT
            if at_import
            else Text(": look for a loop that never ends.", ": 끝나지 않는 반복문이 있는지 확인하세요.")
        )
        return "timeout", Text(
            f"The time limit of {limits.timeout_s:g} s ran out", f"제한 시간 {limits.timeout_s:g}초를 넘겼습니다"
        ) + where + hint
    if run.signal == "SIGXFSZ":
        return "crashed", Text(
            f"Your code wrote more than {limits.max_file_mb} MB (printed output or files)",
            f"출력이나 파일로 {limits.max_file_mb} MB 넘게 썼습니다",
        ) + where
    how = f"signal {run.signal}" if run.signal else f"exit code {run.exit_code}"
    return "crashed", Text(
        f"The process running your code ended abruptly ({how})",
        f"코드를 실행하던 프로세스가 갑자기 종료되었습니다 ({how})",
    ) + where + threads_hint(run, limits)
