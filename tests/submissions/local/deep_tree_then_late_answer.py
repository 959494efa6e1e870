# Builds a folder tree deeper than Python's recursion limit in its writable output, then answers
# correctly, but only after the wall-clock limit: the clock must stop it all the same.
import os
import time

import numpy as np

path = os.environ.get("GRADE_JOB_OUT", "/job/out")
for _ in range(int("@DEPTH@")):
    path = os.path.join(path, "d")
    os.mkdir(path)
print("TREE built")
time.sleep(float("@LATE_S@"))


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size must be between 1 and len(seq)")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
