# Expected: failed. A tanh network runs through the six points but is no line beyond them.
import keras
import numpy as np


def solution_model():
    keras.utils.set_random_seed(1)
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float)
    ys = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], dtype=float)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    model.fit(xs, ys, epochs=300, verbose=0)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
