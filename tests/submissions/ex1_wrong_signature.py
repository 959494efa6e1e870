import numpy as np


def split_train_val_test(x, y, train=0.6, val=0.2, shuffle=False):  # no seed parameter
    n = len(x)
    a, b = int(n * train), int(n * val)
    if shuffle:
        idx = np.random.permutation(n)
        x, y = x[idx], y[idx]
    return (x[:a], y[:a]), (x[a : a + b], y[a : a + b]), (x[a + b :], y[a + b :])
