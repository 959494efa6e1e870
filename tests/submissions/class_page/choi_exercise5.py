"""문제 5 — iris 윈도우 나누기. 문제 보기: grade show exercise5 --lang ko"""

import numpy as np


def split_x(seq, size):
    """size개 행씩 겹치는 윈도우를 반환합니다: shape (len(seq) - size + 1, size, ...)."""
    # TODO: size < 1 또는 size > len(seq)이면 ValueError를 발생시키세요
    # TODO: 윈도우를 만드세요; i번째 행은 seq[i:i + size]여야 합니다
    raise NotImplementedError


if __name__ == "__main__":
    from sklearn.datasets import load_iris

    iris = load_iris().data
    print(split_x(iris, 5).shape)  # 기대값: (146, 5, 4)
