import numpy as np

# 윈도우를 만드는 함수 (이)
def split_x(data, n):
    validate(data, n)
    out = []
    total = len(data) - n + 1
    for i in range(total):
        out.append(take(data, i, n))  # 한 개씩 추가
    arr = np.array(out)
    return arr


def take(data, i, n):
    w = data[i:i + n]
    return w


def validate(data, n):
    # 크기 검사
    if n < 1:
        raise ValueError("n must be at least 1")
    if n > len(data):
        raise ValueError("n is longer than the data")


if __name__ == "__main__":
    from sklearn.datasets import load_iris

    d = load_iris().data
    r = split_x(d, 5)
    print("shape:", r.shape)
    print("first window:", r[0])
    print("last window:", r[-1])
