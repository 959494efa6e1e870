# 2020년 과제 — 시퀀스를 size 크기로 잘라 윈도우 만들기 (당시 이름: split_data)
import numpy as np
from sklearn.datasets import load_iris

dataset = load_iris().data
print(dataset.shape)


def split_data(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(seq) - size + 1):
        subset = seq[i : (i + size)]
        aaa.append(subset)
    print(type(aaa))
    return np.array(aaa)


x = split_data(dataset, 5)
print(x.shape)  # (146, 5, 4)
