# ======================================================================
# exercise12 — linear. Certificate category 1: a basic model.
# Read the statement: grade show exercise12
#
# Don't use Lambda layers in your model: you do not need them, and the
# grading infrastructure refuses them (it loads the model with safe_mode=True).
# ======================================================================
#
# Basic model
#
# Given these points, train a neural network to match the xs to the ys so
# that a prediction for a new value of x is very close to the line they lie
# on, y = 2x - 1: print(model.predict(np.array([[10.0]]))) should print
# about 19.
#
# The test infrastructure expects a trained model that accepts an input
# shape of [1], and its output must be one Dense(1) unit without an
# activation (a linear output).
#
# How it is tested: on 81 hidden points x = -10, -9.75, ..., 10, far beyond
# the six below. Its MSE there must be 0.0001 or less for full marks
# (partial credit from 0.01). A model that only curves through the six points
# (hidden relu layers) is not linear outside them, and fails.
#
# Then:           grade exercise12 my_solution.py
# ======================================================================

import numpy as np
import tensorflow as tf


def solution_model():
    # DO NOT CHANGE THESE ARRAYS: the six points lie on y = 2x - 1
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float)
    ys = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], dtype=float)

    # YOUR CODE HERE: a model with input shape [1] and a Dense(1) output
    # without activation, compiled and trained on xs and ys.
    model = None
    return model


# Save your model like this ("mymodel.h5" works too). The grader runs this
# file, or grades a saved model, a notebook, or a script that leaves a
# trained model in a global `model`.
if __name__ == '__main__':
    model = solution_model()
    model.save("mymodel.keras")
