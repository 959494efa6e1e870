"""Learner-facing text in English and Korean.

Every message a learner reads is a `Text` holding both languages; the renderer or exporter
picks one at the last moment, so a stored report can be shown in either language.
"""

from __future__ import annotations

import re
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

    def __add__(self, other: Text) -> Text:
        return Text(self.en + other.en, self.ko + other.ko)

    def to_json(self) -> dict[str, str]:
        return {"en": self.en, "ko": self.ko}

    @classmethod
    def from_json(cls, data: dict[str, str] | str) -> Text:
        if isinstance(data, str):
            return cls.same(data)
        return cls(data["en"], data["ko"])


# What a terminal acts on, in its 7-bit (ESC ...) and 8-bit (C1: U+0080-U+009F) forms: CSI
# sequences, the string sequences (OSC, DCS, SOS, PM, APC) up to their end, any other escape,
# and the remaining control characters; and the bidirectional controls (U+202E and kin: "Trojan
# Source"), with which a name or a line shows other than it is, a classmate's name, say.
# Newlines and tabs stay.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-_]"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI + "]"
)


def clean(text: str) -> str:
    """Remove terminal escape and control sequences; keep newlines and tabs."""
    return _CONTROL.sub("", text)


# A terminal's line discipline, for output written to a file: carriage return, backspace, the
# erase-in-line sequence (CSI K), any other escape or control (dropped), and runs of plain text.
_TOKEN = re.compile(
    r"(\r)|(\x08)|(?:\x1b\[|\x9b)([0-?]*)[ -/]*([@-~])"
    r"|(?:" + _CONTROL.pattern + r")"
    r"|([^\x00-\x08\x0b-\x1f\x1b\x7f-\x9f" + BIDI + "]+)"
)
LINE_CHARS = 4000  # a line longer than this keeps its first LINE_CHARS characters
LINE_TOKENS = 1_000_000  # a progress bar redraws in ~10 tokens: hours of redraws fit


class TerminalLine:
    """One line as a terminal shows it once everything written to it has been drawn: a progress
    bar redrawn a hundred times with ``\r`` (Keras' ``verbose=1``, tqdm) is its last drawing."""

    def __init__(self) -> None:
        self.cells: list[str] = []
        self.cursor = 0
        self.tokens = 0  # past `LINE_TOKENS`, what comes is not drawn: a bound on hostile output's cost

    def write(self, text: str) -> None:
        for match in _TOKEN.finditer(text):
            self.tokens += 1
            if self.tokens > LINE_TOKENS:
                return
            carriage, backspace, params, final, plain = match.groups()
            if carriage:
                self.cursor = 0
            elif backspace:
                self.cursor = max(self.cursor - 1, 0)
            elif final == "K":  # erase in line: 0 to its end, 1 to the cursor, 2 all of it
                mode = params or "0"
                if mode == "0" or (mode == "2" and self.cells):
                    del self.cells[self.cursor if mode == "0" else 0 :]  # blanks before the cursor: drawn lazily
                elif mode == "1":
                    self.cells[: self.cursor] = " " * min(self.cursor, len(self.cells))
            elif plain:
                room = LINE_CHARS - self.cursor
                if room > 0:
                    if self.cursor > len(self.cells):  # erased up to here: blanks
                        self.cells.extend(" " * (self.cursor - len(self.cells)))
                    self.cells[self.cursor : self.cursor + min(len(plain), room)] = plain[:room]
                    self.cursor += min(len(plain), room)

    @property
    def text(self) -> str:
        return "".join(self.cells).rstrip()


def settle(text: str) -> str:
    """``text`` as a terminal would show it: each line's final state (see `TerminalLine`), no
    control or escape sequence left, trailing blanks dropped. Newlines and tabs stay."""
    lines = []
    for raw in text.split("\n"):
        line = TerminalLine()
        line.write(raw)
        lines.append(line.text)
    return "\n".join(lines)


def cleaned(text: Text) -> Text:
    return Text(clean(text.en), clean(text.ko))


EMPTY = Text("", "")


class Refusal(Exception):
    """A request refused, with its reason in both languages (``text``; ``str()`` is the English):
    the base of every error a user can meet as a message (`grader.grading.UsageError` and what it
    is made from), so the CLI can say it in ``--lang``."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text

    def __reduce__(self):  # rebuilt from its Text (a bulk worker's exception crosses processes)
        return _rebuilt_refusal, (type(self), self.text, self.__dict__)


def _rebuilt_refusal(cls: type[Refusal], text: Text, state: dict) -> Refusal:
    refusal = Exception.__new__(cls)
    Exception.__init__(refusal, text.en)
    refusal.__dict__.update(state)
    return refusal


# The Korean reading of a number's last digit (영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구): its final
# consonant, "" for none; and of the unit a run of trailing zeros is read as (십, 백, 천; 만, 억, 조).
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
_TENS_FINAL = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ"}
_MYRIAD_FINAL = {1: "ㄴ", 2: "ㄱ", 3: ""}  # 만, 억, 조
_FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"  # jongseong order in Unicode
_LETTER_NAME_FINAL = {
    "L": "ㄹ",
    "R": "ㄹ",
    "M": "ㅁ",
    "N": "ㄴ",
}  # 엘, 알, 엠, 엔; the other letters' names end in a vowel


def final_consonant(word: object) -> str:
    """The final consonant (받침) the last sound of ``word`` is read with, "" for none.

    Hangul by its syllable; a number as it is read aloud (3 삼, 10 십, 100 백, 2.5 오); a Latin
    word by a rule of thumb (ends in l → ㄹ, m or n or ng → a final; an all-caps acronym by the
    letter's name: LSTM 엠, GRU 유). Trailing punctuation, quotes and brackets are skipped.
    """
    text = str(word).rstrip(" )]}>'\"`.,:;!?")
    if not text:
        return ""
    last = text[-1]
    if "가" <= last <= "힣":
        return _FINALS[(ord(last) - 0xAC00) % 28].strip()
    if last.isdigit():
        digits = text[len(text.rstrip("0123456789")) :]
        significant = digits.rstrip("0")
        zeros = len(digits) - len(significant)
        if zeros == 0 or not significant or "." in text[-len(digits) - 1 : -len(digits)]:
            return _DIGIT_FINAL.get(last, "")
        return _MYRIAD_FINAL.get(zeros // 4, "") if zeros % 4 == 0 else _TENS_FINAL[zeros % 4]
    if last.isascii() and last.isalpha():
        letters = "".join(c for c in text if c.isascii() and c.isalpha())
        if letters.isupper() and len(letters) <= 5:
            return _LETTER_NAME_FINAL.get(last, "")
        if text.lower().endswith("ng"):
            return "ㅇ"
        return {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ"}.get(last.lower(), "")
    return ""


def with_particle(word: object, particle: str) -> str:
    """``word`` and the form of a Korean particle its last sound calls for. ``particle`` names
    both forms as grammars write them, the one after a final consonant first: "이/가", "을/를",
    "은/는", "과/와", "으로/로" (after ㄹ, 로: 일로, 서울로).

    >>> with_particle(3, "이/가"), with_particle(2, "이/가"), with_particle("split_x", "을/를")
    ('3이', '2가', 'split_x를')
    """
    after_final, after_vowel = particle.split("/")
    final = final_consonant(word)
    use_final = bool(final) and not (after_final == "으로" and final == "ㄹ")
    return f"{word}{after_final if use_final else after_vowel}"


def join(parts: list[Text], sep: str = "; ") -> Text:
    return Text(sep.join(p.en for p in parts), sep.join(p.ko for p in parts))


def printable(text: str) -> str:
    """Text that UTF-8 can hold: bytes a file name could not decode (surrogates) become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
