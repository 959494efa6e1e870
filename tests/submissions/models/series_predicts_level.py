# 다음 날 값을 그대로 예측하는 모델 (the model predicts the level itself, 40 epochs): its errors on the
# hidden tail, which lies above the history, lean to one side.
import keras
import numpy as np

keras.utils.set_random_seed(3)

WINDOW = 30

path = keras.utils.get_file("seasonal_series.csv", origin="https://tfcert-grader.invalid/seasonal_series.csv")
values = np.loadtxt(path, delimiter=",", skiprows=1)[:, 1].astype("float32")
x = np.stack([values[i : i + WINDOW] for i in range(len(values) - WINDOW)])
y = values[WINDOW:]
split = int(len(x) * 0.8)

normalize = keras.layers.Normalization(axis=None)
normalize.adapt(values)
model = keras.Sequential(
    [keras.Input((WINDOW,)), normalize, keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)]
)
model.compile(optimizer="adam", loss="mae")
model.fit(x[:split], y[:split], epochs=40, batch_size=32, validation_data=(x[split:], y[split:]), verbose=2)
