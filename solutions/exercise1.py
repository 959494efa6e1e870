"""Reference solution for exercise1 (split)."""

import math

import numpy as np


def split_train_val_test(x, y, train=0.6, val=0.2, shuffle=False, seed=None):
    x, y = np.asarray(x), np.asarray(y)
    n = len(x)
    a, b = math.floor(n * train), math.floor(n * val)
    if shuffle:
        order = np.random.default_rng(seed).permutation(n)
        x, y = x[order], y[order]  # fancy indexing copies: the caller's arrays stay as they were
    return (x[:a], y[:a]), (x[a : a + b], y[a : a + b]), (x[a + b :], y[a + b :])


if __name__ == "__main__":
    x = np.arange(20).reshape(10, 2)
    print([len(p[0]) for p in split_train_val_test(x, np.arange(10))])
