# 슬라이싱 끝을 i + size가 아니라 size로 써 버린 실수 (뒤로 갈수록 빈 윈도우)
import numpy as np


def split_x(seq, size):
    aaa = []
    for i in range(len(seq) - size + 1):
        aaa.append(seq[i:size])
    return np.array(aaa, dtype=float) if len({len(a) for a in aaa}) == 1 else np.array([a[:0] for a in aaa])
