"""Reference solution for exercise5 (iris-windows)."""

import numpy as np


def split_x(seq, size):
    seq = np.asarray(seq)
    if size < 1 or size > len(seq):
        raise ValueError(f"size must be between 1 and len(seq)={len(seq)}, got {size}")
    return np.stack([seq[i : i + size] for i in range(len(seq) - size + 1)])


if __name__ == "__main__":
    from sklearn.datasets import load_iris

    print(split_x(load_iris().data, 5).shape)  # (146, 5, 4)
