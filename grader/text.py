"""Learner-facing text in English and Korean.

Every message a learner reads is a `Text` holding both languages; the renderer or exporter
picks one at the last moment, so a stored report can be shown in either language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Lang = Literal["en", "ko"]
LANGS: tuple[Lang, ...] = ("en", "ko")


@dataclass(frozen=True)
class Text:
    """One message in both languages, e.g. ``Text("passed", "통과")``."""

    en: str
    ko: str

    def __call__(self, lang: Lang) -> str:
        return self.ko if lang == "ko" else self.en

    @classmethod
    def same(cls, text: str) -> Text:
        """Text that reads the same in both languages (code, numbers, a learner's output)."""
        return cls(text, text)

    def format(self, **values: object) -> Text:
        return Text(self.en.format(**values), self.ko.format(**values))

    def __add__(self, other: Text) -> Text:
        return Text(self.en + other.en, self.ko + other.ko)

    def to_json(self) -> dict[str, str]:
        return {"en": self.en, "ko": self.ko}

    @classmethod
    def from_json(cls, data: dict[str, str] | str) -> Text:
        if isinstance(data, str):
            return cls.same(data)
        return cls(data["en"], data["ko"])


EMPTY = Text("", "")


def join(parts: list[Text], sep: str = "; ") -> Text:
    return Text(sep.join(p.en for p in parts), sep.join(p.ko for p in parts))


def default_lang(environ: os._Environ[str] | dict[str, str] | None = None) -> Lang:
    """The language a learner most likely reads: ``GRADE_LANG``, else the locale.

    The CLI calls this once; nothing else in the grader reads the environment for it.
    """
    env = os.environ if environ is None else environ
    explicit = env.get("GRADE_LANG", "").strip().lower()
    if explicit in LANGS:
        return explicit  # type: ignore[return-value]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def printable(text: str) -> str:
    """Text that UTF-8 can hold: bytes a file name could not decode (surrogates) become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
