"""Reference solution for exercise15 (sarcasm): the starter's fixed parameters, in Keras 3.

The model carries its own TextVectorization (max_tokens=vocab_size, output_sequence_length=max_length),
so it reads raw headlines and the grader feeds them as they are; then the fixed Embedding(1000, 16),
an average over the words (the padding masked out), and one sigmoid unit. It validates on the last
2,000 of the training_size headlines, never on the records after them: while grading those repeat
training ones, so a loss measured there keeps falling as the model overfits, and stopping on it
would not stop. It stops when the held-out loss stops falling and keeps the best weights.
Estimate for the real sarcasm.json on 2 CPU cores (not measured here: the file cannot be downloaded
in this environment): about 3 s an epoch, 5-15 epochs, under a minute, reaching about 0.82 on the
held-out headlines.
"""

import json
import urllib.request

import keras
import numpy as np
import tensorflow as tf

# DO NOT CHANGE THIS CODE OR THE TESTS MAY NOT WORK
vocab_size = 1000
embedding_dim = 16
max_length = 120
trunc_type = "post"
padding_type = "post"
oov_tok = "<OOV>"
training_size = 20000


def solution_model():
    keras.utils.set_random_seed(15)  # the same weights on every run
    url = "https://storage.googleapis.com/download.tensorflow.org/data/sarcasm.json"
    urllib.request.urlretrieve(url, "sarcasm.json")
    with open("sarcasm.json", encoding="utf-8") as f:
        datastore = json.load(f)
    sentences = [item["headline"] for item in datastore]
    labels = np.array([item["is_sarcastic"] for item in datastore], dtype="float32")
    training_sentences, training_labels = sentences[:training_size], labels[:training_size]
    # sentences[training_size:] repeats training headlines while grading: hold out the last 2,000 instead.
    cut = len(training_sentences) - len(training_sentences) // 10
    # Headlines as a string tensor, one per row (Keras 3 takes no numpy array of strings).
    rows = tf.constant(training_sentences)[:, None]
    train = tf.data.Dataset.from_tensor_slices((rows[:cut], training_labels[:cut]))
    valid = tf.data.Dataset.from_tensor_slices((rows[cut:], training_labels[cut:]))

    # The exam's Tokenizer lowers and splits on spaces after dropping punctuation; so does this.
    vectorize = keras.layers.TextVectorization(max_tokens=vocab_size, output_sequence_length=max_length)
    vectorize.adapt(training_sentences[:cut])  # the headlines it trains on: the held-out ones stay unseen

    model = keras.Sequential(
        [
            keras.Input((1,), dtype="string"),
            vectorize,
            keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True),  # average the words, not the padding
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(24, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    model.fit(
        train.shuffle(cut, seed=15).batch(32),
        epochs=30,
        validation_data=valid.batch(256),
        callbacks=[stop],
        verbose=2,
    )
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
