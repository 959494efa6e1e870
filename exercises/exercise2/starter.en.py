"""Exercise 2 — sequence windows. Read the statement: grade show exercise2"""

import numpy as np


def split_x(seq, size):
    """Windows of `size` consecutive values: shape (len(seq) - size + 1, size)."""
    # TODO: raise ValueError when size < 1 or size > len(seq)
    raise NotImplementedError


def split_xy(seq, size):
    """(x, y): each window without its last value, and that last value."""
    # TODO: use split_x, then slice
    raise NotImplementedError


if __name__ == "__main__":
    print(split_x(np.arange(1, 11), 5))  # 6 rows of 5
