import numpy as np


def split_x(seq, size):
    windows = []
    i = 0
    while i + size <= len(seq):
        windows.append(seq[i : i + size])  # forgot i += 1
    return np.array(windows)


def split_xy(seq, size):
    w = split_x(seq, size)
    return w[:, :-1], w[:, -1]
