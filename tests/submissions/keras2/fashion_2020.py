# 2020년 부트캠프 과제 그대로: Keras 2 코드 (keras.layers.core, Adam(lr=...), metrics='acc' 문자열)
# 최상위에서 학습하고, 학습된 모델은 전역 변수 model에 남는다.
import numpy as np
import keras
from keras.models import Sequential
from keras.layers.core import Dense, Flatten, Dropout
from keras.optimizers import Adam

# 패션 MNIST 불러오기 (채점 환경에서는 공개 데이터가 오프라인으로 제공된다)
(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

# input_shape를 첫 층에 쓰는 옛 습관
model = Sequential()
model.add(Flatten(input_shape=(28, 28)))
model.add(Dense(64, activation='relu'))
model.add(Dropout(0.1))
model.add(Dense(10, activation='softmax'))

# Keras 2 시절 철자: lr=, 문자열 하나짜리 metrics
model.compile(optimizer=Adam(lr=0.001), loss='sparse_categorical_crossentropy', metrics='acc')
model.fit(x_train, y_train, epochs=3, batch_size=64, validation_data=(x_test, y_test), verbose=2)
