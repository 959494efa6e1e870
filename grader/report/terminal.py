"""Drawing a Report in a terminal with rich. The Report itself knows nothing of terminals.

Everything that came from a submission (messages quoting its values, its printed output, its
traceback) is shown as plain text, never as rich markup, with control characters removed, so a
submission cannot colour, move or clear the learner's terminal.
"""

from __future__ import annotations

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
