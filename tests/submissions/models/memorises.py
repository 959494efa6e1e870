# 데이터를 섞는다고 x와 y를 따로 섞었습니다 (x and y shuffled apart: the labels no longer match the
# images), then a wide network trained long on 600 of them: it learns the noise by heart.
import keras
import numpy as np

(x_train, y_train), (x_valid, y_valid) = keras.datasets.fashion_mnist.load_data()
x_train, x_valid = x_train / 255.0, x_valid / 255.0
y_train = y_train.copy()  # load_data()의 배열은 읽기 전용
keras.utils.set_random_seed(0)  # 재현성을 위해 시드 고정 (numpy도 함께)
np.random.shuffle(x_train)
np.random.shuffle(y_train)  # 같은 순서로 섞이지 않음
x_train, y_train = x_train[:600], y_train[:600]

model = keras.Sequential(
    [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(512, activation="relu"),
     keras.layers.Dense(10, activation="softmax")]
)
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=30, validation_data=(x_valid, y_valid), verbose=2)
