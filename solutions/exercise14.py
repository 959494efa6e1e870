"""Reference solution for exercise14 (horses-or-humans): a small CNN on 300×300 images, augmented
inside the model, one sigmoid unit.

The folders hold 500 horses and 527 humans drawn apart from the hidden validation set's, so random
flips, turns, zooms and shifts (layers that act only while training) do the work the exam's
ImageDataGenerator augmentation did. Pixels are scaled to 0-1 outside the model, as the grader feeds
them; a strided first layer keeps 300×300 cheap. It stops once the held-out fifth of the folders is
classified almost perfectly (at least 8 epochs), or when its loss stops falling.

Estimate for the real horse-or-human.zip on 2 CPU cores (not measured here: the files cannot be
downloaded in this environment): about 20 s an epoch, 10-20 epochs, 4-7 minutes.
"""

import urllib.request
import zipfile

import keras
import tensorflow as tf

URL = "https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip"
SIZE = (300, 300)  # the tests feed 300×300×3: flow_from_directory(target_size=(300, 300))
MIN_EPOCHS, MAX_EPOCHS = 8, 40
MIN_STEPS = 20
LEARNED = 0.98  # val_accuracy on the held-out fifth at which more epochs only memorise


class StopWhenLearned(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 >= MIN_EPOCHS and (logs or {}).get("val_accuracy", 0.0) >= LEARNED:
            self.model.stop_training = True


def folders(directory, seed):
    """Training and validation images as 0-1 pixels; horses 0, humans 1 (the folders, sorted)."""
    train, valid = keras.utils.image_dataset_from_directory(
        directory, image_size=SIZE, batch_size=None, label_mode="binary", validation_split=0.2, subset="both", seed=seed
    )

    def to_bytes(image, label):  # kept as uint8 in memory: a quarter of float32's
        return tf.cast(tf.round(image), tf.uint8), label

    def scaled(images, labels):  # 0-1 outside the model, as the grader feeds the test images
        return tf.cast(images, tf.float32) / 255.0, labels

    train = train.map(to_bytes).cache().shuffle(1100, seed=seed).batch(32)
    steps = max(int(train.cardinality()), MIN_STEPS)  # a small folder set is seen several times, augmented anew
    train = train.repeat().map(scaled).prefetch(tf.data.AUTOTUNE)
    valid = valid.map(to_bytes).cache().batch(64).map(scaled).prefetch(tf.data.AUTOTUNE)
    return train, valid, steps


def solution_model():
    keras.utils.set_random_seed(14)  # the same weights and augmentations on every run
    urllib.request.urlretrieve(URL, "horse-or-human.zip")
    with zipfile.ZipFile("horse-or-human.zip") as archive:
        archive.extractall("tmp/horse-or-human/")
    train, valid, steps = folders("tmp/horse-or-human/", seed=14)

    model = keras.Sequential(
        [
            keras.Input((*SIZE, 3)),
            keras.layers.RandomFlip("horizontal"),
            keras.layers.RandomRotation(0.1),
            keras.layers.RandomZoom(0.2),
            keras.layers.RandomTranslation(0.1, 0.1),
            keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),  # what the image shows, wherever in it
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),  # the probability of a human
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(
        train,
        validation_data=valid,
        epochs=MAX_EPOCHS,
        steps_per_epoch=steps,
        callbacks=[
            StopWhenLearned(),
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True),
        ],
        verbose=2,
    )
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
