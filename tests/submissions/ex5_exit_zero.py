import sys

import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


print("done")
sys.exit(0)  # a habit from scripts: harmless, what was defined is kept
