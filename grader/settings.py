"""Where the grader keeps things on this machine; the one place that reads those variables."""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/tfcert-grader``, else ``~/.cache/tfcert-grader``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tfcert-grader"
