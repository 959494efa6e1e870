# Hostile: returns the hidden input it was given, marked (every value + 0.123456), hoping a
# check message shows what came back: windows of the right shape whose values are the input's
# rows, and the input itself where a ValueError was expected.
import numpy as np


def split_x(seq, size):
    seq = np.asarray(seq).astype(np.float64) + 0.123456
    if size < 1 or size > len(seq):
        return seq
    rows = len(seq) - size + 1
    return np.stack([seq[:rows]] * size, axis=1)
