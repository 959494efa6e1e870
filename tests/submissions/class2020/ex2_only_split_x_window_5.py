# split_x만 만들었고, 윈도우 크기를 5로 적어 버림 (split_xy는 없음)
import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(seq) - size + 1):
        aaa.append(seq[i : i + 5])
    return np.array(aaa)
