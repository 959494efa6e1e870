"""The command line's shared options and how it says a refused request: what ``cli.py`` and
``cli_exam.py`` both declare, and the usage errors (the API's refusals and click's own) in the
language ``--lang`` asks for. Parsing only: nothing here grades.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from grader import api
from grader.config import settings
from grader.text import LANGS, Lang, with_particle


class UsageProblem(click.ClickException):
    """A refused request: exit code 2, its message after "Error:" (or "오류:" in Korean)."""

    exit_code = 2

    def __init__(self, message: str, lang: Lang = "en") -> None:
        super().__init__(message)
        self.lang = lang

    def show(self, file=None) -> None:
        click.echo(f"{'오류' if self.lang == 'ko' else 'Error'}: {self.format_message()}", err=True)


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=lambda: settings().lang,
    show_default="from GRADE_LANG or the locale",
    help="Language of statements and reports.",
)
data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Datasets in the keras cache layout (default: GRADE_DATA_DIR, else the user cache).",
)


def fetch_options(command):
    """``grade data fetch``'s NAMES, ``--data-dir`` and ``--mirror``."""
    mirror = click.option(
        "--mirror",
        metavar="BASE_URL",
        help="Get each file from BASE_URL + its file name (a local server, file:///media/usb/) "
        "instead of its origin (default: GRADE_DATA_MIRROR).",
    )
    return click.argument("names", nargs=-1)(data_dir_option(mirror(command)))


gpu_option = click.option(
    "--gpu",
    metavar="N|all|none",
    callback=lambda ctx, param, value: _gpu_value(value),
    help="Docker runner: the GPU to train on (an index), all of them (default when there are any), or none.",
)


def _gpu_value(value: str | None) -> str | None:
    if value is None or value in ("all", "none") or value.isdigit():
        return value
    raise click.BadParameter(f"{value!r}: give a GPU index (0, 1, ...), all or none")


keras_option = click.option(
    "--keras",
    type=click.Choice(["2", "3"]),
    callback=lambda ctx, param, value: None if value is None else int(value),
    help="Model exercises: train under the Keras 2 API (tf-keras, for 2020-era code) or Keras 3 only "
    "(default: Keras 3, and the Keras 2 API for a file that only runs there).",
)
no_top_level_option = click.option(
    "--no-top-level",
    is_flag=True,
    help="Function exercises: run only the file's imports, definitions and constants, not its top-level "
    "training or printing.",
)
function_option = click.option(
    "--function",
    "aliases",
    multiple=True,
    metavar="NAME=YOURS",
    callback=lambda ctx, param, value: _aliases(value),
    help="Grade your function YOURS as NAME (last year's name: --function split_x=split_data; several: "
    "'split_x=a; split_xy=b').",
)


def _aliases(values: tuple[str, ...]) -> dict[str, str]:
    """``--function`` as often as needed, each NAME=YOURS or several of them ("a=b; c=d")."""
    aliases = {}
    for value in values:
        pairs = api.parse_aliases(value)
        if not pairs:
            raise click.BadParameter(f"{value!r}: write NAME=YOURS, e.g. split_x=split_data (or 'a=b; c=d')")
        aliases.update(pairs)
    return aliases


# click's usage messages, in Korean: the common ones whole, the rest after a Korean lead.
_CLICK_KO = (
    (r"No such option:? '?([^'\s]+?)'?\.?(?:\s+\(?Did you mean (?:one of: )?(.+?)\?\)?)?",
     lambda m: f"그런 옵션이 없습니다: {m[1]}" + (f" 혹시 {m[2]}인가요?" if m[2] else "")),
    (r"Missing argument '(\S+)'\.", lambda m: f"인자 {with_particle(m[1], '이/가')} 빠졌습니다."),
    (r"Option '(\S+)' requires an argument\.", lambda m: f"옵션 {m[1]}에는 값이 필요합니다."),
    (r"Invalid value for '(\S+)': (.*)", lambda m: f"{m[1]}의 값이 올바르지 않습니다: {m[2]}"),
    (r"Got unexpected extra arguments? \((.*)\)", lambda m: f"필요 없는 인자가 더 있습니다: {m[1]}"),
)  # fmt: skip


def click_in_korean(message: str) -> str:
    for pattern, say in _CLICK_KO:
        if (match := re.fullmatch(pattern, message.strip(), re.S)) is not None:
            return say(match)
    return f"명령줄이 올바르지 않습니다: {message}"


def asked_lang(ctx: click.Context) -> Lang:
    """The ``--lang`` on the command line, wherever it stands, else the configured language."""
    argv = ctx.meta.get("argv", [])
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if value in LANGS:
            return value  # type: ignore[return-value]
    return settings().lang


def class_view_options(command):
    """The class page's options, on ``grade bulk``, ``grade class`` and ``grade export``."""
    for option in reversed(
        (
            click.option(
                "--similarity",
                type=click.Choice(["on", "off"]),
                default="on",
                show_default=True,
                help="Find similar submissions (classes of two or more).",
            ),
            click.option(
                "--boilerplate",
                type=click.Path(exists=True, file_okay=False, path_type=Path),
                help="Folder of code you taught: never makes two files alike.",
            ),
            click.option("--anonymous", is_flag=True, help="Pseudonyms on the class page (pseudonyms.csv is the key)."),
        )
    ):
        command = option(command)
    return command


def class_view(similarity: str, boilerplate: Path | None, anonymous: bool) -> dict:
    """The class page's options as the API takes them."""
    return {"similarity": similarity == "on", "boilerplate": boilerplate, "anonymous": anonymous}
