# 내 컴퓨터의 csv에서 패션 MNIST를 읽는 2020년 과제 (채점 샌드박스에는 이 파일이 없음)
import numpy as np
import pandas as pd
import keras

train = pd.read_csv('./data/fashion-mnist_train.csv')
x_train = train.drop('label', axis=1).values.reshape(60000, 28, 28) / 255.0
y_train = train['label'].values

model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])
model.compile('adam', 'sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=1)
