# Expected: passed. The exam's own route: tf.keras's Tokenizer and pad_sequences (Keras 3 keeps them under
# tf.keras.preprocessing, so it runs on Keras 3), the fixed parameters as the starter set them, token ids.
import json
import urllib.request

import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer


def solution_model():
    url = "https://storage.googleapis.com/download.tensorflow.org/data/sarcasm.json"
    urllib.request.urlretrieve(url, "sarcasm.json")

    # DO NOT CHANGE THIS CODE OR THE TESTS MAY NOT WORK
    vocab_size = 1000
    embedding_dim = 16
    max_length = 120
    trunc_type = "post"
    padding_type = "post"
    oov_tok = "<OOV>"
    training_size = 20000

    with open("sarcasm.json") as f:
        datastore = json.load(f)
    sentences = [item["headline"] for item in datastore]
    labels = [item["is_sarcastic"] for item in datastore]
    training_sentences, testing_sentences = sentences[:training_size], sentences[training_size:]
    training_labels, testing_labels = np.array(labels[:training_size]), np.array(labels[training_size:])

    tokenizer = Tokenizer(num_words=vocab_size, oov_token=oov_tok)
    tokenizer.fit_on_texts(training_sentences)
    training = pad_sequences(
        tokenizer.texts_to_sequences(training_sentences), maxlen=max_length, padding=padding_type, truncating=trunc_type
    )
    testing = pad_sequences(
        tokenizer.texts_to_sequences(testing_sentences), maxlen=max_length, padding=padding_type, truncating=trunc_type
    )

    tf.random.set_seed(15)
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Embedding(vocab_size, embedding_dim, input_length=max_length),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(24, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(training, training_labels, epochs=5, validation_data=(testing, testing_labels), verbose=2)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.h5")
