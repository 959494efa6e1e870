# 코랩에서 내려받은 노트북(.py): 한 줄에 문장 여러 개, 최상위에서 오래 학습
import numpy as np; print("넘파이 준비 완료")  # 셀 실행 확인
from sklearn.datasets import load_iris
print("에포크 수:", 10_000_000); EPOCHS = 10_000_000


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size가 잘못되었습니다")
    aaa = []
    for i in range(len(seq) - size + 1):
        aaa.append(seq[i : i + size])
    return np.array(aaa)


dataset = load_iris().data; x = split_x(dataset, 5); print(x.shape)
x = x.reshape(146, -1); y = dataset[4:, 0]; w = np.zeros(x.shape[1])
for epoch in range(EPOCHS):  # 최상위에서 학습: 채점할 때마다 실행됨
    w -= 0.001 * x.T @ (x @ w - y) / len(y)
