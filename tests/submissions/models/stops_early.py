# 시간이 없어서 에포크 2번, 작은 학습률로만 학습 (two epochs at a small learning rate): still improving.
import keras

keras.utils.set_random_seed(0)  # 재현성을 위해 시드 고정
(x_train, y_train), (x_valid, y_valid) = keras.datasets.fashion_mnist.load_data()
x_train, x_valid = x_train / 255.0, x_valid / 255.0

model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
model.compile(keras.optimizers.SGD(learning_rate=0.001), "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, validation_data=(x_valid, y_valid), verbose=2)
