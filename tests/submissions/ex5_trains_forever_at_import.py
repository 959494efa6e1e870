# split_x를 만든 뒤, 최상위에서 경사하강법으로 선형회귀를 "충분히 오래" 학습 (에포크가 너무 많음)
import numpy as np
from sklearn.datasets import load_iris

EPOCHS = 10_000_000
LEARNING_RATE = 0.001


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size가 잘못되었습니다")
    aaa = []
    for i in range(len(seq) - size + 1):
        aaa.append(seq[i : i + size])
    return np.array(aaa)


dataset = load_iris().data
x = split_x(dataset, 5).reshape(146, -1)
y = dataset[4:, 0]
w = np.zeros(x.shape[1])
for epoch in range(EPOCHS):  # 최상위에서 학습: import만 해도 실행됨
    grad = x.T @ (x @ w - y) / len(y)
    w -= LEARNING_RATE * grad
    if epoch % 100_000 == 0:
        print("epoch", epoch, "loss", float(np.mean((x @ w - y) ** 2)))
