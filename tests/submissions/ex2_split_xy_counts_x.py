# split_xy에서 size를 x의 길이로만 셈 (x 4개 + y 1개 = 윈도우 5)
import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


def split_xy(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    x, y = [], []
    for i in range(len(seq) - size):
        x.append(seq[i : i + size])
        y.append(seq[i + size])
    return np.array(x), np.array(y)


dataset = np.array(range(1, 11))
x, y = split_xy(dataset, 4)
print(x, y)
