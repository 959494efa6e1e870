"""A training log as a terminal shows it (issue 24, item 2): redraws settle to their last drawing
in stored output, reports and exports; live, a redrawn line is one row in a terminal and one
line per epoch elsewhere."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st

from grader.report.terminal import LiveLog
from grader.runner import OUTPUT_TAIL_BYTES, RAW_TAIL_FACTOR, read_tail
from grader.text import LINE_CHARS, clean, settle

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def keras_epoch(epoch: int, epochs: int = 3, steps: int = 1563, every: int = 7) -> str:
    """What Keras 3's Progbar writes for one epoch with verbose=1 on Linux (dynamic display:
    backspaces over the last drawing, a carriage return, the bar in bold and colours)."""
    out, width = f"Epoch {epoch}/{epochs}\n", 0
    for step in [*range(1, steps, every), steps]:
        bar = (
            f"\x1b[1m{step:4d}/{steps}\x1b[0m \x1b[32m{'━' * (20 * step // steps)}\x1b[0m"
            f"\x1b[37m{'━' * (20 - 20 * step // steps)}\x1b[0m \x1b[1m2s\x1b[0m 1ms/step - acc: 0.{step % 97:02d}"
        )
        out += "\b" * width + "\r" + bar
        width = len(bar)
    return out + f" - val_acc: 0.8{epoch}\n"


def test_a_keras_verbose_1_epoch_settles_to_two_lines() -> None:
    log = "".join(keras_epoch(e) for e in (1, 2, 3))
    lines = settle(log).splitlines()
    assert lines[:2] == ["Epoch 1/3", "1563/1563 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - acc: 0.11 - val_acc: 0.81"]
    assert len(lines) == 6 and not any(CONTROL.search(line) for line in lines)


def test_tqdm_and_erase_sequences_settle_too() -> None:
    tqdm = "".join(f"\r{p:3d}%|{'█' * (p // 10):<10}| {p}/100 [00:0{p // 50}<00:00]" for p in range(0, 101, 5))
    assert settle(tqdm + "\n") == "100%|██████████| 100/100 [00:02<00:00]\n"
    assert settle("downloading 10%\r\x1b[2Kdone\n") == "done\n"
    assert settle("abcdef\r\x1b[Kxy") == "xy"
    assert settle("abcdef\rXY") == "XYcdef"  # a shorter redraw leaves the rest, as a terminal does
    assert settle("a\tb\x07c\x1b]0;title\x07d") == "a\tbcd"  # a bell and a window title are not text


@given(st.text(alphabet=st.characters(blacklist_characters="\r\x08\x1b\x9b", blacklist_categories=("Cs",))))
def test_text_without_redraws_is_only_cleaned(text: str) -> None:
    expected = "\n".join(line.rstrip()[:LINE_CHARS].rstrip() for line in clean(text).split("\n"))
    assert settle(text) == expected


@given(st.text(alphabet=st.sampled_from(["a", "é", "한", " ", "\t", "\n", "\r", "\b", "\x1b", "[", "2", "K", "\x07"])))
def test_settled_text_has_no_control_left_and_settles_to_itself(text: str) -> None:
    once = settle(text)
    assert not CONTROL.search(once.replace("\t", " "))
    assert settle(once) == once and once.count("\n") == text.count("\n")


def test_a_line_that_never_ends_is_bounded() -> None:
    assert len(settle("x" * (LINE_CHARS * 3))) == LINE_CHARS


def test_the_stored_tail_keeps_whole_epochs_from_many_more_raw_bytes(tmp_path) -> None:
    log = tmp_path / "output.log"
    log.write_text("".join(keras_epoch(e, epochs=90) for e in range(1, 91)), encoding="utf-8")
    with open(log, "rb") as fh:
        text, cut = read_tail(fh)  # 64 KB kept, from up to 4 MB of redraws
    assert log.stat().st_size > RAW_TAIL_FACTOR * OUTPUT_TAIL_BYTES and cut  # the first epochs are gone
    lines = text.splitlines()
    assert lines[-2] == "Epoch 90/90" and lines[-1].startswith("1563/1563 ")
    assert sum(line.startswith("Epoch ") for line in lines) >= 60  # two lines an epoch, not 224 redraws
    assert "\b" not in text and "\r" not in text and "\x1b" not in text


def test_live_in_a_terminal_a_bar_is_redrawn_in_place_and_elsewhere_written_once() -> None:
    chunks = [keras_epoch(1)[i : i + 700] for i in range(0, len(keras_epoch(1)), 700)]
    screen = io.StringIO()
    live = LiveLog(screen, tty=True)
    for chunk in chunks:
        live(chunk)
    live.close()
    drawn = screen.getvalue()
    assert drawn.count("\n") == 2 and "\r\x1b[2K" in drawn and "\b" not in drawn
    assert settle(drawn).splitlines()[-1].startswith("1563/1563 ")
    piped = io.StringIO()
    live = LiveLog(piped, tty=False)
    for chunk in [*chunks, "still training"]:
        live(chunk)
    live.close()
    assert piped.getvalue().splitlines() == [
        "Epoch 1/3",
        "1563/1563 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - acc: 0.11 - val_acc: 0.81",
        "still training",
    ]
