"""A training log as it comes, for a terminal or a file: the child's output is untrusted, so
what is printed is only what `grader.text.TerminalLine` settles it to (no escape sequence)."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from grader.text import TerminalLine


class LiveLog:
    """A training log as it comes. In a terminal, a line redrawn with carriage returns (Keras'
    ``verbose=1`` bar, tqdm) is redrawn in place, one row; elsewhere (a file, CI) each line is
    written once, in its final state, so an epoch is one line. ``close`` ends the last line."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = (self.stream.isatty() if hasattr(self.stream, "isatty") else False) if tty is None else tty
        self.line, self.shown = TerminalLine(), ""

    def __call__(self, chunk: str) -> None:
        *ended, rest = chunk.split("\n")
        for part in ended:
            self.line.write(part)
            self._end_line()
        self.line.write(rest)
        if self.tty and self.line.text != self.shown:
            self.shown = self.line.text
            width = max(shutil.get_terminal_size().columns - 1, 20)
            self.stream.write("\r\x1b[2K" + self.shown[:width])
        self.stream.flush()

    def _end_line(self) -> None:
        self.stream.write(("\r\x1b[2K" if self.tty else "") + self.line.text + "\n")
        self.line, self.shown = TerminalLine(), ""

    def close(self) -> None:
        if self.line.text or self.shown:
            self._end_line()
            self.stream.flush()
