"""The certificate's text pipeline, as its sarcasm starter fixed it: keras' ``Tokenizer`` fitted on
the training headlines, then ``texts_to_sequences`` and ``pad_sequences``.

Keras 3 keeps ``Tokenizer`` only under ``tf.keras.preprocessing``, as a legacy copy, and the
evaluator must encode hidden headlines exactly as a learner's ``Tokenizer(num_words=1000,
oov_token='<OOV>')`` did, whichever Keras runs it (Keras 3, tf-keras, another backend): so its rules
are written out here (tests compare them with tf-keras's own on the same texts).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

# tf-keras's defaults: these characters become spaces, then the text is lowered and split on spaces.
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_TRANSLATE = str.maketrans({c: " " for c in FILTERS})


def words(text: str) -> list[str]:
    """``text_to_word_sequence`` with the defaults: lower, filter, split on spaces, drop empties."""
    return [w for w in text.lower().translate(_TRANSLATE).split(" ") if w]


def fit_word_index(texts: Iterable[str], oov_token: str) -> dict[str, int]:
    """``Tokenizer.fit_on_texts`` then ``word_index``: words by count, most frequent first, ties in
    the order first seen (a stable sort of an insertion-ordered count), numbered from 1, the OOV
    token first."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in words(text):
            counts[word] = counts.get(word, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    vocabulary = ([oov_token] if oov_token else []) + [w for w, _ in ordered]
    return {word: i for i, word in enumerate(vocabulary, start=1)}


def to_sequences(texts: Iterable[str], word_index: dict[str, int], num_words: int, oov_token: str) -> list[list[int]]:
    """``texts_to_sequences``: indexes at or past ``num_words`` and unknown words become the OOV
    token's index (dropped where there is none)."""
    oov = word_index.get(oov_token) if oov_token else None
    sequences = []
    for text in texts:
        sequence = []
        for word in words(text):
            index = word_index.get(word)
            if index is not None and (not num_words or index < num_words):
                sequence.append(index)
            elif oov is not None:
                sequence.append(oov)
        sequences.append(sequence)
    return sequences


def pad(sequences: list[list[int]], maxlen: int, padding: str, truncating: str) -> np.ndarray:
    """``pad_sequences(maxlen=…, padding=…, truncating=…)`` with zeros, as int32."""
    out = np.zeros((len(sequences), maxlen), dtype=np.int32)
    for i, sequence in enumerate(sequences):
        if len(sequence) > maxlen:
            sequence = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        if not sequence:
            continue
        if padding == "pre":
            out[i, maxlen - len(sequence) :] = sequence
        else:
            out[i, : len(sequence)] = sequence
    return out


def encode_headlines(train: list[str], texts: list[str], text: dict) -> np.ndarray:
    """``texts`` as the starter encodes its test sentences, with the tokenizer fitted on ``train``."""
    oov = str(text.get("oov_token") or "")
    index = fit_word_index(train, oov)
    sequences = to_sequences(texts, index, int(text["num_words"]), oov)
    return pad(sequences, int(text["maxlen"]), str(text["padding"]), str(text["truncating"]))
