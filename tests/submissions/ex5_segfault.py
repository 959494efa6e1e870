import ctypes

import numpy as np


def split_x(seq, size):
    ctypes.string_at(0)  # reads address 0: the process dies with SIGSEGV
    return np.zeros((1, 1))
