# 2020년 비트캠프 수업 과제: fashion_mnist를 CNN으로 구성하시오 (Keras 2.4 그대로)
# 최상위에서 학습하고, 학습된 모델은 전역 변수 model에 남긴다.
import numpy as np
from keras.datasets import fashion_mnist
from keras.models import Sequential
from keras.layers.core import Dense, Flatten
from keras.layers.convolutional import Conv2D
from keras.layers.pooling import MaxPooling2D
from keras.optimizers import Adam
from keras.utils.np_utils import to_categorical

# 1. 데이터
(x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
print(x_train.shape, x_test.shape)  # (60000, 28, 28) (10000, 28, 28)
print(y_train.shape, y_test.shape)  # (60000,) (10000,)

# 원핫인코딩
y_train = to_categorical(y_train)
y_test = to_categorical(y_test)
print(y_train.shape)  # (60000, 10)

# CNN은 4차원으로 reshape, 정규화 (0 ~ 1)
x_train = x_train.reshape(60000, 28, 28, 1).astype('float32') / 255
x_test = x_test.reshape(10000, 28, 28, 1).astype('float32') / 255

# 2. 모델 구성
model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=2))
model.add(Flatten())
model.add(Dense(64, activation='relu'))
model.add(Dense(10, activation='softmax'))
model.summary()

# 3. 컴파일, 훈련
model.compile(loss='categorical_crossentropy', optimizer=Adam(lr=0.001), metrics='acc')
model.fit(x_train, y_train, epochs=3, batch_size=128, validation_split=0.1, verbose=2)

# 4. 평가, 예측
loss, acc = model.evaluate(x_test, y_test, batch_size=128)
print('loss :', loss)
print('acc :', acc)

y_pred = model.predict(x_test[:10])
print(np.argmax(y_pred, axis=1))
print(np.argmax(y_test[:10], axis=1))
