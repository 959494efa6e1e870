"""Headless Chromium for the HTML page's tests: the DOM after loading, and what the console said.

CI installs Debian's ``chromium`` (.ci/run); elsewhere the browser tests skip with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str | None:
    return next((found for name in NAMES if (found := shutil.which(name))), None)


needs_chromium = pytest.mark.skipif(
    browser() is None and not os.environ.get("CI"), reason="no Chromium here (CI installs Debian's chromium)"
)


def _run(page: Path, *flags: str) -> subprocess.CompletedProcess:
    binary = browser()
    assert binary is not None, "CI must have Chromium: .ci/run installs it"
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *flags, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def load(page: Path) -> tuple[str, list[str]]:
    """The DOM once the page has loaded, and every console message (CSP refusals included)."""
    done = _run(page, "--enable-logging=stderr", "--v=0", "--dump-dom")
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def screenshot(page: Path, png: Path, width: int, height: int) -> Path:
    _run(page, f"--screenshot={png}", f"--window-size={width},{height}")
    return png


def print_to_pdf(page: Path, pdf: Path) -> Path:
    _run(page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    return pdf
