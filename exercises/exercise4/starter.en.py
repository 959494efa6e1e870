"""exercise4 — regression. Read the statement: grade show exercise4"""

import keras


def solution_model():
    (x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
    # TODO: put a Normalization layer first and adapt it to x_train
    # TODO: the output layer is Dense(1) with no activation
    model = None
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
