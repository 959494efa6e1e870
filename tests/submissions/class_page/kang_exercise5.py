import numpy as np

def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    aaa = []
    for i in range(len(seq) - size + 1):
        subset = seq[i:(i + size)]
        aaa.append(subset)
    return np.array(aaa)
