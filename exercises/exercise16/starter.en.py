# ======================================================================
# exercise16 — sunspots. Certificate category 5: a time series from a CSV.
# Read the statement: grade show exercise16
#
# Don't use Lambda layers in your model: you do not need them, and the
# grading infrastructure refuses them (it loads the model with safe_mode=True).
# ======================================================================
#
# Time series
#
# Train a neural network to predict sunspot activity using the Sunspots.csv
# dataset. Your model must have an MAE below 0.13 on the normalised series
# for top marks (the exam said ".12 or less"; its formula gives 5 up to 0.13).
# The code that normalises the data is provided and must not be changed.
#
# The contract (the tests check it):
#   - input: the 30 normalised values before a month, shape (30,) or (30, 1)
#     (the windowed_dataset below gives (30, 1))
#   - output: a Dense(1) without activation. A sequence output (n, 30, 1), as
#     windowed_dataset trains it, gives its last step; an (n, 1) output its value.
#
# How it is tested: each hidden month (rows 3,000-3,234) is forecast from the
# 30 months before it, normalised with the min and max of the 3,000 rows,
# as model_forecast at the bottom of this file does. The MAE on the
# normalised scale gives the exam's score: ceil(17 - 100 * MAE), kept within
# 0-5; the metric's points are 80 x score / 5 (none from an MAE of 0.17).
# While grading, the CSV holds rows 0-2,999 only: validate inside them.
#
# Before grading: grade data fetch sunspots
# Then:           grade exercise16 my_solution.py
# ======================================================================

import csv
import urllib.request

import numpy as np
import tensorflow as tf


# DO NOT CHANGE THIS CODE
def windowed_dataset(series, window_size, batch_size, shuffle_buffer):
    series = tf.expand_dims(series, axis=-1)
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(window_size + 1, shift=1, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(window_size + 1))
    ds = ds.shuffle(shuffle_buffer)
    ds = ds.map(lambda w: (w[:-1], w[1:]))
    return ds.batch(batch_size).prefetch(1)


def solution_model():
    # DO NOT CHANGE THIS LINE: while grading, the grader serves this file
    # (there is no network).
    urllib.request.urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv', 'sunspots.csv')

    time_step = []
    sunspots = []

    with open('sunspots.csv') as csvfile:
        reader = csv.reader(csvfile, delimiter=',')
        next(reader)  # the header: ,Date,Monthly Mean Total Sunspot Number
        for row in reader:
            sunspots.append(float(row[2]))
            time_step.append(int(row[0]))

    series = np.array(sunspots)

    # DO NOT CHANGE THIS CODE
    # This is the normalization function
    min = np.min(series)
    max = np.max(series)
    series -= min
    series /= max
    time = np.array(time_step)

    # The data should be split into training and validation sets at time
    # step 3000. DO NOT CHANGE THIS CODE: the hidden test starts there.
    split_time = 3000
    # While grading, the file stops at step 2999 (series[split_time:] is empty):
    # validate inside the history, e.g. train on series[:2700] and validate on
    # series[2700:split_time].

    time_train = None  # YOUR CODE HERE
    x_train = None  # YOUR CODE HERE
    time_valid = None  # YOUR CODE HERE
    x_valid = None  # YOUR CODE HERE

    # DO NOT CHANGE THIS CODE
    window_size = 30
    # You may change these two.
    batch_size = 32
    shuffle_buffer_size = 1000

    train_set = windowed_dataset(x_train, window_size=window_size, batch_size=batch_size, shuffle_buffer=shuffle_buffer_size)

    model = tf.keras.models.Sequential([
        tf.keras.Input((window_size, 1)),  # each window from windowed_dataset: (30, 1)
        # YOUR CODE HERE (no Lambda layers)
        tf.keras.layers.Dense(1)
    ])

    # YOUR CODE HERE TO COMPILE AND TRAIN THE MODEL
    return model


# Save your model like this ("mymodel.h5" works too). The grader runs this
# file, or grades a saved model, a notebook, or a script that leaves a
# trained model in a global `model`.
if __name__ == '__main__':
    model = solution_model()
    model.save("mymodel.keras")


# THIS IS HOW THE TESTER FORECASTS. IF YOU WANT TO CHECK YOUR MODEL BEFORE
# GRADING, YOU CAN DO IT WITH THIS, on your own validation part (here the
# months from 2700 on, each from the 30 before it):
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
# rnn_forecast = rnn_forecast[valid_time - window_size:-1, -1, 0]  # for an (n, 1) output: [valid_time - window_size:-1, 0]
# result = np.mean(np.abs(series[valid_time:] - rnn_forecast))
#
# To get the maximum score, your model must have an MAE below 0.13.
# The grader converts the MAE of your model to a score from 0 to 5 as follows:
#
# import math
# test_val = 100 * result
# score = math.ceil(17 - test_val)
# score = min(max(score, 0), 5)
# print(score)
