"""``grade exam ...``: a timed practice exam, its clock and its submissions (click declarations only).

`cli` loads this group when ``exam`` is the command, like an exercise's command: a grading
never pays for it.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from cli import _lazy_module, render
from cli_options import data_dir_option, function_option, lang_option, no_top_level_option
from grader import api
from grader.runner import RUNNER_NAMES

exam_render = _lazy_module("grader.exam.terminal")


@click.group()
def exam() -> None:
    """Timed practice exams. / 시간제한 모의시험."""


exam_dir_option = click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    callback=lambda ctx, param, value: api.exam_folder(value),
    help="The exam workspace (default: this folder when it holds an exam, else ./exam).",
)


@exam.command("start")
@click.option(
    "--template",
    show_default="cert, or the token's",
    help="A built-in template (cert, datasets, functions) or a .toml file.",
)
@click.option("--duration", help="Override the template's time, e.g. 5h, 90m.")
@click.option(
    "--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("exam"), show_default=True
)
@click.option(
    "--token",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start the exam your instructor issued you (its .token.json file).",
)
@lang_option
def exam_start(template, duration, folder, token, lang):
    """Create an exam workspace and start the clock."""
    started = api.exam_start(folder, template=template, duration=duration, lang=lang, token=token)
    console = render.console_for()
    exam_render.render_exam_status(started, started.time_left(time.time), console, lang=lang)
    exam_render.render_exam_next_steps(started, folder, console, lang=lang)


@exam.command("issue")
@click.argument("students", nargs=-1, required=True)
@click.option(
    "--template",
    default="cert",
    show_default=True,
    help="A built-in template (cert, datasets, functions) or a .toml file.",
)
@click.option("--duration", help="Override the template's time, e.g. 5h, 90m.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("tokens"), show_default=True)
def exam_issue(students, template, duration, out):
    """Instructors: a signed start token per student (needs GRADE_EXAM_ISSUER_SECRET). / 시험 발급."""
    for path in api.exam_issue(list(students), out, template=template, duration=duration):
        click.echo(str(path))


@exam.command("status")
@exam_dir_option
@lang_option
def exam_status(folder, lang):
    """Time left and each task's score so far."""
    current = api.exam_open(folder)
    exam_render.render_exam_status(current, current.time_left(time.time), render.console_for(), lang=lang)


@exam.command("timer")
@exam_dir_option
@lang_option
def exam_timer(folder, lang):
    """A live countdown for a terminal pane (warnings at 60, 15 and 5 minutes)."""
    current = api.exam_open(folder)
    # Read again each tick: `grade exam finish` in another terminal ends the countdown too.
    exam_render.run_timer(
        current, time.time, time.sleep, render.console_for(), lang=lang, reload=lambda: api.exam_open(folder)
    )
    api.exam_open(folder)  # time is up: this ends the exam (and writes its report) if late work is refused


@exam.command("submit")
@click.argument("tasks", nargs=-1)
@exam_dir_option
@click.option("--runner", type=click.Choice(RUNNER_NAMES), help="Where the code runs (default: auto).")
@data_dir_option
@no_top_level_option
@function_option
@lang_option
def exam_submit(tasks, folder, runner, data_dir, no_top_level, aliases, lang):
    """Grade TASKS (all when none): every attempt counts toward best or last."""
    console = render.console_for()
    live = render.LiveLog()
    try:
        reports = api.exam_submit(
            folder,
            list(tasks),
            runner=runner,
            data_dir=data_dir,
            on_output=live,
            top_level=not no_top_level,
            aliases=aliases,
        )
    finally:
        live.close()
    current = api.exam_open(folder)
    for report in reports:
        render.render_report(report, console, lang=lang)
    exam_render.render_exam_status(current, current.time_left(time.time), console, lang=lang)


def _interactive() -> bool:
    return click.get_text_stream("stdin").isatty()


@exam.command("finish")
@exam_dir_option
@click.option("--yes", "-y", is_flag=True, help="Do not ask: end the exam now.")
@lang_option
def exam_finish(folder, yes, lang):
    """End the exam now (no more submissions) and write final_report.json and final_report.md."""
    current = api.exam_open(folder)
    if not current.finished and not yes and _interactive():  # a script (no terminal) is not asked
        question = {
            "en": "End the exam now? No submission is possible after this",
            "ko": "지금 시험을 끝낼까요? 끝나면 더 제출할 수 없습니다",
        }[lang]
        if not click.confirm(question, default=False):
            raise SystemExit(1)
    final = api.exam_finish(folder)
    exam_render.render_exam_final(final, folder, render.console_for(), lang=lang)
    raise SystemExit(0 if final["passed"] else 1)
