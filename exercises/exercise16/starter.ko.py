# ======================================================================
# exercise16 — sunspots. 자격시험 5범주: CSV로 시계열 예측.
# 문제 보기: grade show exercise16 --lang ko
#
# 모델에 Lambda 층을 쓰지 마세요. 필요하지 않고, 채점 환경이 거부합니다
# (모델을 safe_mode=True로 불러옵니다).
# ======================================================================
#
# 시계열
#
# Sunspots.csv 데이터셋으로 흑점 활동을 예측하는 신경망을 학습하세요.
# 만점을 받으려면 정규화된 시계열에서 MAE가 0.13 미만이어야 합니다(시험은
# ".12 이하"라고 했지만, 시험의 공식은 0.13까지 5점을 줍니다).
# 데이터를 정규화하는 코드는 주어져 있으며 바꾸면 안 됩니다.
#
# 계약 (테스트가 확인합니다):
#   - 입력: 어떤 달 직전 30개월의 정규화된 값, 모양 (30,) 또는 (30, 1)
#     (아래 windowed_dataset은 (30, 1)을 만듭니다)
#   - 출력: 활성화 함수 없는 Dense(1). windowed_dataset처럼 학습한 시퀀스 출력
#     (n, 30, 1)은 마지막 스텝을, (n, 1) 출력은 그 값을 씁니다.
#
# 채점 방식: 숨겨진 각 달(3,000-3,234행)을 직전 30개월로 예측합니다. 값은 3,000개 행의
# 최솟값과 최댓값으로 정규화하며, 이 파일 맨 아래의 model_forecast와 같은 방식입니다.
# 정규화된 척도의 MAE로 시험의 점수를 냅니다: ceil(17 - 100 * MAE)를 0-5로 제한하고,
# 지표 점수는 80 x 점수 / 5입니다(MAE 0.17부터는 0점).
# 채점 중 CSV에는 0-2,999행만 들어 있습니다: 검증은 그 안에서 하세요.
#
# 채점 전에: grade data fetch sunspots
# 그다음:   grade exercise16 my_solution.py
# ======================================================================

import csv
import urllib.request

import numpy as np
import tensorflow as tf


# 이 코드는 바꾸지 마세요
def windowed_dataset(series, window_size, batch_size, shuffle_buffer):
    series = tf.expand_dims(series, axis=-1)
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(window_size + 1, shift=1, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(window_size + 1))
    ds = ds.shuffle(shuffle_buffer)
    ds = ds.map(lambda w: (w[:-1], w[1:]))
    return ds.batch(batch_size).prefetch(1)


def solution_model():
    # 이 줄은 바꾸지 마세요: 채점 중에는 채점기가 이 파일을 제공합니다
    # (네트워크는 없습니다).
    urllib.request.urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv', 'sunspots.csv')

    time_step = []
    sunspots = []

    with open('sunspots.csv') as csvfile:
        reader = csv.reader(csvfile, delimiter=',')
        next(reader)  # 머리글: ,Date,Monthly Mean Total Sunspot Number
        for row in reader:
            sunspots.append(float(row[2]))
            time_step.append(int(row[0]))

    series = np.array(sunspots)

    # 이 코드는 바꾸지 마세요
    # 정규화 코드입니다
    min = np.min(series)
    max = np.max(series)
    series -= min
    series /= max
    time = np.array(time_step)

    # 학습 세트와 검증 세트는 3000번째 스텝에서 나눠야 합니다.
    # 이 코드는 바꾸지 마세요: 숨겨진 테스트가 여기서 시작합니다.
    split_time = 3000
    # 채점 중에는 파일이 2999번째 스텝에서 끝납니다(series[split_time:]는 비어 있습니다):
    # 검증은 그 안에서 하세요. 예: series[:2700]으로 학습하고
    # series[2700:split_time]으로 검증.

    time_train = None  # 여기에 코드를 작성하세요
    x_train = None  # 여기에 코드를 작성하세요
    time_valid = None  # 여기에 코드를 작성하세요
    x_valid = None  # 여기에 코드를 작성하세요

    # 이 코드는 바꾸지 마세요
    window_size = 30
    # 이 두 값은 바꿔도 됩니다.
    batch_size = 32
    shuffle_buffer_size = 1000

    train_set = windowed_dataset(x_train, window_size=window_size, batch_size=batch_size, shuffle_buffer=shuffle_buffer_size)

    model = tf.keras.models.Sequential([
        tf.keras.Input((window_size, 1)),  # windowed_dataset의 각 윈도: (30, 1)
        # 여기에 코드를 작성하세요 (Lambda 층은 안 됩니다)
        tf.keras.layers.Dense(1)
    ])

    # 여기에 모델을 컴파일하고 학습하는 코드를 작성하세요
    return model


# 모델은 이렇게 저장하세요("mymodel.h5"도 됩니다). 채점기는 이 파일을 실행하며,
# 저장된 모델, 노트북, 학습된 모델을 전역 변수 `model`에 남기는 스크립트도 채점합니다.
if __name__ == '__main__':
    model = solution_model()
    model.save("mymodel.keras")


# 테스터는 이렇게 예측합니다. 채점 전에 모델을 확인하고 싶다면 직접 떼어 둔
# 검증 구간(여기서는 2700번째 달부터, 각 달을 직전 30개월로)에 이 코드를 쓰세요:
#
# def model_forecast(model, series, window_size):
#     ds = tf.data.Dataset.from_tensor_slices(series)
#     ds = ds.window(window_size, shift=1, drop_remainder=True)
#     ds = ds.flat_map(lambda w: w.batch(window_size))
#     ds = ds.batch(32).prefetch(1)
#     forecast = model.predict(ds)
#     return forecast
#
# valid_time = 2700
# rnn_forecast = model_forecast(model, series[..., np.newaxis], window_size)
# rnn_forecast = rnn_forecast[valid_time - window_size:-1, -1, 0]  # (n, 1) 출력이면: [valid_time - window_size:-1, 0]
# result = np.mean(np.abs(series[valid_time:] - rnn_forecast))
#
# 최고 점수를 받으려면 모델의 MAE가 0.13 미만이어야 합니다.
# 채점기는 모델의 MAE를 다음과 같이 0-5점으로 바꿉니다:
#
# import math
# test_val = 100 * result
# score = math.ceil(17 - test_val)
# score = min(max(score, 0), 5)
# print(score)
