import numpy as np

def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size out of range")
    windows = []
    for i in range(len(seq) - size):  # 하나 모자람
        windows.append(seq[i:i + size])
    return np.array(windows)
