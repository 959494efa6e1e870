# iris 윈도우 나누기 — 마지막에 남는 조각까지 넣으려다 길이가 다른 윈도우가 섞임
import numpy as np

dataset = np.arange(600, dtype=float).reshape(150, 4)  # iris 대신 연습용 150×4 데이터
print("원본 shape:", dataset.shape)


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size가 잘못됨")
    aaa = []
    for i in range(len(seq) - size + 2):  # 마지막 조각도 포함 (길이가 size보다 짧음)
        aaa.append(seq[i : i + size])
    return np.array(aaa, dtype=object)


print(split_x(dataset, 5).shape)
