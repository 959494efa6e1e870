# 수업 코드 그대로: TensorBoard 콜백으로 학습 기록을 남기며 최상위에서 학습 (graph 폴더)
import numpy as np
from tensorflow.keras.callbacks import EarlyStopping, TensorBoard
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size가 잘못되었습니다")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


data = split_x(np.arange(1, 21), 5)
x, y = data[:, :4], data[:, 4]
model = Sequential([Dense(8, input_shape=(4,), activation="relu"), Dense(1)])
model.compile(loss="mse", optimizer="adam")
tb_hist = TensorBoard(log_dir="graph", histogram_freq=0, write_graph=True, write_images=True)
early = EarlyStopping(monitor="loss", patience=3)
model.fit(x, y, epochs=3, batch_size=2, verbose=0, callbacks=[early, tb_hist])
print("tensorboard logs written")
