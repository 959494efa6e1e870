# Expected: contract-error, Lambda layer. The course's Lambda(lambda x: x * 400) after the output: the exam's
# infrastructure refused Lambda layers, as safe_mode=True does.
import csv
import urllib.request

import keras
import numpy as np


def solution_model():
    keras.utils.set_random_seed(16)
    url = "https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv"
    urllib.request.urlretrieve(url, "sunspots.csv")
    with open("sunspots.csv") as csvfile:
        reader = csv.reader(csvfile, delimiter=",")
        next(reader)
        series = np.array([float(row[2]) for row in reader], dtype="float32")
    series = (series - np.min(series)) / np.max(series)
    window_size = 30
    x = np.stack([series[i : i + window_size] for i in range(len(series) - window_size)])
    y = series[window_size:]
    model = keras.Sequential(
        [
            keras.Input((window_size,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1),
            keras.layers.Lambda(lambda v: v * 1.0),
        ]
    )
    model.compile(optimizer="adam", loss="mae")
    model.fit(x[:2700], y[:2700], validation_data=(x[2700:], y[2700:]), epochs=3, verbose=2)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
