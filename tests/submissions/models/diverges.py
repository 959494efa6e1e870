# 특성 스케일링 없이 SGD 학습률 0.1 (unscaled features, SGD at 0.1): the loss explodes.
import keras

keras.utils.set_random_seed(0)
(x_train, y_train), (x_valid, y_valid) = keras.datasets.boston_housing.load_data()

model = keras.Sequential([keras.Input((13,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
model.compile(keras.optimizers.SGD(learning_rate=0.1), "mse", metrics=["mae"])
model.fit(x_train, y_train, epochs=5, validation_data=(x_valid, y_valid), verbose=2)
