import numpy as np

CACHE = np.ones(50 * 2**30 // 8)  # 50 GB


def split_x(seq, size):
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
