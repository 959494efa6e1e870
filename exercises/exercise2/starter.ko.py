"""문제 2 — 수열 윈도우. 문제 보기: grade show exercise2 --lang ko"""

import numpy as np


def split_x(seq, size):
    """연속된 size개 값의 윈도우: shape (len(seq) - size + 1, size)."""
    # TODO: size < 1 또는 size > len(seq)이면 ValueError를 발생시키세요
    raise NotImplementedError


def split_xy(seq, size):
    """(x, y): 마지막 값을 뺀 각 윈도우와 그 마지막 값."""
    # TODO: split_x를 사용한 뒤 슬라이싱하세요
    raise NotImplementedError


if __name__ == "__main__":
    print(split_x(np.arange(1, 11), 5))  # 5개씩 6행
