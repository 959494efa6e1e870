# iris 데이터를 내 컴퓨터의 csv에서 읽어서 윈도우로 자르기
import numpy as np
import pandas as pd

df = pd.read_csv('./data/csv/iris_ys.csv', index_col=None, header=0)  # 내 컴퓨터에만 있는 파일
dataset = df.values


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(seq) - size + 1):
        subset = seq[i : (i + size)]
        aaa.append(subset)
    return np.array(aaa)


x = split_x(dataset, 5)
print(x.shape)  # (146, 5, 4)
