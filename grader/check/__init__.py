"""Checks: small declared functions, run on the trusted side, that give points.

A check is a generator. It builds hidden inputs from the grading seed, yields the calls it
wants made in the sandbox, receives what came back, and judges it::

    @check("iris-shape", points=20, en="iris 150×4 gives 146×5×4", ko="iris 150×4 → 146×5×4")
    def iris_shape(rng):
        seq = rng.normal(size=(150, 4))
        (got,) = yield [call("split_x", seq, 5)]
        expect_shape(got.value(), (146, 5, 4), what="split_x(iris, 5)")

Returning means passed; `CheckFailed` means failed; `SubmissionRaised` (the learner's code
raised) means error. Any other exception is a grader bug and is reported as one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.exercise import Exercise
from grader.sandbox.wire import RaisedError
from grader.text import Text


@dataclass(frozen=True)
class Call:
    """One call of a learner's function, made in the sandbox."""

    function: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    observe_args: bool = False  # send the arguments back after the call (mutation checks)

    def describe(self) -> str:
        """``split_x(array[150×4] float64, 5)``: how a learner recognises the call."""
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{self.function}({', '.join(parts)})"


def call(function: str, *args: Any, observe_args: bool = False, **kwargs: Any) -> Call:
    return Call(function=function, args=args, kwargs=kwargs, observe_args=observe_args)


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        dims = "×".join(str(d) for d in value.shape) or "scalar"
        return f"array[{dims}] {value.dtype}"
    return repr(value)


class CheckFailed(Exception):
    """The submission's answer is wrong; ``message`` says what was expected and what came."""

    status = "failed"

    def __init__(self, message: Text, reveal: str | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.reveal = reveal


class SubmissionRaised(CheckFailed):
    """The learner's function raised instead of returning."""

    status = "error"


# What a call gave back that cannot be read back as data (the sandbox's output folder is the
# submission's to write): the check fails with the reason, the grader goes on.
UNREADABLE_RESULTS: dict[str, Callable[[str, str], Text]] = {
    "ResultTooLarge": lambda call, sizes: Text(
        f"{call} returned a value too large to send back ({sizes}). Return the result itself: "
        "no extra copies, no larger dtype than needed",
        f"{call}의 반환값이 너무 커서 돌려받을 수 없습니다 ({sizes}). 결과만 반환하세요: "
        "여분의 복사본이나 필요 이상으로 큰 dtype은 빼세요",
    ),
    "ResultUnreadable": lambda call, why: Text(
        f"{call}: what it returned could not be read back ({why}). Did your code change files in "
        "the sandbox's output folder?",
        f"{call}: 반환값을 읽어 올 수 없습니다 ({why}). 코드가 샌드박스의 출력 폴더에 있는 파일을 바꾸었나요?",
    ),
}


@dataclass(frozen=True)
class Returned:
    """What one call gave back: a value or the exception it raised."""

    call: Call
    result: Any = None
    error: RaisedError | None = None
    args_after: tuple[Any, ...] | None = None
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()

    def value(self) -> Any:
        """The returned value; a raised exception fails the check with the learner's traceback."""
        if self.error is not None and self.error.type in UNREADABLE_RESULTS:
            raise SubmissionRaised(UNREADABLE_RESULTS[self.error.type](self.call.describe(), self.error.message))
        if self.error is not None:
            raise SubmissionRaised(
                Text(
                    f"{self.call.describe()} raised {self.error.type}: {self.error.message}",
                    f"{self.call.describe()} 실행 중 {self.error.type} 발생: {self.error.message}",
                ),
                reveal=self.error.traceback or None,
            )
        return self.result


Plan = Generator[list[Call], list[Returned], None]


@dataclass(frozen=True)
class Check:
    """One hidden test: a stable name, its points, a title in both languages, and its plan."""

    name: str
    points: float
    title: Text
    plan: Callable[[np.random.Generator], Plan]
    validates_input: bool = False  # it asks for an error on bad input, not for an answer

    __test__ = False

    def __post_init__(self) -> None:
        if self.points <= 0:
            raise ValueError(f"check {self.name!r}: points must be positive, got {self.points}")


def check(
    name: str, *, points: float, en: str, ko: str, validates_input: bool = False
) -> Callable[[Callable[..., Plan]], Check]:
    """Declare a check; see the module docstring for the shape of the function."""

    def wrap(plan: Callable[..., Plan]) -> Check:
        return Check(name=name, points=points, title=Text(en, ko), plan=plan, validates_input=validates_input)

    return wrap


def checks_for(exercise: Exercise) -> tuple[Check, ...]:
    """The hidden checks of ``exercise``; their points must add up to the exercise's points."""
    module = importlib.import_module(f"grader.check.{exercise.id}")
    checks: tuple[Check, ...] = tuple(module.CHECKS)
    total = sum(c.points for c in checks)
    if abs(total - exercise.points) > 1e-9:
        raise ValueError(f"{exercise.id}: checks give {total} points, the exercise promises {exercise.points}")
    names = [c.name for c in checks]
    if len(set(names)) != len(names):
        raise ValueError(f"{exercise.id}: duplicate check names in {names}")
    return checks
