"""Reference solution for exercise2 (sequence-windows)."""

import numpy as np


def split_x(seq, size):
    seq = np.asarray(seq)
    if size < 1 or size > len(seq):
        raise ValueError(f"size must be between 1 and len(seq)={len(seq)}, got {size}")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


def split_xy(seq, size):
    windows = split_x(seq, size)
    return windows[:, :-1], windows[:, -1]


if __name__ == "__main__":
    print(split_x(np.arange(1, 11), 5))
