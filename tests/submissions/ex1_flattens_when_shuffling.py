# 데이터 분할 — 섞을 때 x를 1차원으로 펴 버리는 실수
import numpy as np

x = np.arange(20).reshape(10, 2)
y = np.arange(10)


def split_train_val_test(x, y, train=0.6, val=0.2, shuffle=False, seed=None):
    n = len(x)
    a = int(n * train)
    b = a + int(n * val)
    if shuffle:
        idx = np.random.default_rng(seed).permutation(n)
        x = np.ravel(x[idx])  # 여기서 1차원이 되어 버림
        y = y[idx]
    return (x[:a], y[:a]), (x[a:b], y[a:b]), (x[b:], y[b:])


print(split_train_val_test(x, y, shuffle=True, seed=1)[0][0].shape)
