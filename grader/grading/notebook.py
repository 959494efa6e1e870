"""Jupyter notebooks as submissions: code cells in order, IPython-only lines neutralised.

``%matplotlib inline``, ``!pip install …`` and ``%%time`` cells mean nothing outside IPython;
each such line becomes ``pass`` (indentation kept), and the report lists them. One shell line is
kept for what it does: the course notebooks' ``!wget URL -O /tmp/rps.zip`` becomes the same download
in Python, which the sandbox serves from the exercise's own files (`grader.sandbox.offline_urls`).
"""

from __future__ import annotations

import shlex
from pathlib import Path


class NotebookError(ValueError):
    """The file is not a readable notebook."""


def notebook_to_script(path: Path) -> tuple[str, list[str]]:
    """The notebook's code as one script, and the IPython lines that were neutralised."""
    import nbformat  # only notebooks pay for its import

    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several types for a broken file
        raise NotebookError(f"{path.name} is not a readable notebook: {exc}") from None
    lines: list[str] = []
    neutralised: list[str] = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        source = cell.source.splitlines()
        lines.append(f"# --- cell {number}")
        if source and source[0].lstrip().startswith("%%"):
            neutralised.append(source[0].strip())
            source = source[1:]  # a cell magic (%%time, %%capture): keep the body, drop the magic
        for line in _joined(source):
            stripped = line.lstrip()
            download = wget_as_python(stripped)
            if download is not None:
                lines.append(line[: len(line) - len(stripped)] + download)
            elif stripped.startswith(("%", "!")):
                neutralised.append(stripped)
                lines.append(line[: len(line) - len(stripped)] + f"pass  # neutralised: {stripped}")
            else:
                lines.append(line)
        lines.append("")
    return "\n".join(lines) + "\n", neutralised


def _joined(source: list[str]) -> list[str]:
    """The cell's lines, a shell line continued with a trailing backslash joined into one (the
    continuation lines are shell, not Python), so it is neutralised or rewritten whole."""
    lines: list[str] = []
    for line in source:
        if lines and lines[-1].lstrip().startswith("!") and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1] + " " + line.strip()
        else:
            lines.append(line)
    return lines


def wget_as_python(line: str) -> str | None:
    """``!wget [options] URL [-O path | -P folder]`` as one line of Python that downloads the same
    file to the same place; None for any other line, or a wget line this does not read plainly (a
    pipe or a second command after it, two URLs, output to stdout): those are neutralised.

    >>> wget_as_python("!wget --no-check-certificate https://x.org/data/rps.zip -O /tmp/rps.zip")
    "import urllib.request; urllib.request.urlretrieve('https://x.org/data/rps.zip', '/tmp/rps.zip')"
    >>> wget_as_python("!wget -q https://x.org/data/rps.zip -P /tmp")
    "import urllib.request; urllib.request.urlretrieve('https://x.org/data/rps.zip', '/tmp/rps.zip')"
    """
    if not line.startswith("!wget "):
        return None
    try:
        words = shlex.split(line[1:], posix=True)
    except ValueError:
        return None
    if any(w in ("&&", "||", ";", "|", ">", ">>", "&") or w.startswith((">", "|")) for w in words):
        return None
    urls = [w for w in words[1:] if w.startswith(("http://", "https://"))]
    if len(urls) != 1:
        return None
    name = urls[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    target, folder = name, ""
    for i, word in enumerate(words[1:], start=1):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in ("-O", "--output-document") or (
            word.startswith("-") and not word.startswith("--") and word.endswith("O")
        ):
            target = following
        elif word.startswith("--output-document="):
            target = word.split("=", 1)[1]
        elif word.startswith("-O") and len(word) > 2:
            target = word[2:]
        elif word in ("-P", "--directory-prefix"):
            folder = following
        elif word.startswith("--directory-prefix="):
            folder = word.split("=", 1)[1]
        elif word.startswith("-P") and len(word) > 2:
            folder = word[2:]
    if not target or target == "-" or target.startswith("-"):
        return None
    if folder and target == name:
        target = folder.rstrip("/") + "/" + name
    return f"import urllib.request; urllib.request.urlretrieve({urls[0]!r}, {target!r})"
