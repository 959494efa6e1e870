# Expected: failed, the coach's input-scale. The Keras tutorial's way, a Rescaling layer inside the
# model, trained on 0-255 pixels: the tests feed 0-1 pixels, as the exam's did, and it scales them again.
import urllib.request
import zipfile

import keras


def solution_model():
    keras.utils.set_random_seed(4)
    urllib.request.urlretrieve("https://storage.googleapis.com/download.tensorflow.org/data/rps.zip", "rps.zip")
    zipfile.ZipFile("rps.zip").extractall("tmp/")
    train, valid = keras.utils.image_dataset_from_directory(
        "tmp/rps/", image_size=(150, 150), validation_split=0.2, subset="both", seed=4, batch_size=16
    )
    model = keras.Sequential(
        [
            keras.Input((150, 150, 3)),
            keras.layers.Rescaling(1.0 / 255),
            keras.layers.RandomFlip("horizontal"),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(train.cache().repeat(3), validation_data=valid.cache(), epochs=10, verbose=2)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
