# ======================================================================
# exercise15 — sarcasm. 자격시험 4범주: 원본 텍스트로 자연어 처리.
# 문제 보기: grade show exercise15 --lang ko
#
# 모델에 Lambda 층을 쓰지 마세요. 필요하지 않고, 채점 환경이 거부합니다
# (모델을 safe_mode=True로 불러옵니다).
# ======================================================================
#
# 자연어 처리(NLP)
#
# 풍자(sarcasm) 데이터셋의 분류기를 만들고 학습하세요. 분류기의 마지막 층은
# 아래처럼 sigmoid를 쓰는 뉴런 1개여야 합니다. 신경망이 본 적 없는 헤드라인으로
# 테스트하며, 그 헤드라인에서 풍자를 제대로 가려냈는지로 점수를 매깁니다.
#
# 계약 (테스트가 확인합니다):
#   - 아래 매개변수는 고정입니다: 바꾸지 마세요. 하나라도 바꾸면(예: max_length를
#     100으로) 그 이름을 밝힌 계약 오류가 됩니다.
#   - 모델에는 Embedding(vocab_size, embedding_dim) = Embedding(1000, 16)이 있어야 합니다
#   - 출력: 아래의 Dense(1, activation='sigmoid'). 그대로 두세요.
#   - 입력은 둘 중 하나:
#       토큰 ID: 테스트는 처음 20,000개 헤드라인으로 학습한
#         Tokenizer(num_words=1000, oov_token='<OOV>')로 숨겨진 헤드라인을 인코딩한 뒤
#         pad_sequences(maxlen=120, padding='post', truncating='post')를 적용합니다.
#         토크나이저도 바로 그 헤드라인으로 학습하세요.
#       원본 문자열: TextVectorization(max_tokens=1000, output_sequence_length=120)으로
#         시작하는 모델은 헤드라인을 그대로 받습니다.
#
# 채점 방식: 처음 20,000개 다음의 숨겨진 헤드라인으로 테스트합니다. 정확도 0.80이면
# 만점이고 0.65부터 부분 점수입니다.
# 채점 중 sarcasm.json에는 0-19,999번 레코드 뒤에 그중에서 뽑은 레코드 6,709개가
# 들어 있습니다: sentences[training_size:]의 길이는 그대로지만, 학습에 쓴 헤드라인이라
# 그 정확도는 실제보다 좋게 나옵니다.
#
# 시험의 Tokenizer와 pad_sequences는 그대로 돌아갑니다: Keras 3에도
# tf.keras.preprocessing 아래에 있습니다. Keras 2 방식
# (from keras.preprocessing.text import Tokenizer)으로 가져오는 파일은 자동으로
# Keras 2 경로(tf-keras)에서 채점됩니다.
#
# 채점 전에: grade data fetch sarcasm
# 그다음:   grade exercise15 my_solution.py
# ======================================================================

import json
import urllib.request

import numpy as np
import tensorflow as tf


def solution_model():
    # 이 줄은 바꾸지 마세요: 채점 중에는 채점기가 이 파일을 제공합니다
    # (네트워크는 없습니다).
    urllib.request.urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/sarcasm.json', 'sarcasm.json')

    # 이 코드는 바꾸지 마세요. 바꾸면 테스트가 동작하지 않을 수 있습니다
    vocab_size = 1000
    embedding_dim = 16
    max_length = 120
    trunc_type = 'post'
    padding_type = 'post'
    oov_tok = "<OOV>"
    training_size = 20000

    sentences = []
    labels = []
    # 여기에 코드를 작성하세요: sarcasm.json(레코드
    # {"article_link", "headline", "is_sarcastic"}의 JSON 배열 하나)을 읽어 sentences와
    # labels를 채우고, 그중 처음 training_size개로 학습하세요. 예(시험 방식):
    #   tokenizer = tf.keras.preprocessing.text.Tokenizer(num_words=vocab_size, oov_token=oov_tok)
    #   tokenizer.fit_on_texts(training_sentences)
    #   training_padded = tf.keras.preprocessing.sequence.pad_sequences(
    #       tokenizer.texts_to_sequences(training_sentences), maxlen=max_length,
    #       padding=padding_type, truncating=trunc_type)
    # 또는 training_sentences로 adapt한 tf.keras.layers.TextVectorization(
    # max_tokens=vocab_size, output_sequence_length=max_length)을 모델의 첫 층으로 두세요.

    model = tf.keras.Sequential([
        # 여기에 코드를 작성하세요: tf.keras.layers.Embedding(vocab_size, embedding_dim)과 그 뒤의 층.
        # 이 출력층은 그대로 두세요. 바꾸면 테스트가 실패할 수 있습니다
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])

    # 여기에 코드를 작성하세요: 모델을 컴파일하고 학습하세요
    return model


# 모델은 이렇게 저장하세요("mymodel.h5"도 됩니다). 채점기는 이 파일을 실행하며,
# 저장된 모델, 노트북, 학습된 모델을 전역 변수 `model`에 남기는 스크립트도 채점합니다.
if __name__ == '__main__':
    model = solution_model()
    model.save("mymodel.keras")
