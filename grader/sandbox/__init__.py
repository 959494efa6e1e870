"""The child side: the only grader code an untrusted process can see or import.

A runner gives the sandboxed process this folder (and ``grader/__init__.py``) and nothing else
of the grader: no checks, no references, no evaluator, no store. So this package imports numpy,
the standard library and itself only; ``grader.sandbox.wire`` is the data format both sides use.

- ``python -m grader.sandbox.functions JOB``: import a learner's file, call its functions.
- ``python -m grader.sandbox.training JOB``: run a learner's training file on the public data.
"""

import os
import sys
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    """End this child at once, its record written and closed: TensorFlow's interpreter teardown
    would cost the learner about a second, after the grading is already decided."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
