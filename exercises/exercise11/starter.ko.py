"""exercise11 — forecast. 문제 보기: grade show exercise11 --lang ko"""

import keras
import numpy as np

WINDOW = 30


def solution_model():
    path = keras.utils.get_file("seasonal_series.csv", origin="https://tfcert-grader.invalid/seasonal_series.csv")
    values = np.loadtxt(path, delimiter=",", skiprows=1)[:, 1].astype("float32")
    # TODO: 검증용으로 `values`의 끝부분을 떼어 내세요
    # TODO: (30개 값 -> 다음 값) 윈도를 만드세요
    # TODO: 입력 (30,) 또는 (30, 1), 출력 Dense(1)인 모델을 윈도로 학습하세요
    model = None
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
