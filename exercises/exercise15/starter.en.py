# ======================================================================
# exercise15 — sarcasm. Certificate category 4: NLP on raw text.
# Read the statement: grade show exercise15
#
# Don't use Lambda layers in your model: you do not need them, and the
# grading infrastructure refuses them (it loads the model with safe_mode=True).
# ======================================================================
#
# NLP
#
# Build and train a classifier for the sarcasm dataset. The classifier should
# have a final layer with 1 neuron activated by sigmoid, as shown. It will be
# tested against a number of headlines the network hasn't previously seen,
# and you will be scored on whether sarcasm was correctly detected in them.
#
# The contract (the tests check it):
#   - the parameters below are fixed: DO NOT CHANGE THEM. Changing one (a
#     max_length of 100, say) is a contract error that names it.
#   - the model holds an Embedding(vocab_size, embedding_dim) = Embedding(1000, 16)
#   - output: Dense(1, activation='sigmoid'), as below. KEEP IT.
#   - its input, either of:
#       token ids: the tests encode each hidden headline with
#         Tokenizer(num_words=1000, oov_token='<OOV>') fitted on the first
#         20,000 headlines, then pad_sequences(maxlen=120, padding='post',
#         truncating='post'). Fit your tokenizer on those same headlines.
#       raw strings: a model that starts with
#         TextVectorization(max_tokens=1000, output_sequence_length=120)
#         gets the headlines as they are.
#
# How it is tested: on the hidden headlines after the first 20,000. Accuracy
# 0.80 for full marks, partial credit from 0.65.
# While grading, sarcasm.json holds records 0-19,999 followed by 6,709 records
# drawn from them: sentences[training_size:] keeps its length, but those
# headlines were trained on, so accuracy there is optimistic.
#
# The exam's Tokenizer and pad_sequences run as they are: Keras 3 keeps them
# under tf.keras.preprocessing. A file that imports them the Keras 2 way
# (from keras.preprocessing.text import Tokenizer) is graded on the Keras 2
# route (tf-keras) automatically.
#
# Before grading: grade data fetch sarcasm
# Then:           grade exercise15 my_solution.py
# ======================================================================

import json
import urllib.request

import numpy as np
import tensorflow as tf


def solution_model():
    # DO NOT CHANGE THIS LINE: while grading, the grader serves this file
    # (there is no network).
    urllib.request.urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/sarcasm.json', 'sarcasm.json')

    # DO NOT CHANGE THIS CODE OR THE TESTS MAY NOT WORK
    vocab_size = 1000
    embedding_dim = 16
    max_length = 120
    trunc_type = 'post'
    padding_type = 'post'
    oov_tok = "<OOV>"
    training_size = 20000

    sentences = []
    labels = []
    # YOUR CODE HERE: read sarcasm.json (one JSON array of records
    # {"article_link", "headline", "is_sarcastic"}), fill sentences and labels,
    # and train on the first training_size of them, e.g. (the exam's way):
    #   tokenizer = tf.keras.preprocessing.text.Tokenizer(num_words=vocab_size, oov_token=oov_tok)
    #   tokenizer.fit_on_texts(training_sentences)
    #   training_padded = tf.keras.preprocessing.sequence.pad_sequences(
    #       tokenizer.texts_to_sequences(training_sentences), maxlen=max_length,
    #       padding=padding_type, truncating=trunc_type)
    # or a tf.keras.layers.TextVectorization(max_tokens=vocab_size,
    # output_sequence_length=max_length), adapted on training_sentences, as the
    # model's first layer.

    model = tf.keras.Sequential([
        # YOUR CODE HERE: tf.keras.layers.Embedding(vocab_size, embedding_dim) and what follows.
        # KEEP THIS OUTPUT LAYER INTACT OR TESTS MAY FAIL
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])

    # YOUR CODE HERE: compile and train the model
    return model


# Save your model like this ("mymodel.h5" works too). The grader runs this
# file, or grades a saved model, a notebook, or a script that leaves a
# trained model in a global `model`.
if __name__ == '__main__':
    model = solution_model()
    model.save("mymodel.keras")
