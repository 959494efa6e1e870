"""Exercise 5 — iris windowing. Read the statement: grade show exercise5"""

import numpy as np


def split_x(seq, size):
    """Return overlapping windows of `size` rows: shape (len(seq) - size + 1, size, ...)."""
    # TODO: raise ValueError when size < 1 or size > len(seq)
    # TODO: build the windows; row i must be seq[i:i + size]
    raise NotImplementedError


if __name__ == "__main__":
    from sklearn.datasets import load_iris

    iris = load_iris().data
    print(split_x(iris, 5).shape)  # expected: (146, 5, 4)
