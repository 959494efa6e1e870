# 검증 데이터 없이 학습 (bootcamp style): the coach should say so, whatever the score.
import keras

(x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
x_train = x_train / 255.0

model = keras.Sequential(
    [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(32, activation="relu"),
     keras.layers.Dense(10, activation="softmax")]
)
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, verbose=2)
