"""The digest of a file's bytes: what a report, a dataset check and a bulk record name a file by."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path


def file_digest(path: Path, algorithm: str = "sha256", gunzip: bool = False) -> str:
    """Hex digest of a file (of its uncompressed content with ``gunzip``), read in chunks."""
    opener = gzip.open if gunzip else open
    with opener(path, "rb") as fh:
        return hashlib.file_digest(fh, algorithm).hexdigest()
