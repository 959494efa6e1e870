# ======================================================================
# exercise14 — horses-or-humans. Certificate category 3: a CNN on
# real-world images, binary.
# Read the statement: grade show exercise14
#
# Don't use Lambda layers in your model: you do not need them, and the
# grading infrastructure refuses them (it loads the model with safe_mode=True).
# ======================================================================
#
# Computer vision with CNNs
#
# Build a classifier for the horses-or-humans dataset. The test will expect
# it to tell whether each image shows a horse or a human.
#
# The dataset comes unlabelled apart from its class folders: use
# ImageDataGenerator (flow_from_directory with target_size=(300, 300) and
# class_mode='binary') or image_dataset_from_directory (label_mode='binary')
# to label it. Both number the folders in sorted order: horses 0, humans 1,
# as the tests do.
#
# The contract (the tests check it):
#   - input:  300x300 colour images with pixels in 0-1: input shape (300, 300, 3)
#   - output: Dense(1, activation='sigmoid'), as below. KEEP IT.
#     A prediction above 0.5 means humans.
#
# How it is tested: on the hidden validation-horse-or-human set (128 horses,
# 128 humans), each PNG resized to 300x300 and divided by 255. Accuracy 0.80
# for full marks, partial credit from 0.55. The test images differ from the
# training ones: augmentation is what passes.
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
# Before grading: grade data fetch horses-or-humans
# Then:           grade exercise14 my_solution.py
# ======================================================================

import urllib.request
import zipfile

import tensorflow as tf


def solution_model():
    # DO NOT CHANGE THESE LINES: while grading, the grader serves this file
    # (there is no network). The validation zip is the hidden test set: it is
    # not served.
    urllib.request.urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip', 'horse-or-human.zip')
    zipfile.ZipFile('horse-or-human.zip').extractall('tmp/horse-or-human/')

    TRAINING_DIR = 'tmp/horse-or-human/'  # horses/ (500 PNGs), humans/ (527 PNGs), 300x300
    # YOUR CODE HERE: label the folders, augment them and scale them to 0-1, e.g.
    #   train_datagen = tf.keras.preprocessing.image.ImageDataGenerator(
    #       rescale=1./255, rotation_range=40, zoom_range=0.2, horizontal_flip=True, ...,
    #       validation_split=0.2)
    #   train_generator = train_datagen.flow_from_directory(
    #       TRAINING_DIR, target_size=(300, 300), class_mode='binary',
    #       subset='training')
    # or tf.keras.utils.image_dataset_from_directory(TRAINING_DIR, image_size=(300, 300),
    # label_mode='binary', ...) with .map(lambda x, y: (x / 255, y)) and
    # augmentation layers at the start of the model.

    model = tf.keras.models.Sequential([
        tf.keras.Input((300, 300, 3)),  # KEEP THIS INPUT SHAPE
        # YOUR CODE HERE, BUT END WITH A 1 NEURON DENSE, ACTIVATED BY SIGMOID
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])

    # YOUR CODE HERE: compile (binary_crossentropy) and train the model
    return model


# Save your model like this ("mymodel.h5" works too). The grader runs this
# file, or grades a saved model, a notebook, or a script that leaves a
# trained model in a global `model`.
if __name__ == '__main__':
    model = solution_model()
    model.save("mymodel.keras")
