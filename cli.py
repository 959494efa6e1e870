"""The ``grade`` command line: it parses arguments and calls `grader.api`, nothing more.

Exercises are discovered, not listed by hand: every exercise id and slug is a command
(``grade exercise5 FILE`` or ``grade iris-windows FILE``).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import click

from cli_options import (
    UsageProblem,
    asked_lang,
    class_view,
    class_view_options,
    click_in_korean,
    data_dir_option,
    fetch_options,
    function_option,
    gpu_option,
    keras_option,
    lang_option,
    no_top_level_option,
)
from grader import __version__, api
from grader.bulk.export import EXPORT_FORMATS
from grader.config import keep_own_numerics_single_threaded
from grader.runner import RUNNER_NAMES
from grader.sandbox import exit_now


def _lazy_module(name: str) -> ModuleType:
    """``name``, imported on first use (the ``importlib.util.LazyLoader`` recipe)."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# The renderer brings rich (~30 ms): a grading starts its sandbox first, and --json never needs it.
render = _lazy_module("grader.report.terminal")
bulk_render = _lazy_module("grader.bulk.terminal")


def _exercise_command(name: str) -> click.Command:
    exercise = api.get_exercise(name)

    def only_for(kind: str, option):
        """An option of this kind of exercise; the other kind's --help does not list it, and
        takes it only to refuse it in the user's language (the API's refusal) or to ignore it."""
        if exercise.kind == kind:
            return option

        def hidden(command):
            command = option(command)
            command.__click_params__[-1].hidden = True  # the Option the decorator just added
            return command

        return hidden

    @click.command(name=name, help=f"{exercise.title.en} / {exercise.title.ko}")
    # Not exists=True: a missing file is the API's to refuse, in the report's language.
    @click.argument("submission", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
    @click.option("--reveal", is_flag=True, help="Show failing hidden inputs (instructors).")
    @click.option(
        "--runner",
        type=click.Choice(RUNNER_NAMES),
        show_default="GRADE_RUNNER, else auto: docker when its daemon and image are ready",
        help="Where the submission runs.",
    )
    @only_for("model", gpu_option)
    @click.option("--timeout", type=click.FloatRange(min=0.1), help="Wall-clock limit in seconds.")
    @click.option("--seed", type=click.IntRange(min=0), help="Fix the hidden inputs (to reproduce a run).")
    @click.option("--show-output", is_flag=True, help="Show what the submission printed.")
    @only_for("model", data_dir_option)
    @only_for(
        "model",
        click.option(
            "--model-var", default="model", show_default=True, help="The global a script leaves its model in."
        ),
    )
    @only_for("model", click.option("--quiet", is_flag=True, help="Do not stream the training log."))
    @only_for("model", keras_option)
    @only_for(
        "model",
        click.option("--repeats", type=click.IntRange(1, 20), default=1, help="Train N times, score the mean."),
    )
    @only_for("function", no_top_level_option)
    @only_for("function", function_option)
    @click.option(
        "--save",
        "save_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Also write the JSON report, its HTML page (and a learning-curve PNG) into this folder.",
    )
    @click.option(
        "--html",
        "html_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write the report as one self-contained HTML page (opens offline, prints well).",
    )
    @lang_option
    def grade_one(
        submission, as_json, show_output, timeout, save_dir, html_file, lang, quiet=False, no_top_level=False, **options
    ):
        # options: the rest of the request, named as `api.grade` names them (runner, gpu, seed, ...)
        live = None if quiet or exercise.kind != "model" else render.LiveLog()
        try:
            report = api.grade(
                exercise.id, submission, timeout_s=timeout, top_level=not no_top_level, on_output=live, **options
            )
        finally:
            if live is not None:
                live.close()
        if as_json:
            click.echo(report.dumps())
        else:
            render.render_report(
                report, render.console_for(), lang=lang, show_output=show_output, reveal=options["reveal"]
            )
        if save_dir is not None:
            for path in api.save_report(report, save_dir, lang=lang):
                click.echo(str(path), err=True)
        if html_file is not None:
            click.echo(str(api.write_html(report, html_file, lang=lang)), err=True)
        raise SystemExit(report.exit_code)

    return grade_one


# Command groups declared in their own module, imported when they are the command (or --help lists them).
LAZY_GROUPS = {"exam": "cli_exam"}


class ExerciseGroup(click.Group):
    """Built-in commands, the `LAZY_GROUPS`, and one command per exercise (its id; its slug also answers).

    A request the API refuses (`api.UsageError`) exits with code 2 and its message, from any
    command: the commands themselves only parse and call.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["argv"] = list(args)  # for the language of a refusal, before any command parsed it
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except api.UsageError as exc:
            lang = asked_lang(ctx)
            raise UsageProblem(exc.text(lang), lang) from None
        except click.UsageError as exc:  # click's own (an unknown option, a missing argument)
            if isinstance(exc, UsageProblem) or asked_lang(ctx) != "ko":
                raise
            where = exc.ctx.command_path if exc.ctx is not None else "grade"
            korean = click_in_korean(exc.format_message())
            raise UsageProblem(f"{korean}\n`{where} --help`로 사용법을 볼 수 있습니다", "ko") from None

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            try:
                api.get_exercise(name)  # raises, naming the closest exercises and `grade list`
            except api.UsageError as exc:
                lang = asked_lang(ctx)
                raise UsageProblem(exc.text(lang), lang) from None
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_GROUPS]) + [e.id for e in api.list_exercises()]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        builtin = super().get_command(ctx, cmd_name)
        if builtin is not None:
            return builtin
        if cmd_name in LAZY_GROUPS:
            return getattr(importlib.import_module(LAZY_GROUPS[cmd_name]), cmd_name)
        try:
            return _exercise_command(cmd_name)
        except api.UsageError:
            return None


@click.group(cls=ExerciseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grade")
def main() -> None:
    """Grade TensorFlow Developer Certificate-style exercises: grade EXERCISE FILE.

    TensorFlow 자격증 스타일 문제 채점기: grade 문제 파일
    """


@main.command("list")
@lang_option
def list_cmd(lang):
    """List the exercises. / 문제 목록."""
    render.render_exercise_list(api.list_exercises(), render.console_for(), lang=lang)


@main.command()
@click.argument("exercise")
@lang_option
def show(exercise, lang):
    """Print an exercise's statement. / 문제 설명 보기."""
    from rich.markdown import Markdown

    text = api.statement(exercise, lang=lang)
    render.console_for().print(Markdown(text))


@main.command()
@click.argument("exercise")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@lang_option
def init(exercise, directory, force, lang):
    """Write an exercise's starter file into DIRECTORY. / 시작 파일 만들기."""
    target = api.write_starter(exercise, directory, lang=lang, force=force)
    ex = api.get_exercise(exercise)
    hint = {"en": "next", "ko": "다음"}[lang]
    click.echo(f"{target}  ({hint}: grade {ex.id} {target})")


@main.group()
def data() -> None:
    """Datasets for the model exercises (keras cache layout). / 모델 문제용 데이터셋."""


@data.command("status")
@data_dir_option
@lang_option
def data_status(data_dir, lang):
    """What the data dir holds: official, substitute or missing files."""
    directory, states = api.data_status(data_dir=data_dir)
    render.render_data_status(directory, states, render.console_for(), lang=lang)


@data.command("fetch")
@fetch_options
def data_fetch(names, data_dir, mirror):
    """Download datasets (all when no NAMES) into the data dir, e.g. for an offline exam room."""
    for name, fetched in api.fetch_data(list(names), data_dir=data_dir, mirror=mirror):
        click.echo(f"{name}: {', '.join(fetched) if fetched else 'already there'}")


@main.command()
@data_dir_option
@lang_option
def doctor(data_dir, lang):
    """What this machine can grade with, and what is missing. / 채점 환경 점검."""
    diagnosis = api.diagnose(data_dir=data_dir)
    render.render_diagnosis(diagnosis, render.console_for(), lang=lang)
    raise SystemExit(1 if diagnosis.missing else 0)


@main.group()
def image() -> None:
    """The grading image for the docker runner. / docker 실행 환경용 채점 이미지."""


@image.command("build")
@click.option("--base", help="Base image (default: the official TensorFlow GPU image the Dockerfile names).")
@click.option("--tag", help="Image name (default: GRADE_IMAGE, else tfcert-grader:VERSION).")
@click.option(
    "--wheelhouse",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Install from these wheels only (pip download -d DIR ...): builds with no network.",
)
@click.option("--tf-requirement", help="What pip installs when the base has no TensorFlow.")
@click.option("--quiet", is_flag=True, help="Do not print docker's build log.")
def image_build(base, tag, wheelhouse, tf_requirement, quiet):
    """Build the grading image from this checkout's Dockerfile."""
    info = api.build_image(
        api.BuildRequest(base=base, tag=tag, wheelhouse=wheelhouse, tf_requirement=tf_requirement),
        on_line=(lambda line: None) if quiet else (lambda line: click.echo(render.clean(line), err=True)),
    )
    click.echo(
        f"{info.name} ({info.id}, {info.size_mb / 1024:.1f} GB): grader {info.grader_version}, code {info.digest}"
    )


@main.command()
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("--exercise", help="Grade every file as this exercise (else the file names say).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Students (CSV).")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True, help="Jobs at once.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("grading"), show_default=True)
@click.option("--regrade", is_flag=True, help="Grade again what the store already holds.")
@click.option("--backend", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option(
    "--address", help="Ray head HOST:PORT (default: RAY_ADDRESS, else a Ray of its own); token from Ray's variables."
)
@click.option("--runner", type=click.Choice(RUNNER_NAMES), help="Where each submission runs (default: auto).")
@click.option("--gpus", help="GPU indexes to hand out to jobs in turn, e.g. 0,1 (docker runner).")
@click.option("--gpus-per-job", type=click.FloatRange(0, 8), default=0.0, help="Ray: GPUs per task (0.25 shares one).")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Wall-clock limit per submission, in seconds.")
@click.option(
    "--allow-unisolated",
    is_flag=True,
    help="Grade with the local runner even where its sandbox lacks isolation (see grade doctor).",
)
@data_dir_option
@click.option("--format", "formats", multiple=True, type=click.Choice(EXPORT_FORMATS), help="Exports (default: all).")
@class_view_options
@lang_option
def bulk(
    submissions,
    exercise,
    roster,
    workers,
    out,
    regrade,
    backend,
    address,
    runner,
    gpus,
    gpus_per_job,
    timeout,
    allow_unisolated,
    data_dir,
    formats,
    lang,
    **view,
):
    """Grade a class: a folder, an LMS zip or a manifest CSV. / 일괄 채점."""
    options = api.BulkOptions(
        workers=workers,
        backend=backend,
        address=address,
        runner=runner,
        gpus=tuple(g.strip() for g in gpus.split(",") if g.strip()) if gpus else (),
        gpus_per_job=gpus_per_job,
        regrade=regrade,
        timeout_s=timeout,
        data_dir=data_dir,
        allow_unisolated=allow_unisolated,
    )
    console = render.console_for()
    with bulk_render.BulkProgress(console) as progress:
        summary = api.grade_batch(
            submissions, out, exercise=exercise, roster=roster, options=options, on_progress=progress.update
        )
    written = api.export_results(out, list(formats or EXPORT_FORMATS), lang=lang, **class_view(**view))
    bulk_render.render_bulk_summary(summary, written, console, lang=lang)


@main.command("export")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "formats", multiple=True, type=click.Choice(EXPORT_FORMATS), help="Exports (default: all).")
@class_view_options
@lang_option
def export_cmd(out, formats, lang, **view):
    """Re-write exports from a bulk grading's results store. / 결과 내보내기."""
    written = api.export_results(out, list(formats or EXPORT_FORMATS), lang=lang, **class_view(**view))
    click.echo("\n".join(map(str, written)))


@main.command("class")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@class_view_options
@lang_option
def class_cmd(out, lang, **view):
    """The class page, checks.csv and similarity.csv, from the store alone. / 반 전체 보고서."""
    click.echo("\n".join(map(str, api.class_page(out, lang=lang, **class_view(**view)))))


def run() -> None:
    """The ``grade`` console script: `main`, then an exit without the interpreter's teardown.

    Every command has written and closed what it writes by the time `main` returns (bulk's pool
    and Ray are shut down in its own ``finally``), and the teardown of a process that loaded
    numpy costs 30-50 ms of a function exercise's 0.3 s. Tests call `main` through click's
    runner, which this does not touch. The process's own numpy gets one BLAS thread before it
    loads (`keep_own_numerics_single_threaded`): the sandboxed child needs the other core.
    """
    keep_own_numerics_single_threaded()
    try:
        main()
        code = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:  # a message instead of a code: Python prints it and exits with 1
            click.echo(stop.code, err=True)
            code = 1
    exit_now(code)


if __name__ == "__main__":
    run()
