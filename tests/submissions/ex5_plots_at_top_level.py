# 수업 시간처럼: seaborn으로 그래프를 그리고(plt.show) 잠시 기다린 뒤 split_x 정의
import time

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from sklearn.datasets import load_iris

iris = load_iris()
sns.scatterplot(x=iris.data[:, 0], y=iris.data[:, 1], hue=iris.target)
plt.show()
time.sleep(2.5)  # 그래프를 보는 시간 (채점할 때도 매번 실행됨)


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
