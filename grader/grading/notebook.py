"""Jupyter notebooks as submissions: code cells in order, IPython-only lines neutralised.

``%matplotlib inline``, ``!pip install …`` and ``%%time`` cells mean nothing outside IPython;
each such line becomes ``pass`` (indentation kept), and the report lists them.
"""

from __future__ import annotations

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
        for line in source:
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")):
                neutralised.append(stripped)
                lines.append(line[: len(line) - len(stripped)] + f"pass  # neutralised: {stripped}")
            else:
                lines.append(line)
        lines.append("")
    return "\n".join(lines) + "\n", neutralised
