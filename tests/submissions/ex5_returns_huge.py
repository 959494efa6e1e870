# 결과를 float64로 키우고 여유분으로 크게 잡아 둠 (반환값이 수백 MB)
import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size가 잘못됨")
    buffer = np.zeros((40_000_000,), dtype=np.float64)  # 넉넉하게 (320 MB)
    windows = np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
    return windows, buffer
