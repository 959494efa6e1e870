# 가중치를 0으로 초기화하면 깔끔할 것 같았습니다 (zeros everywhere): every hidden unit stays the same.
import keras

(x_train, y_train), (x_valid, y_valid) = keras.datasets.fashion_mnist.load_data()
x_train, x_valid = x_train / 255.0, x_valid / 255.0

model = keras.Sequential(
    [keras.Input((28, 28)), keras.layers.Flatten(),
     keras.layers.Dense(64, activation="relu", kernel_initializer="zeros"),
     keras.layers.Dense(10, activation="softmax", kernel_initializer="zeros")]
)
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, validation_data=(x_valid, y_valid), verbose=2)
