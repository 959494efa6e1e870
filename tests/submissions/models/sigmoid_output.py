# 출력층에 sigmoid를 썼습니다 (sigmoid over 10 classes): a contract error the coach explains.
import keras

(x_train, y_train), (x_valid, y_valid) = keras.datasets.fashion_mnist.load_data()
x_train, x_valid = x_train / 255.0, x_valid / 255.0

model = keras.Sequential(
    [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
     keras.layers.Dense(10, activation="sigmoid")]
)
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, validation_data=(x_valid, y_valid), verbose=2)
