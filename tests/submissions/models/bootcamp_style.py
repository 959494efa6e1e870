# 부트캠프 스타일: verbose=1 기본값, metrics=['acc'], 옛날 방식의 .h5 저장
# (a bootcamp script as written in 2020: the default progress bar, 'acc', an .h5 save)
import numpy as np
from sklearn.model_selection import train_test_split
from tensorflow import keras

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train = x_train / 255.0  # 정규화
x_test = x_test / 255.0
x_train, x_val, y_train, y_val = train_test_split(x_train, y_train, test_size=0.2, random_state=66)

model = keras.models.Sequential()
model.add(keras.layers.Flatten(input_shape=(28, 28)))
model.add(keras.layers.Dense(128, activation="relu"))
model.add(keras.layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
hist = model.fit(x_train, y_train, epochs=3, batch_size=32, validation_data=(x_val, y_val))
loss, acc = model.evaluate(x_test, y_test)
print("acc :", acc)
model.save("fashion_model.h5")
print(np.argmax(model.predict(x_test[:5]), axis=1))
