# 윈도우를 만든 뒤 최상위에서 선형회귀를 3분 동안 학습 (import만 해도 실행됨)
import time

import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


rng = np.random.default_rng(0)
data = rng.normal(size=(150, 4))
x = split_x(data, 5).reshape(146, -1)
y = data[4:, 0]
w = np.zeros(x.shape[1])
started = time.time()
epoch = 0
while time.time() - started < 180:  # 3분 학습
    w -= 0.001 * x.T @ (x @ w - y) / len(y)
    epoch += 1
    if epoch % 100_000 == 0:
        print("epoch", epoch, "loss", float(np.mean((x @ w - y) ** 2)))
