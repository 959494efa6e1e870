"""``grade bulk`` at a terminal: the live bar while a class grades, and the summary after."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text as RichText

from grader.text import Lang, Text, clean


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
