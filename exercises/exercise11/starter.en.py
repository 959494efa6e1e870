"""exercise11 — forecast. Read the statement: grade show exercise11"""

import keras
import numpy as np

WINDOW = 30


def solution_model():
    path = keras.utils.get_file("seasonal_series.csv", origin="https://tfcert-grader.invalid/seasonal_series.csv")
    values = np.loadtxt(path, delimiter=",", skiprows=1)[:, 1].astype("float32")
    # TODO: split off the last part of `values` for validation
    # TODO: make (30 values -> next value) windows
    # TODO: a model with input (30,) or (30, 1) and a Dense(1) output, trained on the windows
    model = None
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
