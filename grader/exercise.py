"""Exercises: what is asked, loaded from ``exercises/<id>/exercise.toml`` and validated once.

An exercise folder is what a learner may read: the metadata, a statement and a starter file in
English and Korean. The hidden checks live in ``grader/check`` instead.
"""

from __future__ import annotations

import ast
import inspect
import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from grader.report import LOWER_IS_BETTER
from grader.text import LANGS, Lang, Refusal, Text, with_particle

ExerciseKind = Literal["function", "model"]
EXERCISES_DIR = Path(__file__).resolve().parent.parent / "exercises"

SCRIPT_SUFFIXES = (".py", ".ipynb")
SAVED_MODEL_SUFFIXES = (".keras", ".h5")
MAX_SUBMISSION_BYTES = 2 * 2**20  # a submission file larger than this is refused before it is read
SUBMISSION_SUFFIXES = SCRIPT_SUFFIXES + SAVED_MODEL_SUFFIXES  # every form a submission may take
_ID = re.compile(r"^exercise[0-9]+$")


def is_utf8(path: Path) -> bool:
    """Whether a submission's bytes are UTF-8, as Python reads a script without a coding line."""
    try:
        path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return True


def parse_submission(source: str) -> ast.Module | None:
    """A submission's syntax tree, read and never run; None where it does not parse, including a
    file built to break the parser (nesting past its recursion limit, say)."""
    try:
        return ast.parse(source.removeprefix("\ufeff"))  # Notepad's "UTF-8 with BOM": Python reads it
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ExerciseError(ValueError):
    """An exercise folder is malformed (a bug in the exercise set, not in a submission)."""


class UnknownExercise(Refusal, LookupError):
    def __init__(self, name: str, exercises: tuple[Exercise, ...]) -> None:
        close = closest_exercises(name, exercises)
        maybe = Text(
            f" Did you mean {' or '.join(close)}?" if close else "",
            f" 혹시 {' 또는 '.join(close)}인가요?" if close else "",
        )
        super().__init__(
            Text(f"unknown exercise {name!r}.", f"{with_particle(repr(name), '이라는/라는')} 문제는 없습니다.")
            + maybe
            + Text(" `grade list` lists them all.", " 전체 목록은 `grade list`로 볼 수 있습니다.")
        )
        self.name = name


@dataclass(frozen=True)
class FunctionContract:
    """One function a submission must define, e.g. ``split_x(seq, size)``."""

    name: str
    signature: str

    @property
    def parameters(self) -> inspect.Signature:
        return parse_signature(self.signature)[1]


# image/tabular/text/series: a keras.datasets array; folders (class folders of PNGs in a zip),
# headlines (raw sentences in a JSON file) and points (x → y): the certificate's raw files.
InputForm = Literal["image", "tabular", "text", "series", "folders", "headlines", "points"]
Metric = Literal["accuracy", "r2", "mae", "mse"]
SeriesScale = Literal["raw", "max"]


@dataclass(frozen=True)
class TextForm:
    """How hidden reviews/newswires are encoded: as ``load_data(num_words=…)`` then ``pad_sequences``."""

    num_words: int  # the certificate's vocab_size for raw headlines
    maxlen: int  # its max_length
    padding: Literal["pre", "post"] = "pre"
    truncating: Literal["pre", "post"] = "pre"
    # Raw headlines only: the Tokenizer's oov_token, and the Embedding's width the starter fixed.
    oov_token: str = ""
    embedding_dim: int = 0


CERT_STEPS = 5  # the certificate scored each task 0-5


@dataclass(frozen=True)
class Steps:
    """The certificate's own score for a task, 0-5: ``ceil(offset − per_unit · metric)``, kept
    within 0-5 (its sunspots task: ``ceil(17 − 100·MAE)`` on normalised data, ``ceil(20 − MAE)``
    on raw values). Where an exercise states it, its metric points follow these steps."""

    offset: float
    per_unit: float

    def of(self, value: float) -> int:
        if not math.isfinite(value):  # an infinite error (or none measured) earns no step
            return 0
        return min(max(math.ceil(self.offset - self.per_unit * value - 1e-9), 0), CERT_STEPS)


@dataclass(frozen=True)
class ModelContract:
    """What a model exercise's model must be, and the bar it must clear on the hidden test set."""

    dataset: str
    metric: Metric
    threshold: float  # full marks at or above
    # No metric points at or past this value, all of them at the threshold, a straight line between:
    # a band declared per exercise (exercise.toml says why), steep, as the certificate scored.
    credit_from: float
    input: InputForm
    output_units: int
    output_activation: str
    required_layers: tuple[str, ...] = ()
    text: TextForm | None = None
    window: int = 0  # series input: how many past values the model sees
    # The per-example input the tests feed, where the statement fixes it (150×150×3 images).
    input_shape: tuple[int, ...] = ()
    scale: SeriesScale = "raw"  # series: the values as they are, or as the certificate's (x − min) / max
    steps: Steps | None = None

    @property
    def images(self) -> bool:
        """Whether the tests feed pixels scaled to 0-1: keras.datasets images, or PNGs from folders."""
        return self.input in ("image", "folders")

    @property
    def lower_is_better(self) -> bool:
        return self.metric in LOWER_IS_BETTER

    def meets(self, value: float) -> bool:
        if self.steps is not None:  # the certificate's formula decides: all five steps
            return self.steps.of(value) == CERT_STEPS
        return value <= self.threshold if self.lower_is_better else value >= self.threshold

    @property
    def comparison(self) -> str:
        if self.steps is not None:  # ceil(offset − per_unit·x) is 5 only strictly below the threshold
            return "<"
        return "≤" if self.lower_is_better else "≥"


@dataclass(frozen=True)
class Exercise:
    id: str
    slug: str
    title: Text
    kind: ExerciseKind
    points: float
    pass_score: float
    time_limit_s: float
    memory_mb: int
    functions: tuple[FunctionContract, ...]
    folder: Path
    model: ModelContract | None = None

    @property
    def number(self) -> int:
        return int(self.id.removeprefix("exercise"))

    def statement(self, lang: Lang) -> str:
        return (self.folder / f"statement.{lang}.md").read_text(encoding="utf-8")

    def starter(self, lang: Lang) -> str:
        return (self.folder / f"starter.{lang}.py").read_text(encoding="utf-8")

    @property
    def accepted_suffixes(self) -> tuple[str, ...]:
        """The files it grades: scripts and notebooks, and for a model a saved model too."""
        return SUBMISSION_SUFFIXES if self.kind == "model" else SCRIPT_SUFFIXES


def parse_signature(text: str) -> tuple[str, inspect.Signature]:
    """Parse ``"name(a, b=1, *, c=None)"`` into its name and an `inspect.Signature`.

    >>> parse_signature("split_x(seq, size)")[1]
    <Signature (seq, size)>
    """
    try:
        tree = ast.parse(f"def {text}: pass")
    except SyntaxError as exc:
        raise ExerciseError(f"bad signature {text!r}: {exc.msg}") from None
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    args = func.args
    params: list[inspect.Parameter] = []
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for i, arg in enumerate(positional):
        kind = (
            inspect.Parameter.POSITIONAL_ONLY if i < len(args.posonlyargs) else inspect.Parameter.POSITIONAL_OR_KEYWORD
        )
        default = ast.literal_eval(args.defaults[i - first_default]) if i >= first_default else inspect.Parameter.empty
        params.append(inspect.Parameter(arg.arg, kind, default=default))
    for arg, default_node in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        default = inspect.Parameter.empty if default_node is None else ast.literal_eval(default_node)
        params.append(inspect.Parameter(arg.arg, inspect.Parameter.KEYWORD_ONLY, default=default))
    return func.name, inspect.Signature(params)


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: Path) -> Any:
    if key not in data:
        raise ExerciseError(f"{where}: missing key {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ExerciseError(f"{where}: {key!r} must be {kind}, got {value!r}")
    return value


def load_exercise(folder: Path) -> Exercise:
    """Read and validate one exercise folder; every problem names the file and the key."""
    meta = folder / "exercise.toml"
    try:
        data = tomllib.loads(meta.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ExerciseError(f"{meta}: {exc}") from None

    ex_id = _require(data, "id", str, meta)
    if not _ID.match(ex_id) or ex_id != folder.name:
        raise ExerciseError(f"{meta}: id {ex_id!r} must look like 'exercise5' and match its folder")
    slug = _require(data, "slug", str, meta)
    if not _SLUG.match(slug):
        raise ExerciseError(f"{meta}: slug {slug!r} must be lowercase words joined by '-'")
    title = _require(data, "title", dict, meta)
    kind = _require(data, "kind", str, meta)
    if kind not in get_args(ExerciseKind):
        raise ExerciseError(f"{meta}: kind {kind!r} must be one of {get_args(ExerciseKind)}")
    points = float(_require(data, "points", (int, float), meta))
    pass_score = float(data.get("pass_score", points))
    if not 0 < pass_score <= points:
        raise ExerciseError(f"{meta}: pass_score {pass_score} must be in (0, {points}]")
    functions = []
    for sig in data.get("functions", []):
        name, _ = parse_signature(sig)
        functions.append(FunctionContract(name=name, signature=sig))
    if kind == "function" and not functions:
        raise ExerciseError(f"{meta}: a function exercise must list its functions")
    model = _model_contract(data.get("model"), meta) if kind == "model" else None
    for lang in LANGS:
        if lang not in title:
            raise ExerciseError(f"{meta}: title needs a {lang!r} entry")
        for name in (f"statement.{lang}.md", f"starter.{lang}.py"):
            if not (folder / name).is_file():
                raise ExerciseError(f"{folder}: missing {name}")

    return Exercise(
        id=ex_id,
        slug=slug,
        title=Text(title["en"], title["ko"]),
        kind=kind,
        points=points,
        pass_score=pass_score,
        time_limit_s=float(_require(data, "time_limit_s", (int, float), meta)),
        memory_mb=int(data.get("memory_mb", 2048)),
        functions=tuple(functions),
        folder=folder,
        model=model,
    )


def _model_contract(table: dict[str, Any] | None, meta: Path) -> ModelContract:
    if not isinstance(table, dict):
        raise ExerciseError(f"{meta}: a model exercise needs a [model] table")
    from grader.data.registry import DATASETS  # numpy-only; kept local so function exercises skip it

    dataset = _require(table, "dataset", str, meta)
    if dataset not in DATASETS:
        raise ExerciseError(f"{meta}: unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    metric = _require(table, "metric", str, meta)
    form = _require(table, "input", str, meta)
    if metric not in get_args(Metric) or form not in get_args(InputForm):
        raise ExerciseError(
            f"{meta}: metric {metric!r} / input {form!r} must be one of {get_args(Metric)} / {get_args(InputForm)}"
        )
    threshold = float(_require(table, "threshold", (int, float), meta))
    credit_from = float(_require(table, "credit_from", (int, float), meta))
    if metric in LOWER_IS_BETTER and not credit_from > threshold:
        raise ExerciseError(f"{meta}: credit_from {credit_from} must be above threshold {threshold} for {metric}")
    if metric not in LOWER_IS_BETTER and not credit_from < threshold:
        raise ExerciseError(f"{meta}: credit_from {credit_from} must be below threshold {threshold}")
    window = int(table.get("window", 0))
    if form == "series" and window < 1:
        raise ExerciseError(f"{meta}: a series input needs window = N (the past values the model sees)")
    scale = table.get("scale", "raw")
    if scale not in get_args(SeriesScale):
        raise ExerciseError(f"{meta}: scale {scale!r} must be one of {get_args(SeriesScale)}")
    steps = table.get("steps")
    if steps is not None and not isinstance(steps, dict):
        raise ExerciseError(f"{meta}: [model.steps] must be a table (offset, per_unit)")
    input_shape = table.get("input_shape", [])
    if not isinstance(input_shape, list) or not all(type(d) is int and d > 0 for d in input_shape):
        raise ExerciseError(f"{meta}: input_shape must be a list of positive integers, got {input_shape!r}")
    if form in ("folders", "points") and not input_shape:
        raise ExerciseError(f"{meta}: a {form} input needs input_shape (what the tests feed each example)")
    return ModelContract(
        dataset=dataset,
        metric=metric,  # type: ignore[arg-type]
        threshold=threshold,
        credit_from=credit_from,
        input=form,  # type: ignore[arg-type]
        output_units=int(_require(table, "output_units", int, meta)),
        output_activation=_require(table, "output_activation", str, meta),
        required_layers=tuple(table.get("required_layers", ())),
        text=_text_form(table.get("text"), meta) if form in ("text", "headlines") else None,
        window=window,
        input_shape=tuple(input_shape),
        scale=scale,
        steps=None if steps is None else Steps(*(float(_require(steps, k, (int, float), meta)) for k in STEP_KEYS)),
    )


STEP_KEYS = ("offset", "per_unit")


def _text_form(table: dict[str, Any] | None, meta: Path) -> TextForm:
    if not isinstance(table, dict):
        raise ExerciseError(f"{meta}: a text exercise needs a [model.text] table (num_words, maxlen)")
    padding, truncating = table.get("padding", "pre"), table.get("truncating", "pre")
    if padding not in ("pre", "post") or truncating not in ("pre", "post"):
        raise ExerciseError(f"{meta}: padding/truncating must be 'pre' or 'post', got {padding!r}/{truncating!r}")
    return TextForm(
        num_words=int(_require(table, "num_words", int, meta)),
        maxlen=int(_require(table, "maxlen", int, meta)),
        padding=padding,
        truncating=truncating,
        oov_token=str(table.get("oov_token", "")),
        embedding_dim=int(table.get("embedding_dim", 0)),
    )


@cache
def all_exercises(root: Path = EXERCISES_DIR) -> tuple[Exercise, ...]:
    """Every exercise under ``root``, in number order; slugs and ids must be unique."""
    found = [load_exercise(p.parent) for p in root.glob("exercise*/exercise.toml")]
    found.sort(key=lambda e: e.number)
    seen: dict[str, str] = {}
    for ex in found:
        for key in (ex.id, ex.slug):
            if key in seen:
                raise ExerciseError(f"{ex.id}: name {key!r} already used by {seen[key]}")
            seen[key] = ex.id
    return tuple(found)


def find_exercise(name: str, root: Path = EXERCISES_DIR) -> Exercise:
    """Look an exercise up by id (``exercise5``) or slug (``iris-windows``), case-insensitively."""
    wanted = name.strip().lower()
    exercises = all_exercises(root)
    for ex in exercises:
        if wanted in (ex.id, ex.slug):
            return ex
    raise UnknownExercise(name, exercises)


def closest_exercises(name: str, exercises: tuple[Exercise, ...]) -> list[str]:
    """The ids and slugs a mistyped ``name`` most likely meant: those it is part of (``iris`` in
    ``iris-windows``), else the nearest spellings (``exercse5``)."""
    import difflib

    wanted = name.strip().lower()
    names = [key for e in exercises for key in (e.slug, e.id)]
    containing = [key for key in names if wanted and len(wanted) >= 3 and wanted in key]
    return containing[:3] or difflib.get_close_matches(wanted, names, n=2, cutoff=0.6)
