# Expected: failed, the coach's memorised-images. The exam's plain CNN, no augmentation: right on the
# training folder's hands, lost on the test folder's.
import urllib.request
import zipfile

import keras


def solution_model():
    keras.utils.set_random_seed(3)
    urllib.request.urlretrieve("https://storage.googleapis.com/download.tensorflow.org/data/rps.zip", "rps.zip")
    zipfile.ZipFile("rps.zip").extractall("tmp/")
    train, valid = keras.utils.image_dataset_from_directory(
        "tmp/rps/", image_size=(150, 150), validation_split=0.2, subset="both", seed=3, batch_size=16
    )
    train = train.map(lambda x, y: (x / 255.0, y)).cache()
    valid = valid.map(lambda x, y: (x / 255.0, y)).cache()
    model = keras.Sequential(
        [
            keras.Input((150, 150, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(4),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(4),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(train, validation_data=valid, epochs=12, verbose=2)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
