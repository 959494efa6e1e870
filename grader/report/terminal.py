"""Drawing a Report in a terminal with rich. The Report itself knows nothing of terminals.

Everything that came from a submission (messages quoting its values, its printed output, its
traceback) is shown as plain text, never as rich markup, with control characters removed, so a
submission cannot colour, move or clear the learner's terminal.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from grader.exercise import Exercise
from grader.report import Report
from grader.report.labels import LABEL, STATUS, VERDICT
from grader.report.live_log import LiveLog as LiveLog  # the CLI's live training log, with the renderers
from grader.text import Lang, Text, clean

OUTPUT_LINES = 20
SHOWN_IMPORT_S = 0.1  # the file's top-level code time is worth a word from here on
OUTPUT_LINE_CHARS = 160  # a screenful: a long line (a printed array) would wrap over dozens of rows


def _points(value: float) -> str:
    return f"{value:g}"


def render_report(
    report: Report, console: Console, *, lang: Lang, show_output: bool = False, reveal: bool = False
) -> None:
    ok = report.passed
    head = RichText()
    head.append(f"{report.exercise} · {report.slug}", style="bold")
    head.append(f" — {report.title(lang)}")
    meta = RichText(
        f"{LABEL['submission'](lang)}: {clean(report.submission)} (sha256 {report.submission_sha256[:12]})  "
        f"{LABEL['runner'](lang)}: {report.runner}  {LABEL['seed'](lang)}: {report.seed}",
        style="dim",
    )
    console.print(head)
    console.print(meta)

    if report.checks:
        table = Table(show_lines=False, expand=False)
        table.add_column(LABEL["check"](lang), no_wrap=True)
        table.add_column(LABEL["points"](lang), justify="right", no_wrap=True)
        table.add_column(LABEL["result"](lang), no_wrap=True)
        table.add_column(LABEL["details"](lang), overflow="fold")
        for result in report.checks:
            label, style = STATUS[result.status]
            details = RichText(
                clean(result.message(lang)) or result.title(lang), style="" if result.message(lang) else "dim"
            )
            if reveal and result.revealed:
                details.append(f"\n{LABEL['revealed'](lang)}:\n", style="bold magenta")
                details.append(clean(result.revealed), style="magenta")
            table.add_row(
                result.name,
                f"{_points(result.points)}/{_points(result.max_points)}",
                RichText(label(lang), style=style),
                details,
            )
        console.print(table)

    if report.verdict not in ("passed", "failed"):
        console.print(
            Panel(RichText(clean(report.message(lang))), title=VERDICT[report.verdict](lang), border_style="red")
        )

    if report.output.strip() and (show_output or report.verdict not in ("passed", "failed")):
        lines = [
            line if len(line) <= OUTPUT_LINE_CHARS else line[: OUTPUT_LINE_CHARS - 1] + "…"
            for line in clean(report.output).rstrip().splitlines()[-OUTPUT_LINES:]
        ]
        console.print(
            Panel(
                RichText("\n".join(lines)),
                title=LABEL["output"](lang).format(n=len(lines)),
                border_style="dim",
            )
        )

    if report.model is not None and report.model.epochs:
        m = report.model
        line = LABEL["training"](lang).format(
            epochs=m.epochs, epoch_word="epoch" if m.epochs == 1 else "epochs", seconds=m.training_s or 0.0
        )
        console.print(line, style="dim")
    if report.model is not None:
        for finding in report.model.findings:
            line = RichText("◆ ", style="cyan")
            line.append(finding.title(lang), style="bold cyan")
            line.append(f" — {finding.evidence(lang)}\n  {LABEL['try'](lang)}: {finding.next_step(lang)}")
            line.append(f"\n  {finding.concept(lang)}", style="dim")
            console.print(line)
    for note in report.notes:
        console.print(RichText("• " + clean(note(lang)), style="yellow"))

    summary = RichText()
    summary.append(f"{LABEL['score'](lang)} {_points(report.score)} / {_points(report.max_score)}  ", style="bold")
    summary.append(VERDICT[report.verdict](lang), style="bold green" if ok else "bold red")
    if report.verdict in ("passed", "failed"):
        summary.append(f"  {clean(report.message(lang))}")
    console.print(summary)
    if "total_s" in report.timings:  # only the phases that ran: a saved model has no sandbox
        phases = [
            LABEL[k](lang).format(report.timings[k])
            for k in ("sandbox_s", "import_submission_s", "evaluate_s")
            if k in report.timings and (k != "import_submission_s" or report.timings[k] >= SHOWN_IMPORT_S)
        ]
        line = LABEL["time"](lang).format(total=report.timings["total_s"])
        console.print(line + (f" ({', '.join(phases)})" if phases else ""), style="dim")


def render_exercise_list(exercises: tuple[Exercise, ...], console: Console, *, lang: Lang) -> None:
    table = Table(title=Text("Exercises", "문제 목록")(lang))
    for column in (Text("id", "번호"), Text("slug", "별칭"), Text("kind", "종류"), Text("title", "제목")):
        table.add_column(column(lang))
    for ex in exercises:
        table.add_row(ex.id, ex.slug, ex.kind, ex.title(lang))
    console.print(table)


def console_for() -> Console:
    return Console(highlight=False, soft_wrap=False)


_FILE_STATE = {
    "official": (Text("official", "공식"), "green"),
    "substitute": (Text("substitute", "대체"), "yellow"),
    "missing": (Text("missing", "없음"), "red"),
}


def render_data_status(directory, states, console: Console, *, lang: Lang) -> None:
    table = Table(title=f"{Text('Data dir', '데이터 폴더')(lang)}: {directory}")
    for column in (Text("dataset", "데이터셋"), Text("file", "파일"), Text("state", "상태")):
        table.add_column(column(lang))
    for state in states:
        for path, file_state in state.files.items():
            label, style = _FILE_STATE[file_state]
            table.add_row(state.dataset.name, path, RichText(label(lang), style=style))
    console.print(table)
    if any(not s.complete for s in states):
        console.print(Text("Missing files: grade data fetch [NAMES]", "없는 파일: grade data fetch [이름]")(lang))


_FINDING_STYLE = {"ok": ("ok", "green"), "missing": ("missing", "bold red"), "note": ("note", "yellow")}
_FINDINGLABEL = {
    "ok": Text("ok", "정상"),
    "missing": Text("missing", "없음"),
    "note": Text("note", "참고"),
}


def render_diagnosis(diagnosis, console: Console, *, lang: Lang) -> None:
    """``grade doctor``: one row per finding, and the fixes for what is missing."""
    table = Table(title=Text("grade doctor", "grade doctor")(lang))
    table.add_column(Text("what", "항목")(lang))
    table.add_column(Text("state", "상태")(lang), no_wrap=True)
    # Folded, never cut: rich's default ends a wrapped Korean line with "…" and drops the rest.
    table.add_column(Text("details", "내용")(lang), overflow="fold")
    for finding in diagnosis.findings:
        _, style = _FINDING_STYLE[finding.status]
        table.add_row(
            finding.topic(lang),
            RichText(_FINDINGLABEL[finding.status](lang), style=style),
            RichText(clean(finding.detail(lang))),
        )
    console.print(table)
    # What stops something from working, apart from what only some exercises or setups need.
    for status, heading in (
        ("missing", Text("To fix:", "해결 방법:")),
        ("note", Text("Optional (only where you need it):", "선택 (필요할 때만):")),
    ):
        fixes = [f for f in diagnosis.findings if f.status == status and f.fix(lang)]
        if fixes:
            console.print(heading(lang))
            for finding in fixes:
                console.print(RichText(f"  {finding.topic(lang)}: {finding.fix(lang)}"))
    if not diagnosis.missing:
        console.print(Text("Nothing is missing.", "빠진 것이 없습니다.")(lang), style="green")


class BulkProgress:
    """``grade bulk``'s live bar: done/total, ETA, and a count per verdict."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[verdicts]}"),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("grading", total=None, verdicts="")

    def __enter__(self) -> BulkProgress:
        return self  # drawn from the first update on: a request refused before that shows no empty bar

    def __exit__(self, *exc) -> None:
        if self.progress.live.is_started:
            self.progress.stop()

    def update(self, entry, report, summary) -> None:
        if not self.progress.live.is_started:
            self.progress.start()
        verdicts = "  ".join(f"{v} {n}" for v, n in sorted(summary.verdicts.items()))
        self.progress.update(
            self.task, total=summary.total - summary.skipped, completed=summary.graded, verdicts=verdicts
        )


def render_bulk_summary(summary, written, console: Console, *, lang: Lang, shown_problems: int = 10) -> None:
    problems = len(summary.problems)
    console.print(
        Text(
            f"{summary.graded} graded, {summary.skipped} already graded (skipped), {problems} not gradable "
            f"— {summary.seconds:.1f} s",
            f"{summary.graded}개 채점, {summary.skipped}개는 이미 채점됨 (건너뜀), {problems}개 채점 불가 "
            f"— {summary.seconds:.1f}초",
        )(lang)
    )
    for verdict, count in sorted(summary.verdicts.items()):
        console.print(f"  {verdict}: {count}")
    for problem in summary.problems[:shown_problems]:
        console.print(RichText(clean(f"  ✗ {problem.student} · {Path(problem.path).name}: {problem.reason(lang)}")))
    if problems > shown_problems:
        console.print(
            Text(
                f"  … {problems - shown_problems} more in problems.csv",
                f"  … 나머지 {problems - shown_problems}개는 problems.csv에",
            )(lang)
        )
    for lost in summary.lost:
        console.print(RichText(clean(f"  ! {lost}"), style="red"))
    if summary.lost:
        console.print(
            Text(
                f"  {len(summary.lost)} not graded (the reasons above): run the same command again to grade them",
                f"  {len(summary.lost)}개를 채점하지 못했습니다 (이유는 위에): 같은 명령을 다시 실행하세요",
            )(lang)
        )
    for path in written:
        console.print(f"  → {path}")


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def render_exam_status(exam, time_left: float, console: Console, *, lang: Lang) -> None:
    """Time left, and each task's counted score so far."""
    if exam.finished:
        why = Text("time ran out", "시간 종료") if exam.finish_reason == "time-up" else Text("finished", "제출 완료")
        head = Text("Exam over", "시험 종료")(lang) + f" ({why(lang)})"
    else:
        head = Text("Time left", "남은 시간")(lang) + f": {clock_text(time_left)}"
    table = Table(title=f"{exam.template.title} — {head}")
    for column in (
        Text("task", "과제"),
        Text("exercise", "문제"),
        Text("points", "점수"),
        Text("0-5", "0-5"),
        Text("attempts", "제출"),
        Text("verdict", "판정"),
    ):
        table.add_column(column(lang))
    for task in exam.template.tasks:
        counted = exam.counted(task)
        attempts = sum(a.task == task.name for a in exam.attempts)
        late = Text(" (late)", " (지각)")(lang) if counted and counted.late else ""
        table.add_row(
            task.name,
            task.exercise,
            f"{counted.points:g}/{task.weight:g}" if counted else f"-/{task.weight:g}",
            str(task.steps(counted.points)) if counted else "-",
            str(attempts),
            (_verdict_word(counted.verdict, lang) + late) if counted else "",
        )
    console.print(table)
    total = exam.total()
    mark = exam.template.pass_mark * exam.template.total
    console.print(
        Text(
            f"Total {total:g} / {exam.template.total:g} (pass at {mark:g})",
            f"합계 {total:g} / {exam.template.total:g} (합격선 {mark:g})",
        )(lang)
    )


def _verdict_word(verdict: str, lang: Lang) -> str:
    """A task's verdict in the report's words (``not submitted`` too); an unknown one as it is."""
    if verdict == "not submitted":
        return Text("not submitted", "제출 안 함")(lang)
    word = VERDICT.get(verdict)
    if word is None:
        return verdict
    return word.en.lower() if lang == "en" else word.ko


def render_exam_next_steps(exam, folder: Path, console: Console, *, lang: Lang) -> None:
    """What a learner who just started an exam does next, as commands that work from here."""
    files = ", ".join(f"{t.name}.py" for t in exam.template.tasks)
    where = "" if folder.resolve() == Path.cwd().resolve() else f" --dir {folder}"
    steps = Text(
        f"Next: read {folder / 'TASKS.md'}, write your answers in {files} (in {folder}), then\n"
        f"  grade exam submit{where}            grade every task (or: grade exam submit task2{where})\n"
        f"  grade exam timer{where}             the time left, in another terminal\n"
        f"  grade exam finish{where}            hand in when you are done",
        f"다음: {folder / 'TASKS.md'}를 읽고 {folder}의 {files}에 답을 쓴 뒤\n"
        f"  grade exam submit{where}            모든 과제 채점 (또는: grade exam submit task2{where})\n"
        f"  grade exam timer{where}             다른 터미널에서 남은 시간 보기\n"
        f"  grade exam finish{where}            다 끝나면 제출 마감",
    )
    console.print(RichText(steps(lang)))


def render_exam_final(final: dict, folder: Path, console: Console, *, lang: Lang) -> None:
    """``grade exam finish``: each task on the certificate's 0-5 scale, the total and the verdict."""
    table = Table(title=clean(str(final["title"])))
    for column in (Text("task", "과제"), Text("exercise", "문제"), Text("points", "점수"), Text("0-5", "0-5"),
                   Text("verdict", "판정"), Text("attempts", "제출")):  # fmt: skip
        table.add_column(column(lang))
    for task in final["tasks"]:
        table.add_row(
            task["task"],
            task["exercise"],
            f"{task['points']:g}/{task['weight']:g}",
            str(task.get("of_5", "")),
            _verdict_word(task["verdict"], lang) + (Text(" (late)", " (지각)")(lang) if task["late"] else ""),
            str(task["attempts"]),
        )
    console.print(table)
    verdict = Text("PASSED", "합격") if final["passed"] else Text("NOT PASSED", "불합격")
    console.print(
        RichText(
            Text(
                f"{final['total']:g} / {final['max_total']:g} — {verdict.en} (to pass: {final['pass_mark']:.0%} "
                "of the points and at least one task passed)",
                f"{final['total']:g} / {final['max_total']:g} — {verdict.ko} (합격 조건: 점수 {final['pass_mark']:.0%} "
                "이상, 그리고 한 과제 이상 합격)",
            )(lang),
            style="bold green" if final["passed"] else "bold red",
        )
    )
    console.print(
        Text(
            f"written: {folder / 'final_report.json'}, {folder / 'final_report.md'}",
            f"저장됨: {folder / 'final_report.json'}, {folder / 'final_report.md'}",
        )(lang),
        style="dim",
    )


def run_timer(exam, clock, sleep, console: Console, *, lang: Lang, tick_s: float = 1.0, reload=None) -> None:
    """A live countdown for a terminal pane, with warnings at 60, 15 and 5 minutes left; it ends
    when time is up or when the exam was finished (``reload`` reads the exam again each tick)."""
    from rich.live import Live

    from grader.exam import warnings_due

    before = exam.time_left(clock)
    with Live(console=console, auto_refresh=False, transient=False) as live:
        while True:
            if reload is not None:
                try:
                    exam = reload()
                except Exception:  # a state being rewritten this instant: the last reading stands
                    pass
            if exam.finished and exam.finish_reason != "time-up":
                live.console.print(RichText(Text("The exam was finished.", "시험이 끝났습니다 (제출 완료).")(lang)))
                return
            left = exam.time_left(clock)
            for minutes in warnings_due(before, left):
                live.console.print(
                    RichText(Text(f"⚠ {minutes} minutes left", f"⚠ {minutes}분 남았습니다")(lang), style="bold yellow")
                )
            before = left
            style = "bold red" if left <= 5 * 60 else "bold yellow" if left <= 15 * 60 else "bold green"
            live.update(RichText(f"{exam.template.title}  {clock_text(left)}", style=style), refresh=True)
            if left <= 0:
                live.console.print(RichText(Text("Time is up.", "시간이 끝났습니다.")(lang), style="bold red"))
                return
            sleep(min(tick_s, left))
