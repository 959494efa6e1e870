# Expected: failed, the coach's lagging-forecast. Each window is labelled with its own last value, not
# the value after it: the model learns to repeat the last month, one step behind.
import csv
import urllib.request

import keras
import numpy as np


def solution_model():
    keras.utils.set_random_seed(16)
    url = "https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv"
    urllib.request.urlretrieve(url, "sunspots.csv")
    sunspots = []
    with open("sunspots.csv") as csvfile:
        reader = csv.reader(csvfile, delimiter=",")
        next(reader)
        for row in reader:
            sunspots.append(float(row[2]))
    series = np.array(sunspots, dtype="float32")
    # DO NOT CHANGE THIS CODE
    min = np.min(series)
    max = np.max(series)
    series -= min
    series /= max
    window_size = 30

    x = np.stack([series[i : i + window_size] for i in range(len(series) - window_size)])
    y = x[:, -1]  # the flaw: the window's own last value
    model = keras.Sequential(
        [keras.Input((window_size,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mae")
    model.fit(x[:2700], y[:2700], validation_data=(x[2700:], y[2700:]), epochs=20, verbose=2)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
