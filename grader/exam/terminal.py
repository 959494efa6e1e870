"""An exam at a terminal: time left, each task's counted score, the live timer, the final table."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from grader.exam.session import missing_datasets
from grader.report.labels import VERDICT
from grader.text import Lang, Text, clean


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
    missing = missing_datasets(exam.template)
    if missing:
        names = " ".join(missing)
        console.print(
            RichText(
                Text(
                    f"These tasks need datasets this machine does not have yet: {names}. "
                    f"Fetch them now, while you read (grade data fetch {names}): a task cannot be graded without them.",
                    f"이 과제들에 필요한 데이터셋이 아직 이 컴퓨터에 없습니다: {names}. 문제를 읽는 동안 지금 받으세요 "
                    f"(grade data fetch {names}): 데이터셋이 없으면 과제를 채점할 수 없습니다.",
                )(lang),
                style="yellow",
            )
        )


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
