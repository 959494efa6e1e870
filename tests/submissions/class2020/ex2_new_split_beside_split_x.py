# 작년 과제 파일: 처음 만든 split_x가 틀려서 new_split을 다시 만듦 (split_xy는 아직 안 만듦)
import numpy as np


def split_data(dataset):  # 학습/검증 나누기 (다른 문제용)
    n = int(len(dataset) * 0.8)
    return dataset[:n], dataset[n:]


def spli(seq, size, step):  # 만들다 만 함수
    pass


def split_x(seq, size):  # 처음 버전: 마지막 윈도우가 빠짐
    aaa = []
    for i in range(len(seq) - size):
        aaa.append(seq[i : i + size])
    return np.array(aaa)


def new_split(seq, size):  # 고친 버전
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(seq) - size + 1):
        aaa.append(seq[i : i + size])
    return np.array(aaa)


print(new_split(np.arange(1, 11), 5))
