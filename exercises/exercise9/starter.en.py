"""exercise9 — reuters. Read the statement: grade show exercise9"""

import keras


def solution_model():
    (x_train, y_train), (x_test, y_test) = keras.datasets.reuters.load_data(num_words=10000)
    # TODO: pad the sequences: keras.utils.pad_sequences(x, maxlen=200)
    # TODO: build a model with an Embedding layer; the output layer is Dense(46, activation="softmax")
    model = None
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
