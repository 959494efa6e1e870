"""Hidden harnesses: one module per exercise id, each exporting ``CHECKS``.

They live inside the grader package, not in ``exercises/``, because ``exercises/`` is what a
learner may read. Each module also holds the trusted reference implementation its checks
compare against.
"""

from __future__ import annotations

import importlib

from grader.check import Check
from grader.exercise import Exercise


def checks_for(exercise: Exercise) -> tuple[Check, ...]:
    """The hidden checks of ``exercise``; their points must add up to the exercise's points."""
    module = importlib.import_module(f"grader.harnesses.{exercise.id}")
    checks: tuple[Check, ...] = tuple(module.CHECKS)
    total = sum(c.points for c in checks)
    if abs(total - exercise.points) > 1e-9:
        raise ValueError(f"{exercise.id}: checks give {total} points, the exercise promises {exercise.points}")
    names = [c.name for c in checks]
    if len(set(names)) != len(names):
        raise ValueError(f"{exercise.id}: duplicate check names in {names}")
    return checks
