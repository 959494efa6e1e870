"""Exercise 1 — train / validation / test split. Read the statement: grade show exercise1"""

import numpy as np


def split_train_val_test(x, y, train=0.6, val=0.2, shuffle=False, seed=None):
    """Return (x_train, y_train), (x_val, y_val), (x_test, y_test)."""
    n = len(x)
    # TODO: sizes are floor(n * train) and floor(n * val); the rest is test
    # TODO: when shuffle is True, permute x and y with the SAME permutation (seeded)
    raise NotImplementedError


if __name__ == "__main__":
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    print([len(p[0]) for p in split_train_val_test(x, y)])  # [6, 2, 2]
