# Expected: contract-error, output units. Two softmax outputs for two folders: the exam's binary contract is
# one sigmoid unit.
import urllib.request
import zipfile

import keras


def solution_model():
    keras.utils.set_random_seed(5)
    url = "https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip"
    urllib.request.urlretrieve(url, "horse-or-human.zip")
    zipfile.ZipFile("horse-or-human.zip").extractall("tmp/horse-or-human/")
    train = keras.utils.image_dataset_from_directory(
        "tmp/horse-or-human/", image_size=(300, 300), batch_size=32, label_mode="int"
    ).map(lambda x, y: (x / 255.0, y))
    model = keras.Sequential(
        [
            keras.Input((300, 300, 3)),
            keras.layers.Conv2D(8, 3, strides=4, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(train, epochs=1, verbose=2)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
