# 학습률을 크게 하면 빨리 배울 줄 알았습니다 (learning rate 100): the loss goes NaN.
import keras

(x_train, y_train), (x_valid, y_valid) = keras.datasets.fashion_mnist.load_data()
x_train, x_valid = x_train / 255.0, x_valid / 255.0

model = keras.Sequential(
    [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
     keras.layers.Dense(10, activation="softmax")]
)
model.compile(keras.optimizers.SGD(learning_rate=1e6), "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, validation_data=(x_valid, y_valid), verbose=2)
