"""exercise4 — regression. 문제 보기: grade show exercise4 --lang ko"""

import keras


def solution_model():
    (x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
    # TODO: 첫 층으로 Normalization을 두고 x_train에 adapt 하세요
    # TODO: 출력층은 활성화 함수 없는 Dense(1)입니다
    model = None
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
