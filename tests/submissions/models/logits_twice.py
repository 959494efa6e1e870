# 예제 코드를 합치다 보니 softmax 출력에 from_logits=True가 붙었습니다 (softmax twice).
import keras

keras.utils.set_random_seed(42)
(x_train, y_train), (x_valid, y_valid) = keras.datasets.fashion_mnist.load_data()
x_train, x_valid = x_train / 255.0, x_valid / 255.0

model = keras.Sequential(
    [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
     keras.layers.Dense(10, activation="softmax")]
)
model.compile(
    "adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
)
model.fit(x_train, y_train, epochs=2, validation_data=(x_valid, y_valid), verbose=2)
