"""What a report says about its submission is what was graded, and what it shows is harmless."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from grader import api
from grader.config import SANDBOX_ENV
from tests.conftest import ROOT

HONEST_SPLIT_X = (
    "import numpy as np\n"
    "def split_x(seq, size):\n"
    "    if size < 1 or size > len(seq):\n"
    "        raise ValueError('bad size')\n"
    "    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])\n"
)


def test_the_sha256_names_the_bytes_that_were_graded_even_if_the_file_rewrites_itself(tmp_path, monkeypatch) -> None:
    """Without a sandbox the child can reach the learner's own file; the report must still name
    the content it graded, taken before anything ran."""
    monkeypatch.setenv(SANDBOX_ENV, "off")
    original = tmp_path / "my_solution.py"
    original.write_text(
        f"# 원래 파일을 바꿔치기합니다\nopen({str(original)!r}, 'w').write('# an innocent file\\n')\n" + HONEST_SPLIT_X,
        encoding="utf-8",
    )
    graded = hashlib.sha256(original.read_bytes()).hexdigest()
    report = api.grade("exercise5", original, seed=1)
    assert original.read_text() == "# an innocent file\n"  # it did rewrite itself
    assert report.verdict == "passed"
    assert report.submission_sha256 == graded


def test_c1_control_characters_in_the_output_never_reach_the_terminal(tmp_path) -> None:
    """U+009B is CSI and U+009D is OSC on many terminals: as good as ESC [ and ESC ]."""
    probe = tmp_path / "my_solution.py"
    probe.write_text(
        "print('\\x9b2J\\x9b32mPASSED 100/100\\x9b0m \\x9d0;owned\\x07 \\x1b[31mred\\x1b[0m end')\n" + HONEST_SPLIT_X,
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "cli.py", "exercise5", str(probe), "--show-output", "--seed", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shown = done.stdout
    assert not any("\x80" <= ch <= "\x9f" for ch in shown), repr(shown)
    assert "\x1b[31m" not in shown and "owned" not in shown
    assert "PASSED 100/100 " in shown and "red end" in shown  # the words stay, the sequences go


def test_no_terminal_sequence_reaches_the_json_report_either(tmp_path) -> None:
    # Keras colours its errors and progress bars; a learner may print colours or raise them.
    probe = tmp_path / "my_solution.py"
    probe.write_text(
        "import numpy as np\n"
        "print('\\x1b[1m에포크 1/5\\x1b[0m \\x9b31mloss\\x9b0m')\n"
        "def split_x(seq, size):\n"
        "    raise ValueError('\\x1b[31mshape mismatch\\x1b[0m')\n",
        encoding="utf-8",
    )
    for reveal in ([], ["--reveal"]):  # the message is the instructor's: --reveal shows it, sanitised too
        done = subprocess.run(
            [sys.executable, "cli.py", "exercise5", str(probe), "--json", "--seed", "1", *reveal],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        report = json.loads(done.stdout)
        text = json.dumps(report, ensure_ascii=False)
        assert "\\u001b" not in text and "\\u009b" not in text, text
        assert "에포크 1/5 loss" in report["output"]
        assert any("raised ValueError at line 4, in split_x" in c["message"]["en"] for c in report["checks"])
    assert any("ValueError: shape mismatch" in (c["revealed"] or "") for c in report["checks"])
