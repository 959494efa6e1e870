# 인자 seq 대신 전역 변수 dataset을 읽는 split_x
import numpy as np
from sklearn.datasets import load_iris

dataset = load_iris().data


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(dataset) - size + 1):
        aaa.append(dataset[i : i + size])
    return np.array(aaa)
