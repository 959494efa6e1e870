# Flawed: predicts the level itself from normalized windows. The hidden tail lies above the whole
# history (the trend), so it under-forecasts there: MAE around 5.4, partial credit only.
import keras
import numpy as np

path = keras.utils.get_file("seasonal_series.csv", origin="https://tfcert-grader.invalid/seasonal_series.csv")
values = np.loadtxt(path, delimiter=",", skiprows=1)[:, 1].astype("float32")
x = np.stack([values[i : i + 30] for i in range(len(values) - 30)])
y = values[30:]
normalization = keras.layers.Normalization(axis=None)
normalization.adapt(values)
model = keras.Sequential(
    [keras.Input((30,)), normalization, keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)]
)
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mae")
model.fit(x, y, epochs=15, batch_size=32, verbose=0)
