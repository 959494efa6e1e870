# Flawed: reads 20 past values where the statement says 30.
import keras
import numpy as np

path = keras.utils.get_file("seasonal_series.csv", origin="https://tfcert-grader.invalid/seasonal_series.csv")
values = np.loadtxt(path, delimiter=",", skiprows=1)[:, 1].astype("float32")
x = np.stack([values[i : i + 20] for i in range(len(values) - 20)])
model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mae")
model.fit(x, values[20:], epochs=1, verbose=0)
