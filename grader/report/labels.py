"""The words a report is shown in, in both languages: one table for the terminal and the HTML page."""

from __future__ import annotations

from grader.text import Text

# Each check status: its word and the colour both renderers give it.
STATUS = {
    "passed": (Text("passed", "통과"), "green"),
    "failed": (Text("failed", "실패"), "red"),
    "error": (Text("error", "오류"), "red"),
    "not-run": (Text("not run", "실행 안 됨"), "yellow"),
}
VERDICT = {
    "passed": Text("PASSED", "합격"),
    "failed": Text("FAILED", "불합격"),
    "submission-error": Text("SUBMISSION ERROR", "제출 파일 오류"),
    "contract-error": Text("CONTRACT ERROR", "함수 계약 오류"),
    "timeout": Text("TIMEOUT", "시간 초과"),
    "memory-exceeded": Text("MEMORY EXCEEDED", "메모리 초과"),
    "crashed": Text("CRASHED", "비정상 종료"),
    "grader-error": Text("GRADER ERROR", "채점기 오류"),
}
LABEL = {
    "check": Text("Check", "검사"),
    "points": Text("Points", "점수"),
    "result": Text("Result", "결과"),
    "details": Text("Details", "설명"),
    "score": Text("Score", "점수"),
    "submission": Text("submission", "제출 파일"),
    "runner": Text("runner", "실행 환경"),
    "seed": Text("seed", "시드"),
    "try": Text("try", "해 볼 것"),
    "output": Text("Your program's output (last {n} lines)", "프로그램 출력 (마지막 {n}줄)"),
    "revealed": Text("revealed (instructor)", "공개 (강사용)"),
    "training": Text("trained {epochs} {epoch_word} in {seconds:.0f} s", "{epochs} 에포크 학습, {seconds:.0f}초"),
    "time": Text("graded in {total:.2f} s", "채점 시간 {total:.2f}초"),
    "sandbox_s": Text("sandbox {:.2f} s", "샌드박스 {:.2f}초"),
    "import_submission_s": Text("your file's top-level code {:.2f} s", "파일 최상위 코드 {:.2f}초"),
    "evaluate_s": Text("evaluation {:.2f} s", "평가 {:.2f}초"),
}
