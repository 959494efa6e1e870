"""exercise6 — mnist. 문제 보기: grade show exercise6 --lang ko"""

import keras


def solution_model():
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    # TODO: 데이터를 불러와 픽셀을 [0, 1]로 스케일링하고, 모델을 만들어 compile과 fit을 하세요.
    # TODO: 출력층은 Dense(10, activation="softmax")여야 합니다
    model = None
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
