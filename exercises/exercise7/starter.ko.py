"""exercise7 — cifar10. 문제 보기: grade show exercise7 --lang ko"""

import keras


def solution_model():
    (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    # TODO: 픽셀을 [0, 1]로 스케일링하고 CNN(Conv2D, MaxPooling2D, ...)을 만드세요
    # TODO: 출력층은 Dense(10, activation="softmax")여야 합니다
    model = None
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
