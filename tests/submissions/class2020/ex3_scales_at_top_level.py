# 함수 없이 최상위에서 바로 스케일링 (scale() 함수를 만들지 않음)
import time

import numpy as np
from sklearn.preprocessing import MinMaxScaler

x_train = np.random.rand(100, 4)
x_val = np.random.rand(20, 4)
x_test = np.random.rand(20, 4)

scaler = MinMaxScaler()
scaler.fit(x_train)
x_train = scaler.transform(x_train)
x_val = scaler.transform(x_val)
x_test = scaler.transform(x_test)
print(x_train.min(), x_train.max())
time.sleep(600)  # 그 다음 모델 학습 (오래 걸림)
