# ======================================================================
# exercise14 — horses-or-humans. 자격시험 3범주: 실제 이미지로 CNN 만들기,
# 이진 분류.
# 문제 보기: grade show exercise14 --lang ko
#
# 모델에 Lambda 층을 쓰지 마세요. 필요하지 않고, 채점 환경이 거부합니다
# (모델을 safe_mode=True로 불러옵니다).
# ======================================================================
#
# CNN을 이용한 컴퓨터 비전
#
# 말 또는 사람(horses-or-humans) 데이터셋의 분류기를 만드세요. 테스트는
# 각 이미지가 말인지 사람인지 가려내기를 기대합니다.
#
# 데이터셋에는 클래스 폴더 말고는 레이블이 없습니다: ImageDataGenerator
# (target_size=(300, 300), class_mode='binary'인 flow_from_directory)나
# image_dataset_from_directory(label_mode='binary')로 레이블을 붙이세요.
# 둘 다 폴더를 이름순으로 번호 매깁니다: horses 0, humans 1. 테스트도 같은 순서를 씁니다.
#
# 계약 (테스트가 확인합니다):
#   - 입력: 픽셀이 0-1인 300x300 컬러 이미지: 입력 모양 (300, 300, 3)
#   - 출력: 아래의 Dense(1, activation='sigmoid'). 그대로 두세요.
#     예측값이 0.5보다 크면 사람(humans)입니다.
#
# 채점 방식: 숨겨진 validation-horse-or-human 세트(말 128장, 사람 128장)로
# 테스트합니다. 각 PNG를 300x300으로 크기 조정하고 255로 나눕니다. 정확도 0.80이면
# 만점이고 0.55부터 부분 점수입니다. 테스트 이미지는 학습 이미지와 다릅니다:
# 데이터 증강이 있어야 통과합니다.
#
# 픽셀 스케일링은 모델 밖에서 하세요: ImageDataGenerator(rescale=1./255) 또는
# dataset.map(lambda x, y: (x / 255, y)). 모델 안의 Rescaling 층은 안 됩니다:
# 테스트는 이미 0-1 픽셀을 넣습니다.
#
# 시험의 ImageDataGenerator는 그대로 돌아갑니다: Keras 3에도
# tf.keras.preprocessing.image.ImageDataGenerator가 있습니다. Keras 2 방식
# (from keras.preprocessing.image import ImageDataGenerator)으로 가져오는
# 파일은 자동으로 Keras 2 경로(tf-keras)에서 채점됩니다.
#
# 채점 전에: grade data fetch horses-or-humans
# 그다음:   grade exercise14 my_solution.py
# ======================================================================

import urllib.request
import zipfile

import tensorflow as tf


def solution_model():
    # 이 줄은 바꾸지 마세요: 채점 중에는 채점기가 이 파일을 제공합니다
    # (네트워크는 없습니다). 검증용 zip은 숨겨진 테스트 세트라서 제공되지 않습니다.
    urllib.request.urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip', 'horse-or-human.zip')
    zipfile.ZipFile('horse-or-human.zip').extractall('tmp/horse-or-human/')

    TRAINING_DIR = 'tmp/horse-or-human/'  # horses/ (PNG 500장), humans/ (PNG 527장), 300x300
    # 여기에 코드를 작성하세요: 폴더로 레이블을 붙이고, 증강하고, 0-1로 스케일링하세요. 예:
    #   train_datagen = tf.keras.preprocessing.image.ImageDataGenerator(
    #       rescale=1./255, rotation_range=40, zoom_range=0.2, horizontal_flip=True, ...,
    #       validation_split=0.2)
    #   train_generator = train_datagen.flow_from_directory(
    #       TRAINING_DIR, target_size=(300, 300), class_mode='binary',
    #       subset='training')
    # 또는 tf.keras.utils.image_dataset_from_directory(TRAINING_DIR, image_size=(300, 300),
    # label_mode='binary', ...)에 .map(lambda x, y: (x / 255, y))를 쓰고,
    # 모델 앞부분에 증강 층을 두세요.

    model = tf.keras.models.Sequential([
        tf.keras.Input((300, 300, 3)),  # 이 입력 모양은 그대로 두세요
        # 여기에 코드를 작성하세요. 단, 마지막은 sigmoid를 쓰는 뉴런 1개짜리 Dense여야 합니다
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])

    # 여기에 코드를 작성하세요: 모델을 컴파일(binary_crossentropy)하고 학습하세요
    return model


# 모델은 이렇게 저장하세요("mymodel.h5"도 됩니다). 채점기는 이 파일을 실행하며,
# 저장된 모델, 노트북, 학습된 모델을 전역 변수 `model`에 남기는 스크립트도 채점합니다.
if __name__ == '__main__':
    model = solution_model()
    model.save("mymodel.keras")
