"""A practice grader for TensorFlow Developer Certificate-style exercises.

The flow, in four words: a learner's file is run by a **Runner** (a sandboxed child
process), its outputs come back as data, trusted **Checks** judge them, and a **Report**
says what came out.
"""

__version__ = "0.1.0"


def grade(exercise: str, submission, **options):
    """Grade a notebook or script as ``exercise`` and return its `grader.report.Report`, which
    Jupyter shows inline; the same sandbox and checks as ``grade EXERCISE FILE``. ``options``
    are `grader.api.grade`'s (``timeout_s``, ``seed``, ``runner``, ``data_dir``, ...).

    >>> from grader import grade
    >>> grade("exercise5", "my_solution.ipynb")  # doctest: +SKIP
    """
    from pathlib import Path

    from grader import api  # the grading side loads only here: a sandboxed child sees this file

    return api.grade(exercise, Path(submission), **options)
