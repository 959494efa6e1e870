# 윈도우를 만들고 최상위에서 바로 Dense 모델로 학습 (Keras 3에서도 돌아가는 코드)
import numpy as np
import tensorflow as tf


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    aaa = []
    for i in range(len(seq) - size + 1):
        aaa.append(seq[i : i + size])
    return np.array(aaa)


data = np.random.rand(150, 4)
x = split_x(data, 5).reshape(146, -1)
y = data[4:, 0]
model = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(16, activation='relu'), tf.keras.layers.Dense(1)])
model.compile(loss='mse', optimizer='adam', metrics=['mae'])
model.fit(x, y, epochs=5, batch_size=8, verbose=1)
