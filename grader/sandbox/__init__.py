"""The child side: the only grader code an untrusted process can see or import.

A runner gives the sandboxed process this folder (and ``grader/__init__.py``) and nothing else
of the grader: no checks, no references, no evaluator, no store. So this package imports numpy,
the standard library and itself only; ``grader.sandbox.wire`` is the data format both sides use.

- ``python -m grader.sandbox.functions JOB``: import a learner's file, call its functions.
- ``python -m grader.sandbox.training JOB``: run a learner's training file on the public data.
"""

import errno
import os
import sys
from collections.abc import Callable
from typing import NoReturn

# A child ends with this when its own record cannot be written for want of space: its writable
# folders are full. Where they are quota tmpfs, the runner reads it as the output quota reached
# (the files that filled them may be gone by then: deleted while open, freed at exit).
NO_SPACE_EXIT = 118


def run_main(main: Callable[[list[str]], int]) -> NoReturn:
    """Run a child's ``main`` on the command line and end (`exit_now`), with `NO_SPACE_EXIT`
    where what stopped it was a full disk."""
    try:
        code = main(sys.argv[1:])
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        code = NO_SPACE_EXIT  # nothing printed: the output shown is the learner's own
    exit_now(code)


def exit_now(code: int) -> NoReturn:
    """End this process at once, its record written and closed: the interpreter's teardown
    (about a second with TensorFlow loaded, 20-40 ms with numpy) comes after the grading is
    decided and would only keep the learner waiting. Nothing else runs: no ``atexit`` handler,
    no finaliser, none of a submission's."""
    if not flush_all(sys.stdout, sys.stderr):
        code = code or 120  # as Python exits when it cannot flush stdout
    os._exit(code)


def flush_all(*streams: object) -> bool:
    """Flush each stream; whether all of them could be. A closed or replaced stream (the
    submission's doing) is passed over: what it held is lost either way."""
    flushed = True
    for stream in streams:
        try:
            stream.flush()  # type: ignore[attr-defined]
        except Exception:
            flushed = False
    return flushed
