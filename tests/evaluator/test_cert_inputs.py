"""The certificate's raw forms on the evaluator's side: the sarcasm starter's tokenizer written
out, the sunspots starter's normalisation and forecast, and raw strings for a model that reads
them. Pure numpy; one test compares the tokenizer with tf-keras's own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.evaluator.inputs import HiddenSet, forecast, prepare_inputs, scaled_series, series_windows
from grader.evaluator.tokenizer import encode_headlines, fit_word_index, to_sequences, words

SARCASM = {"num_words": 1000, "maxlen": 120, "padding": "post", "truncating": "post", "oov_token": "<OOV>"}


def test_words_are_split_as_keras_filters_them() -> None:
    assert words("Trump's U.S. visit: 'great'!\tok") == ["trump's", "u", "s", "visit", "'great'", "ok"]
    assert words("  ") == []


def test_the_oov_token_comes_first_and_rare_words_become_it() -> None:
    index = fit_word_index(["b a a", "c a b"], "<OOV>")
    assert index == {"<OOV>": 1, "a": 2, "b": 3, "c": 4}
    assert to_sequences(["a c d"], index, num_words=4, oov_token="<OOV>") == [[2, 1, 1]]  # c is index 4: past 4


def test_headlines_are_padded_and_cut_after_their_end() -> None:
    encoded = encode_headlines(["a b c"] * 3, ["a b", " ".join(["a"] * 130)], SARCASM)
    assert encoded.shape == (2, 120) and encoded.dtype == np.int32
    assert list(encoded[0, :3]) == [2, 3, 0] and (encoded[1] == 2).all()


_texts = st.lists(
    st.text(alphabet=st.sampled_from(list("abcdefgh xyz'.,!?-\t가나é")), max_size=60), min_size=1, max_size=40
)


@settings(max_examples=40, deadline=None)
@given(train=_texts, test=_texts, num_words=st.integers(2, 12), maxlen=st.integers(1, 9))
def test_the_tokenizer_encodes_exactly_as_tf_keras(train, test, num_words, maxlen) -> None:
    text_module = pytest.importorskip("tf_keras.preprocessing.text")
    sequence_module = pytest.importorskip("tf_keras.preprocessing.sequence")
    tokenizer = text_module.Tokenizer(num_words=num_words, oov_token="<OOV>")
    tokenizer.fit_on_texts(train)
    theirs = sequence_module.pad_sequences(
        tokenizer.texts_to_sequences(test), maxlen=maxlen, padding="post", truncating="post"
    )
    form = dict(SARCASM, num_words=num_words, maxlen=maxlen)
    assert (encode_headlines(train, test, form) == theirs).all()


def test_the_series_is_normalised_as_the_sunspots_starter_does() -> None:
    history, tail = np.array([10.0, 50.0, 210.0]), np.array([110.0, 0.0])
    series = np.concatenate([history, tail])
    low, high = np.min(series[:3]), np.max(series[:3])  # the starter: series -= min; series /= max
    h, t = scaled_series(history, tail, "max")
    assert np.allclose(np.concatenate([h, t]), (series - low) / high)
    assert scaled_series(history, tail, "raw")[1] is tail


def test_each_hidden_month_is_forecast_from_the_thirty_before_it() -> None:
    values = np.arange(40.0)
    x, y = series_windows(values[:35], values[35:], 30)
    assert x.shape == (5, 30) and list(x[0][[0, -1]]) == [5, 34] and list(y) == [35, 36, 37, 38, 39]


def test_a_sequence_output_forecasts_with_its_last_step() -> None:
    sequence = np.arange(2 * 30, dtype=np.float32).reshape(2, 30, 1)
    values, was_sequence = forecast(sequence)
    assert list(values) == [29, 59] and was_sequence
    values, was_sequence = forecast(np.array([[1.5], [2.5]]))
    assert list(values) == [1.5, 2.5] and not was_sequence


def test_a_model_that_reads_strings_gets_the_raw_headlines_in_its_shape() -> None:
    headlines = np.array(["one headline", "another"], dtype=object)
    test_set = HiddenSet(np.zeros((2, 120), dtype=np.int32), np.array([0, 1]), strings=headlines)
    x, problem = prepare_inputs(test_set, (None, 1), strings=True)
    assert problem is None and x.shape == (2, 1) and x[1, 0] == "another"
    x, _ = prepare_inputs(test_set, (None,), strings=True)
    assert x.shape == (2,)
    x, _ = prepare_inputs(test_set, (None, 120), strings=False)
    assert x.dtype == np.int32
    _, problem = prepare_inputs(test_set, (None, 100), strings=False)
    assert "cannot be reshaped" in problem


def test_a_window_reaches_a_model_of_unknown_length_with_one_feature() -> None:
    """The exam's sunspots starter: "the input shape will be [None, 1]" for its windowed dataset."""
    windows = HiddenSet(np.zeros((4, 30), dtype=np.float32), np.zeros(4))
    x, problem = prepare_inputs(windows, (None, None, 1))
    assert problem is None and x.shape == (4, 30, 1)
    x, problem = prepare_inputs(windows, (None, 30, 1))
    assert problem is None and x.shape == (4, 30, 1)
    _, problem = prepare_inputs(windows, (None, None, 3))
    assert "3-D" not in (problem or "") and problem is not None
