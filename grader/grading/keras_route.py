"""Which Keras a model exercise's file trains under: Keras 3, or the Keras 2 route (tf-keras).

The route is TensorFlow's documented one: the ``tf-keras`` package with ``TF_USE_LEGACY_KERAS=1``
(`grader.sandbox.keras2` makes ``import keras`` name it too); the evaluator then loads the saved
model under the same route, still with ``safe_mode=True`` (Keras 3 cannot read tf-keras's
``.keras`` files).

    --keras 3      Keras 3 only
    --keras 2      the route from the start
    (automatic)    Keras 3; where the run fails on a Keras 2 idiom the route runs as written
                   (`grader.grading.keras_idioms`), the file is trained once more on the route

Deterministic: the choice depends only on the error the file's own code raises under Keras 3
(its type and message, the same each run), never on timing. Cheap: one more run at most, and only
for an idiom the route runs (a learner's own bug, a timeout or an idiom tf-keras refuses too is
not retried). The report says which route it took and why, in both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from grader.grading.keras_idioms import FoundIdiom, find_idiom
from grader.sandbox.keras2 import LEGACY_KERAS_ENV
from grader.text import Text

KERAS_CHOICES = (2, 3)
KERAS2_REQUIREMENT = "tf-keras>=2.21,<2.22"  # pyproject's keras2 extra, installed --no-deps
NOT_INSTALLED = Text(
    f"the Keras 2 API (tf-keras) is not installed here: pip install --no-deps '{KERAS2_REQUIREMENT}'",
    f"Keras 2 API(tf-keras)가 이 컴퓨터에 설치되어 있지 않습니다: pip install --no-deps '{KERAS2_REQUIREMENT}'",
)


def route_installed(runner: str) -> bool:
    """Whether a training on ``runner`` can take the route: the grading image always has tf-keras
    (IMAGE_LAYOUT 4); the local runner's children run this Python, which has it only where it
    was installed (the keras2 extra, --no-deps). Looked up, never imported."""
    import importlib.util

    return runner == "docker" or importlib.util.find_spec("tf_keras") is not None


class Trained(Protocol):
    """What a training gives back (`grader.grading.models.Training`): how it ended, and the
    sandbox's error where the file's code raised one."""

    ended: Any
    error: dict[str, Any] | None


def route_env(keras: int) -> dict[str, str]:
    """The environment of the training sandbox and the evaluator for ``keras``."""
    return {LEGACY_KERAS_ENV: "1"} if keras == 2 else {}


def keras_choice_problem(keras: Any) -> Text | None:
    """Why ``keras`` (a `GradeRequest`'s) is not a choice, if it is not: None, 2 or 3."""
    if keras is None or (type(keras) is int and keras in KERAS_CHOICES):
        return None
    return Text(
        f"keras={keras!r}: choose 2 (the Keras 2 API, tf-keras) or 3 (Keras 3); leave it out to let the grader choose",
        f"keras={keras!r}: 2 (Keras 2 API, tf-keras) 또는 3 (Keras 3)을 고르세요; 빼면 채점기가 고릅니다",
    )


ON_THE_ROUTE = Text("graded with the Keras 2 API (tf-keras)", "Keras 2 API(tf-keras)로 채점했습니다")


@dataclass
class KerasRoute:
    """The route for one grading: ``asked`` is the request's choice (None: automatic); ``keras``
    the one the next training takes; ``chose_it`` the idiom that moved an automatic choice to 2."""

    asked: int | None
    installed: bool = True  # `route_installed`: where it is not, an idiom is named but not retried
    keras: int = 3
    chose_it: FoundIdiom | None = None
    notes: list[Text] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keras = 2 if self.asked == 2 else 3

    def train(self, once: Callable[[int], Trained]) -> Trained:
        """``once(keras)``, and once more on the route where an automatic Keras 3 run failed on an
        idiom the route runs; a run that failed on a catalogued idiom says which, and its spelling."""
        trained = once(self.keras)
        if self.asked is None and self.keras == 3 and trained.error is not None:
            found = find_idiom(trained.error)
            if found is not None and found.idiom.route_runs and self.installed:
                self.keras, self.chose_it = 2, found
                trained = once(2)
        if self.keras == 2 and not self.notes:
            self.notes.append(self._route_note())
        return self._explained(trained)

    def _route_note(self) -> Text:
        if self.chose_it is None:
            return ON_THE_ROUTE + Text(", as --keras 2 asked", " (--keras 2 지정)")
        return (
            ON_THE_ROUTE
            + Text(", since your file uses Keras 2 code: ", ". 파일이 Keras 2 코드를 씁니다: ")
            + self.chose_it.said()
        )

    def _explained(self, trained: Trained) -> Trained:
        """A run that ended on a catalogued idiom, its message led by the idiom and its spelling."""
        found = find_idiom(trained.error) if trained.error is not None and trained.ended is not None else None
        if found is None:
            return trained
        verdict, message = trained.ended
        if trained.error.get("missing_module"):  # Keras 2's module path, not a package to install
            message = Text.same(str(trained.error.get("traceback", "")))
        if self.keras == 2:
            lead = Text(
                "Your file uses Keras 2 code that even the Keras 2 API (tf-keras) no longer runs: ",
                "파일이 Keras 2 API(tf-keras)에서도 더는 실행되지 않는 Keras 2 코드를 씁니다: ",
            )
        else:
            lead = Text("Your file uses older Keras code: ", "파일이 예전 Keras 코드를 씁니다: ")
        said = found.said()
        if self.keras == 3 and found.idiom.route_runs and not self.installed:
            said = said + Text(" (", " (") + NOT_INSTALLED + Text(")", ")")
        elif self.keras == 3 and found.idiom.route_runs:  # --keras 3 asked for it
            said = said + Text(
                " (without --keras 3 the grader runs it with the Keras 2 API, tf-keras)",
                " (--keras 3 없이 채점하면 Keras 2 API(tf-keras)로 실행합니다)",
            )
        ended = (verdict, lead + said + Text(".\n", ".\n") + message)
        return replace(trained, ended=ended)  # type: ignore[type-var]
