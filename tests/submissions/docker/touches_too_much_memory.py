# Touches 3 GB while the exercise allows 2 GB: the container's memory limit must stop it. It does
# so at import and again in split_x, so that graded without its top level it still does.
import numpy as np


def split_x(seq, size):
    cache = np.ones(3 * 2**30 // 8)
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)]) + 0 * cache[0]


CACHE = split_x(np.zeros(10), 5)
