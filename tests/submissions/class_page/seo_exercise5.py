import numpy as np

def make_windows(seq, size):
    return np.array([seq[i:i + size] for i in range(len(seq) - size + 1)])
