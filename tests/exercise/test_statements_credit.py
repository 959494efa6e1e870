"""Each model exercise's statements state the partial-credit band of its exercise.toml: the target
(``threshold``) and where the metric points start (``credit_from``), in English and Korean."""

from __future__ import annotations

import re

import pytest

from grader.exercise import Exercise, all_exercises

MODEL_EXERCISES = [e for e in all_exercises() if e.kind == "model"]

# The rule the statements said before credit_from: "from 0.1 (guessing)", "0.35 (what guessing gets)",
# "0.1(찍기)", "0.5(찍기 수준)". Group 1 is the number given as the start.
GUESSING_START = re.compile(r"(\d+(?:\.\d+)?)\s*\((?:what )?(?:guessing|찍기)")


def spellings(value: float) -> set[str]:
    """The ways a statement may write ``value``: 0.85, 0.6 or 0.60, 5 or 5.0."""
    forms = {f"{value:g}", f"{value:.1f}", f"{value:.2f}"}
    return {form for form in forms if float(form) == value}


def mentions(text: str, value: float) -> bool:
    """Whether ``text`` writes ``value`` as a number of its own (0.6 is not found in 0.65 or 10.6)."""
    return any(re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text) for form in spellings(value))


def test_there_are_model_exercises() -> None:
    assert len(MODEL_EXERCISES) >= 7, [e.id for e in MODEL_EXERCISES]


def test_the_helpers_read_numbers_as_statements_write_them() -> None:
    assert mentions("full at 0.80, partial from 0.60", 0.6)
    assert mentions("at most **5.0**", 5.0)
    assert mentions("at most 5 points", 5.0)
    assert mentions("from 0.85 up", 0.85)
    assert not mentions("reach **0.65**", 0.6)
    assert not mentions("reach 10.6", 0.6)
    assert not mentions("reach 0.855", 0.85)
    assert GUESSING_START.search("from 0.1 (guessing) up").group(1) == "0.1"
    assert GUESSING_START.search("0.5(찍기 수준)부터").group(1) == "0.5"


@pytest.mark.parametrize("exercise", MODEL_EXERCISES, ids=lambda e: e.id)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_statement_states_the_credit_band(exercise: Exercise, lang: str) -> None:
    contract = exercise.model
    assert contract is not None
    text = exercise.statement(lang)  # type: ignore[arg-type]
    assert mentions(text, contract.threshold), f"{exercise.id} statement.{lang}.md: no target {contract.threshold:g}"
    assert mentions(text, contract.credit_from), (
        f"{exercise.id} statement.{lang}.md: no credit start {contract.credit_from:g} (credit_from in exercise.toml)"
    )
    for stale in GUESSING_START.finditer(text):
        assert float(stale.group(1)) == contract.credit_from, (
            f"{exercise.id} statement.{lang}.md says partial credit starts at {stale.group(0)!r}; "
            f"exercise.toml has credit_from = {contract.credit_from:g}"
        )
