# ======================================================================
# exercise13 — rps. Certificate category 3: a CNN on real-world images.
# Read the statement: grade show exercise13
#
# Don't use Lambda layers in your model: you do not need them, and the
# grading infrastructure refuses them (it loads the model with safe_mode=True).
# ======================================================================
#
# Computer vision with CNNs
#
# Build a classifier for the rock-paper-scissors dataset. The test will
# expect it to classify each image as paper, rock or scissors.
#
# The dataset comes unlabelled apart from its class folders: use
# ImageDataGenerator (flow_from_directory) or image_dataset_from_directory to
# label it. Both number the folders in sorted order: paper 0, rock 1,
# scissors 2, as the tests do.
#
# The contract (the tests check it):
#   - input:  150x150 colour images with pixels in 0-1: input shape (150, 150, 3)
#   - output: Dense(3, activation='softmax'), as below. KEEP IT.
#
# How it is tested: on the hidden rps-test-set (124 images a class), each PNG
# resized to 150x150 and divided by 255. Accuracy 0.85 for full marks,
# partial credit from 0.60. The test hands differ from the training ones:
# augmentation (rotations, shifts, zooms, flips) is what passes.
#
# Scale the pixels OUTSIDE the model: ImageDataGenerator(rescale=1./255) or
# dataset.map(lambda x, y: (x / 255, y)). Not a Rescaling layer inside the
# model: the tests already feed pixels in 0-1.
#
# The exam's ImageDataGenerator runs as it is: Keras 3 keeps it as
# tf.keras.preprocessing.image.ImageDataGenerator. A file that imports it the
# Keras 2 way (from keras.preprocessing.image import ImageDataGenerator) is
# graded on the Keras 2 route (tf-keras) automatically.
#
# Before grading: grade data fetch rps
# Then:           grade exercise13 my_solution.py
# ======================================================================

import urllib.request
import zipfile

import tensorflow as tf


def solution_model():
    # DO NOT CHANGE THESE LINES: while grading, the grader serves this file
    # (there is no network).
    urllib.request.urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/rps.zip', 'rps.zip')
    zipfile.ZipFile('rps.zip').extractall('tmp/')

    TRAINING_DIR = 'tmp/rps/'  # paper/, rock/, scissors/: 840 PNGs each, 300x300
    # YOUR CODE HERE: label the folders, augment them and scale them to 0-1, e.g.
    #   training_datagen = tf.keras.preprocessing.image.ImageDataGenerator(
    #       rescale=1./255, rotation_range=40, width_shift_range=0.2, ...,
    #       validation_split=0.2)
    #   train_generator = training_datagen.flow_from_directory(
    #       TRAINING_DIR, target_size=(150, 150), class_mode='categorical',
    #       subset='training')
    # or tf.keras.utils.image_dataset_from_directory(TRAINING_DIR, image_size=(150, 150), ...)
    # with .map(lambda x, y: (x / 255, y)) and augmentation layers
    # (RandomFlip, RandomRotation, RandomZoom) at the start of the model.

    model = tf.keras.models.Sequential([
        tf.keras.Input((150, 150, 3)),  # KEEP THIS INPUT SHAPE
        # YOUR CODE HERE, BUT END WITH A 3 NEURON DENSE, ACTIVATED BY SOFTMAX
        tf.keras.layers.Dense(3, activation='softmax')
    ])

    # YOUR CODE HERE: compile and train the model
    return model


# Save your model like this ("mymodel.h5" works too). The grader runs this
# file, or grades a saved model, a notebook, or a script that leaves a
# trained model in a global `model`.
if __name__ == '__main__':
    model = solution_model()
    model.save("mymodel.keras")
