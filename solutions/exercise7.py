"""Reference solution for exercise7 (cifar10): a VGG-style CNN with augmentation, stopped at the target.

Not yet timed to 0.80 on the real data (that needs a GPU session); on synthetic data it stops early.
"""

import keras

TARGET = 0.80 + 0.02  # stop above the grading threshold


class StopAtTarget(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if (logs or {}).get("val_accuracy", 0.0) >= TARGET:
            self.model.stop_training = True


def block(filters):
    return [
        keras.layers.Conv2D(filters, 3, padding="same", activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Conv2D(filters, 3, padding="same", activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D(),
        keras.layers.Dropout(0.25),
    ]


def solution_model():
    (x_train, y_train), _ = keras.datasets.cifar10.load_data()
    x_train = x_train / 255.0  # the grader feeds [0, 1] too

    model = keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            keras.layers.RandomFlip("horizontal"),
            keras.layers.RandomTranslation(0.1, 0.1),
            *block(32),
            *block(64),
            *block(128),
            keras.layers.Flatten(),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(
        x_train,
        y_train,
        epochs=100,
        batch_size=128,
        validation_split=0.1,  # held out of training: the public x_test repeats training rows
        callbacks=[StopAtTarget()],
        verbose=2,
    )
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
