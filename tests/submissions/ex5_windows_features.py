# 행(시간)이 아니라 열(특성) 방향으로 윈도우를 자름
import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    if seq.ndim == 1:
        return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
    return np.array([seq[:, i : i + size] for i in range(seq.shape[1] - size + 1)])
