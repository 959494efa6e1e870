"""Where the grader keeps things on this machine; the one place that reads those variables."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

# The folder holding the grader package: child processes get it as PYTHONPATH.
GRADER_ROOT = Path(__file__).resolve().parent.parent


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/tfcert-grader``, else ``~/.cache/tfcert-grader``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tfcert-grader"


SANDBOX_ENV = "GRADE_SANDBOX"  # "off": the local runner starts plain child processes (where bwrap misbehaves)
SANDBOX_USER_ENV = "GRADE_SANDBOX_USER"  # "UID" or "UID:GID": who the local sandbox's child is when grade is root


def sandbox_off() -> bool:
    """Whether ``GRADE_SANDBOX=off`` asks for plain child processes instead of bubblewrap."""
    return os.environ.get(SANDBOX_ENV, "").strip().lower() in ("off", "0", "no", "false")


def sandbox_user_setting() -> str:
    """``GRADE_SANDBOX_USER`` as written ('' when unset)."""
    return os.environ.get(SANDBOX_USER_ENV, "").strip()


def file_digest(path: Path, algorithm: str = "sha256", gunzip: bool = False) -> str:
    """Hex digest of a file (of its uncompressed content with ``gunzip``), read in chunks."""
    opener = gzip.open if gunzip else open
    with opener(path, "rb") as fh:
        return hashlib.file_digest(fh, algorithm).hexdigest()
