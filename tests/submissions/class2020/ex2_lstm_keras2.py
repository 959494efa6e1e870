# 2020년 부트캠프 과제: 시계열 데이터를 윈도우로 자르고 LSTM으로 다음 값을 예측
# (Keras 2 시절 코드 그대로: LSTM에 input_length, metrics는 문자열)
import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, LSTM


def split_x(seq, size):
    aaa = []
    for i in range(len(seq) - size + 1):
        subset = seq[i : (i + size)]
        aaa.append(subset)
    return np.array(aaa)


def split_xy(seq, size):
    dataset = split_x(seq, size)
    x = dataset[:, :-1]
    y = dataset[:, -1]
    return x, y


# 1. 데이터
a = np.array(range(1, 11))
x, y = split_xy(a, 5)
x = x.reshape(x.shape[0], x.shape[1], 1)
print(x.shape, y.shape)

# 2. 모델 구성
model = Sequential()
model.add(LSTM(10, activation='relu', input_length=4, input_dim=1))
model.add(Dense(5))
model.add(Dense(1))

# 3. 컴파일, 훈련
model.compile(loss='mse', optimizer='adam', metrics='mae')
model.fit(x, y, epochs=100, batch_size=1)

# 4. 평가, 예측
print(model.predict(np.array([[7, 8, 9, 10]]).reshape(1, 4, 1)))
