import numpy as np


def split_x(seq, size):
    if not 1 <= size <= len(seq):
        raise ValueError(f"size must be between 1 and {len(seq)}")
    return np.stack([seq[i:i + size] for i in range(len(seq) - size + 1)])
