"""Bulk grading and the views of a class: collect → grade (a pool or Ray) → the SQLite store →
exports, the class page, item analysis and similarity (`grader.bulk.batch` runs the class).

The package itself loads nothing: the CLI names its export formats (`grader.bulk.export`)
without paying for the batch machinery, and a function grading never loads it at all.
"""

from __future__ import annotations

from typing import Any

_BATCH_NAMES = ("BulkOptions", "BulkSummary", "Progress", "grade_batch", "grade_job", "exam_info", "report_from_worker")


def __getattr__(name: str) -> Any:
    if name in _BATCH_NAMES:
        from grader.bulk import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'grader.bulk' has no attribute {name!r}")
