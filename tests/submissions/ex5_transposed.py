import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    # sliding_window_view puts the window axis last: (146, 4, 5) for iris
    return np.lib.stride_tricks.sliding_window_view(seq, size, axis=0)
