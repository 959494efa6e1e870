# 실제 수강생 파일처럼: split_x와 split_xy를 정의하고, 모듈 최상위에서 바로 LSTM 모델을 학습합니다.
import numpy as np
from tensorflow.keras.layers import LSTM, Dense
from tensorflow.keras.models import Sequential


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size가 잘못되었습니다")
    aaa = []
    for i in range(len(seq) - size + 1):
        subset = seq[i : (i + size)]
        aaa.append(subset)
    print(type(aaa))
    return np.array(aaa)


def split_xy(seq, size):
    data = split_x(seq, size)
    return data[:, :-1], data[:, -1]


dataset = np.array(range(1, 11))
data = split_x(dataset, 5)
x = data[:, :4].reshape(-1, 4, 1)
y = data[:, 4]
print(x.shape, y.shape)

model = Sequential()
model.add(LSTM(10, input_shape=(4, 1)))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(x, y, epochs=3, batch_size=1, verbose=0)
print("predict:", model.predict(np.array([[[7], [8], [9], [10]]]), verbose=0))
