# 과제 5: iris 데이터 윈도우 만들기 (김)
import numpy as np


def check_size(seq, size):
    """size가 1 이상 len(seq) 이하인지 확인"""
    if size < 1:
        raise ValueError("size는 1 이상이어야 합니다")
    if size > len(seq):
        raise ValueError("size가 데이터 길이보다 깁니다")


def one_window(seq, start, size):
    window = seq[start:start + size]
    return window


def split_x(seq, size):
    check_size(seq, size)
    windows = []
    count = len(seq) - size + 1
    for start in range(count):
        windows.append(one_window(seq, start, size))
    result = np.array(windows)
    return result


if __name__ == "__main__":
    from sklearn.datasets import load_iris

    iris = load_iris().data
    x = split_x(iris, 5)
    print("shape:", x.shape)
    print("first window:", x[0])
    print("last window:", x[-1])
