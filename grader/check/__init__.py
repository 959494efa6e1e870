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

import builtins
import importlib
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.check.slips import SLIPS
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

    def __init__(self, message: Text, reveal: str | None = None, slip: str | None = None) -> None:
        assert slip is None or slip in SLIPS, f"unknown slip {slip!r}"
        super().__init__(message.en)
        self.message = message
        self.reveal = reveal
        self.slip = slip  # the known mistake it recognised (a name in `grader.check.slips.SLIPS`), if any

    def named(self, name: str, hint: Text) -> None:
        """Recognised as the slip ``name``: ``hint`` (" — ...") goes on the message, the name on the report."""
        assert name in SLIPS, f"unknown slip {name!r}"
        self.message = self.message + hint
        self.args = (self.message.en,)
        self.slip = name


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
    # Why it was unreadable is the instructor's (--reveal): the file's own names and numbers are in it.
    "ResultUnreadable": lambda call, why: Text(
        f"{call}: what it returned could not be read back. Did your code change files in the sandbox's output folder?",
        f"{call}: 반환값을 읽어 올 수 없습니다. 코드가 샌드박스의 출력 폴더에 있는 파일을 바꾸었나요?",
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
            raise SubmissionRaised(
                UNREADABLE_RESULTS[self.error.type](self.call.describe(), self.error.message),
                reveal=self.error.message,
            )
        if self.error is not None:
            raise SubmissionRaised(
                raised_on_hidden_input(self.call.describe(), self.error), reveal=self.error.traceback or None
            )
        return self.result


# `File "my_solution.py", line 3, in split_x` in the traceback the child cut to the learner's frames.
_FRAME = re.compile(r'^\s*File "[^"\n]*", line (\d{1,6}), in ([A-Za-z_][A-Za-z0-9_]{0,39}|<module>|<lambda>)\s*$', re.M)
# Python's own words for a call that does not fit the function's signature, each told in the
# grader's words: the names in them come from the child's record (which the file can write), and
# the call itself, shown beside, already names what was passed.
_SIGNATURE = (
    (
        re.compile(r"^\w{1,40}\(\) got an unexpected keyword argument '\w{1,40}'$"),
        Text(
            "your function has no parameter for one of this call's keyword arguments",
            "함수에 이 호출의 키워드 인자 하나에 해당하는 매개변수가 없습니다",
        ),
    ),
    (
        re.compile(r"^\w{1,40}\(\) missing \d{1,2} required (positional|keyword-only) arguments?: .{1,300}$"),
        Text(
            "your function requires an argument this call does not give",
            "함수가 이 호출이 주지 않는 인자를 요구합니다",
        ),
    ),
    (
        re.compile(
            r"^\w{1,40}\(\) takes (from )?\d{1,2}( to \d{1,2})? positional arguments? but \d{1,2} (were|was) given$"
        ),
        Text(
            "your function takes fewer positional arguments than this call gives",
            "함수가 이 호출이 주는 것보다 적은 위치 인자를 받습니다",
        ),
    ),
)
_BUILTIN_ERRORS = frozenset(
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
)


def raised_on_hidden_input(call: str, error: RaisedError) -> Text:
    """What a learner is told of an exception their function raised on a hidden input: its type
    and where in their file, never its message, which could show the input (as printed output
    could: both are for ``--reveal``). What is shown comes from the child's record, so it is kept
    to what cannot carry much: a built-in exception's name (else "an exception of its own class"),
    a line number and a function name."""
    for pattern, said in _SIGNATURE if error.type == "TypeError" else ():
        if pattern.match(error.message):
            return (
                Text(f"{call} raised TypeError: ", f"{call} 실행 중 TypeError 발생: ")
                + said
                + Text(
                    "; compare your def line with the statement's",
                    "; def 줄을 문제의 함수 정의와 비교하세요",
                )
            )
    builtin = error.type in _BUILTIN_ERRORS
    kind_en = error.type if builtin else "an exception of its own class"
    kind_ko = error.type if builtin else "직접 정의한 예외"
    frames = _FRAME.findall(error.traceback)
    where_en = f" at line {frames[-1][0]}, in {frames[-1][1]}" if frames else ""
    where_ko = f" {frames[-1][0]}번째 줄({frames[-1][1]})에서" if frames else ""
    return Text(
        f"{call} raised {kind_en}{where_en}; its message is held back, as it could show the hidden input "
        "(instructors: --reveal)",
        f"{call} 실행 중{where_ko} {kind_ko} 발생; 숨겨진 입력이 드러날 수 있어 메시지는 보여 주지 않습니다 "
        "(강사: --reveal)",
    )


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
