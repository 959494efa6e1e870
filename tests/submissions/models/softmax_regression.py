# A regression model with a softmax output: it can only ever predict 1.0.
import keras


def solution_model():
    (x_train, y_train), _ = keras.datasets.boston_housing.load_data()
    model = keras.Sequential([keras.Input((13,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1, activation="softmax")])
    model.compile("adam", "mse")
    model.fit(x_train, y_train, epochs=2, verbose=0)
    return model
