# Builds a folder tree deeper than Python's recursion limit in its writable output, then answers
# correctly, but only after the wall-clock limit: the clock must stop it all the same. It does so
# at import and again in split_x, so that graded without its top level it still does.
import os
import time

import numpy as np


def build_then_wait():
    path = os.environ.get("GRADE_JOB_OUT", "/job/out")
    for _ in range(int("@DEPTH@")):
        path = os.path.join(path, "d")
        os.makedirs(path, exist_ok=True)
    print("TREE built")
    time.sleep(float("@LATE_S@"))


build_then_wait()


def split_x(seq, size):
    build_then_wait()
    if size < 1 or size > len(seq):
        raise ValueError("size must be between 1 and len(seq)")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
