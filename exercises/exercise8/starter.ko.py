"""exercise8 — imdb. 문제 보기: grade show exercise8 --lang ko"""

import keras


def solution_model():
    (x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=10000)
    # TODO: 시퀀스를 패딩하세요: keras.utils.pad_sequences(x, maxlen=256)
    # TODO: Embedding 층이 있는 모델을 만드세요; 출력층은 Dense(1, activation="sigmoid")
    model = None
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
