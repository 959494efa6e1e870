"""Reference solution for exercise9 (reuters): Embedding + global average pooling, 46-way softmax."""

import keras

TARGET = 0.65 + 0.10  # stop well above the threshold: on small data, held-out and hidden accuracy differ by points


class StopAtTarget(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if (logs or {}).get("val_accuracy", 0.0) >= TARGET:
            self.model.stop_training = True


def solution_model():
    (x_train, y_train), _ = keras.datasets.reuters.load_data(num_words=10000)
    x_train = keras.utils.pad_sequences(x_train, maxlen=200)  # as the grader encodes the hidden newswires

    model = keras.Sequential(
        [
            keras.Input((200,)),
            keras.layers.Embedding(10000, 64),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(46, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(
        x_train,
        y_train,
        epochs=40,
        batch_size=128,
        validation_split=0.2,  # held out of training: the public x_test repeats training rows
        callbacks=[StopAtTarget()],
        verbose=2,
    )
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
