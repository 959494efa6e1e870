# Touches 3 GB while the exercise allows 2 GB: the container's memory limit must stop it.
import numpy as np

CACHE = np.ones(3 * 2**30 // 8)


def split_x(seq, size):
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
