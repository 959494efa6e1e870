import numpy as np

def split_x(seq, size)
    return np.array([seq[i:i + size] for i in range(len(seq) - size + 1)])
