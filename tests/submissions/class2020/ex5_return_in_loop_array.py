# return이 for문 안으로 들어가 윈도우 하나짜리 배열을 반환
import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(seq) - size + 1):
        subset = seq[i : (i + size)]
        aaa.append(subset)
        return np.array(aaa)
