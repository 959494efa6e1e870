# Starts a long-lived background process; grading must not leave it running.
import subprocess
import sys

import numpy as np

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)  # tfcert-grader-orphan-probe"])


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
