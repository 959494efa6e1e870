# 윈도우를 리스트로 한 번 더 감싸서 append (shape이 (146, 1, 5, 4)가 됨)
import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(seq) - size + 1):
        subset = seq[i : (i + size)]
        aaa.append([subset])
    return np.array(aaa)
