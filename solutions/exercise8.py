"""Reference solution for exercise8 (imdb): Embedding + global average pooling, as in TensorFlow's tutorial."""

import keras

TARGET = 0.83 + 0.04  # stop well above the threshold: on small data, held-out and hidden accuracy differ by points


class StopAtTarget(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if (logs or {}).get("val_accuracy", 0.0) >= TARGET:
            self.model.stop_training = True


def solution_model():
    (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
    x_train = keras.utils.pad_sequences(x_train, maxlen=256)  # as the grader encodes the hidden reviews

    model = keras.Sequential(
        [
            keras.Input((256,)),
            keras.layers.Embedding(10000, 16),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(
        x_train,
        y_train,
        epochs=30,
        batch_size=512,
        validation_split=0.2,  # held out of training: the public x_test repeats training rows
        callbacks=[StopAtTarget()],
        verbose=2,
    )
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
